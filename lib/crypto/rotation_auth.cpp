#include "crypto/rotation_auth.h"

#include <algorithm>
#include <cstring>

#include "crypto/claim_auth.h"

namespace swell::crypto {
namespace {

constexpr char kConsentDomain[] = "swell-rotation-consent-v1";

}  // namespace

Bytes rotation_consent_message(const NodeId& from, const NodeId& to, std::string_view label) {
  Bytes message(kConsentDomain, kConsentDomain + sizeof kConsentDomain);  // including the NUL
  // One length byte: Config::validate bounds a label to 64 bytes.
  message.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(label.size(), 255)));
  message.insert(message.end(), label.begin(), label.end());
  message.insert(message.end(), from.bytes().begin(), from.bytes().end());
  message.insert(message.end(), to.bytes().begin(), to.bytes().end());
  return message;
}

Signature sign_rotation_consent(const Identity& successor, const NodeId& from, std::string_view label) {
  return successor.sign(rotation_consent_message(from, successor.id(), label));
}

Result<wire::AliveClaim> verify_rotation(const wire::RotationClaim& rotation, const wire::DecodeLimits& limits,
                                         std::string_view label) {
  if (!verify_signature(rotation.successor, rotation_consent_message(rotation.author, rotation.successor, label),
                        rotation.consent)) {
    return Error{ErrorCode::bad_signature, "rotation of " + rotation.author.short_hex() + " to " +
                                               rotation.successor.short_hex() +
                                               " lacks the successor's consent signature (forged, or made in a "
                                               "cluster with another label); dropped"};
  }
  auto split = wire::decode_signed_claim(rotation.successor_alive);
  if (!split.ok()) return split.error();
  auto alive = verify_claim(split.value(), limits, label);
  if (!alive.ok()) return alive.error();
  // decode_claim_payload checked the inner claim is the successor's alive claim.
  if (!std::holds_alternative<wire::AliveClaim>(alive.value())) {
    return Error{ErrorCode::bad_field_type, "rotation successor_alive is not an alive claim"};
  }
  return std::get<wire::AliveClaim>(alive.value());
}

}  // namespace swell::crypto
