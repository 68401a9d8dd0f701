#include "crypto/claim_auth.h"

#include <algorithm>
#include <cstring>

namespace swell::crypto {
namespace {

// Domain separation: a claim signature can never be mistaken for a signature some
// other protocol made with the same key over the same bytes.
constexpr char kDomain[] = "swell-claim-v1";
// A named cluster's claims use their own tag, then the label's length and bytes: the
// unnamed cluster signs what version 1 signed, and no signature made under one label
// (or none) is valid under another, since the signed messages never coincide.
constexpr char kLabelledDomain[] = "swell-cluster-claim-v1";

Bytes signed_message(ByteView payload, std::string_view label) {
  Bytes message;
  if (label.empty()) {
    message.resize(sizeof kDomain + payload.size());
    std::memcpy(message.data(), kDomain, sizeof kDomain);  // including the NUL
  } else {
    message.resize(sizeof kLabelledDomain + 1 + label.size() + payload.size());
    std::memcpy(message.data(), kLabelledDomain, sizeof kLabelledDomain);
    // One length byte: Config::validate bounds a label to 64 bytes.
    message[sizeof kLabelledDomain] = static_cast<std::uint8_t>(std::min<std::size_t>(label.size(), 255));
    std::memcpy(message.data() + sizeof kLabelledDomain + 1, label.data(), label.size());
  }
  if (!payload.empty()) std::memcpy(message.data() + message.size() - payload.size(), payload.data(), payload.size());
  return message;
}

}  // namespace

wire::SignedClaim sign_claim(const Identity& author, Bytes payload, std::string_view label) {
  wire::SignedClaim claim;
  claim.signature = author.sign(signed_message(payload, label));
  claim.payload = std::move(payload);
  return claim;
}

Result<wire::SignedClaim> make_signed_claim(const Identity& author, const wire::Claim& claim,
                                            std::string_view label) {
  if (wire::author_of(claim) != author.id()) {
    return Error{ErrorCode::invalid_argument,
                 "claim's author " + wire::author_of(claim).short_hex() + " is not the signer " + author.id().short_hex()};
  }
  return sign_claim(author, wire::encode_claim_payload(claim), label);
}

Result<wire::Claim> verify_claim(const wire::SignedClaimView& claim, const wire::DecodeLimits& limits,
                                 std::string_view label) {
  if (claim.signature.size() != 64) {
    return Error{ErrorCode::bad_signature, "claim signature must be 64 bytes"};
  }
  auto decoded = wire::decode_claim_payload(claim.payload, limits);
  if (!decoded.ok()) return decoded;
  Signature sig{};
  std::memcpy(sig.data(), claim.signature.data(), sig.size());
  const NodeId& author = wire::author_of(decoded.value());
  if (!verify_signature(author, signed_message(claim.payload, label), sig)) {
    return Error{ErrorCode::bad_signature, std::string(wire::to_string(wire::kind_of(decoded.value()))) +
                                               " claim by " + author.short_hex() +
                                               " has a signature that does not verify (forged, damaged, or "
                                               "made in a cluster with another label); dropped"};
  }
  return decoded;
}

wire::SignedClaimView view_of(const wire::SignedClaim& claim) {
  return wire::SignedClaimView{claim.payload, ByteView(claim.signature)};
}

}  // namespace swell::crypto
