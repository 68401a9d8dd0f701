// Key rotation: a member's statement that it moves from its key to a successor, signed
// by the old key, with the successor's consent signature and its first alive claim
// inside (docs/security.md, "Key rotation").
//
//   wire::RotationClaim r{old.id(), next.id(), incarnation, alive_body_signed_by_next,
//                         sign_rotation_consent(next, old.id(), "prod")};
//   SignedClaim claim = sign_claim(old, encode_claim_payload(r), "prod");
//   Result<wire::AliveClaim> successor = verify_rotation(r, limits, "prod");  // after verify_claim
#pragma once

#include <string_view>

#include "swell/identity.h"
#include "wire/claims.h"

namespace swell::crypto {

/// What the successor signs to consent: a domain tag, the cluster label, the old key and
/// the new one. Never a claim payload, so the consent cannot be replayed as one.
Bytes rotation_consent_message(const NodeId& from, const NodeId& to, std::string_view label);

/// The successor's consent to succeed `from` (RotationClaim::consent).
Signature sign_rotation_consent(const Identity& successor, const NodeId& from, std::string_view label);

/// The rest of a rotation's check, once verify_claim accepted the old key's signature:
/// the successor's consent and its alive claim's signature. Gives that alive claim.
/// Errors: bad_signature (either does not verify under label), the claim decoder's.
Result<wire::AliveClaim> verify_rotation(const wire::RotationClaim& rotation, const wire::DecodeLimits& limits,
                                         std::string_view label);

}  // namespace swell::crypto
