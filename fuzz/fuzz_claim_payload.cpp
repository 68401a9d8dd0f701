// Fuzzes decode_claim_payload over all seven claim kinds (alive, with or without a node
// certificate; suspect, dead, leave, majority view with its PeerInfo records, the CA's
// revocation, and a key rotation with the successor's alive claim nested inside).
//
// Invariants: a decoded claim passes the checks the decoder promises; re-encoding it
// gives a payload no longer than the input that decodes to an equal claim and
// re-encodes to the same bytes; tighter limits never accept what looser ones refuse.
#include <cstddef>
#include <cstdint>
#include <variant>

#include "invariant.h"
#include "wire/claims.h"

namespace {

using namespace swell;
using namespace swell::wire;

const DecodeLimits kLimits{};

// Small enough that seeds cross every bound; all other fields as kLimits.
DecodeLimits tight_limits() {
  DecodeLimits limits;
  limits.max_view_entries = 2;
  limits.peer_info.max_metadata_bytes = 8;
  limits.peer_info.max_id_bytes = 12;
  limits.peer_info.max_address_bytes = 16;
  return limits;
}

void check_claim(const Claim& claim, const DecodeLimits& limits) {
  if (const auto* alive = std::get_if<AliveClaim>(&claim)) {
    SWELL_FUZZ_REQUIRE(validate(alive->info, limits.peer_info).ok());
    SWELL_FUZZ_REQUIRE(validate_address(alive->swim_address).ok());
    SWELL_FUZZ_REQUIRE(alive->certificate.empty() || decode_certificate(alive->certificate).ok());
  } else if (const auto* suspect = std::get_if<SuspectClaim>(&claim)) {
    SWELL_FUZZ_REQUIRE(suspect->author != suspect->subject);
  } else if (const auto* dead = std::get_if<DeadClaim>(&claim)) {
    SWELL_FUZZ_REQUIRE(dead->author != dead->subject);
  } else if (const auto* revocation = std::get_if<RevocationClaim>(&claim)) {
    SWELL_FUZZ_REQUIRE(revocation->author != revocation->subject);
  } else if (const auto* rotation = std::get_if<RotationClaim>(&claim)) {
    // The nested claim decodes (under the same limits) as the successor's alive claim.
    SWELL_FUZZ_REQUIRE(rotation->author != rotation->successor);
    auto inner = decode_signed_claim(rotation->successor_alive);
    SWELL_FUZZ_REQUIRE(inner.ok());
    auto alive = decode_claim_payload(inner.value().payload, limits);
    SWELL_FUZZ_REQUIRE(alive.ok() && std::holds_alternative<AliveClaim>(alive.value()));
    SWELL_FUZZ_REQUIRE(std::get<AliveClaim>(alive.value()).info.owner == rotation->successor);
  } else if (const auto* view = std::get_if<MajorityViewClaim>(&claim)) {
    SWELL_FUZZ_REQUIRE(view->view.size() <= limits.max_view_entries);
    for (const PeerInfo& info : view->view) SWELL_FUZZ_REQUIRE(validate(info, limits.peer_info).ok());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView payload(data, size);
  auto decoded = decode_claim_payload(payload, kLimits);
  auto tight = decode_claim_payload(payload, tight_limits());
  if (tight.ok()) {
    SWELL_FUZZ_REQUIRE(decoded.ok() && decoded.value() == tight.value());
    check_claim(tight.value(), tight_limits());
  }
  if (!decoded.ok()) return 0;
  const Claim& claim = decoded.value();
  check_claim(claim, kLimits);

  const Bytes encoded = encode_claim_payload(claim);
  // The encoder writes every field in its shortest form; the decoder accepts any width.
  SWELL_FUZZ_REQUIRE(encoded.size() <= size);
  SWELL_FUZZ_REQUIRE(encoded.size() >= 2 && encoded[1] == static_cast<std::uint8_t>(kind_of(claim)));
  auto again = decode_claim_payload(encoded, kLimits);
  SWELL_FUZZ_REQUIRE(again.ok() && again.value() == claim);
  SWELL_FUZZ_REQUIRE(encode_claim_payload(again.value()) == encoded);
  SWELL_FUZZ_REQUIRE(author_of(again.value()) == author_of(claim));
  return 0;
}
