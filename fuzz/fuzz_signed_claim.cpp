// Fuzzes decode_signed_claim and crypto::verify_claim.
//
// Invariants: the split aliases the input; re-encoding it reproduces an equal split;
// verify_claim accepts only what decode_claim_payload accepts, returning the same
// claim. When the decoded author is a fixture identity the target signs the payload
// itself: verify_claim must accept that signature and refuse it with one bit flipped.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "crypto/claim_auth.h"
#include "fixtures/sample_messages.h"
#include "invariant.h"
#include "wire/claims.h"

namespace {

using namespace swell;
using namespace swell::wire;

const DecodeLimits kLimits{};

// The authors the fixtures (and so the seeds) use.
const Identity* fixture_signer(const NodeId& author) {
  static const std::array<Identity, 4> signers = {fixtures::identity(1), fixtures::identity(2),
                                                  fixtures::identity(3), fixtures::identity(4)};
  for (const Identity& signer : signers) {
    if (signer.id() == author) return &signer;
  }
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView body(data, size);
  auto split = decode_signed_claim(body);
  if (!split.ok()) return 0;
  const SignedClaimView view = split.value();
  SWELL_FUZZ_REQUIRE(view.signature.size() == 64);
  SWELL_FUZZ_REQUIRE(fuzz::within(view.payload, body) && fuzz::within(view.signature, body));

  SignedClaim owned;
  owned.payload.assign(view.payload.begin(), view.payload.end());
  std::copy(view.signature.begin(), view.signature.end(), owned.signature.begin());
  Bytes encoded;
  encode_signed_claim(owned, encoded);
  SWELL_FUZZ_REQUIRE(encoded.size() <= size);
  auto again = decode_signed_claim(encoded);
  SWELL_FUZZ_REQUIRE(again.ok());
  SWELL_FUZZ_REQUIRE(std::equal(again.value().payload.begin(), again.value().payload.end(), view.payload.begin(),
                                view.payload.end()));
  SWELL_FUZZ_REQUIRE(std::equal(again.value().signature.begin(), again.value().signature.end(),
                                view.signature.begin(), view.signature.end()));

  auto verified = crypto::verify_claim(view, kLimits);
  auto payload = decode_claim_payload(view.payload, kLimits);
  if (!payload.ok()) {
    SWELL_FUZZ_REQUIRE(!verified.ok() && verified.error().code == payload.error().code);
    return 0;
  }
  if (verified.ok()) {
    SWELL_FUZZ_REQUIRE(verified.value() == payload.value());
  } else {
    SWELL_FUZZ_REQUIRE(verified.error().code == ErrorCode::bad_signature);
  }

  if (const Identity* signer = fixture_signer(author_of(payload.value()))) {
    SignedClaim resigned = crypto::sign_claim(*signer, owned.payload);
    auto accepted = crypto::verify_claim(crypto::view_of(resigned), kLimits);
    SWELL_FUZZ_REQUIRE(accepted.ok() && accepted.value() == payload.value());
    resigned.signature[size % 64] ^= static_cast<std::uint8_t>(1u << (size % 8));
    auto refused = crypto::verify_claim(crypto::view_of(resigned), kLimits);
    SWELL_FUZZ_REQUIRE(!refused.ok() && refused.error().code == ErrorCode::bad_signature);
  }
  return 0;
}
