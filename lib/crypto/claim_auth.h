// Signing and verifying claims: Ed25519 over a domain tag and the payload bytes.
//
//   SignedClaim c = sign_claim(identity, encode_claim_payload(SuspectClaim{...}));
//   Result<Claim> ok = verify_claim(view_of(c), limits);   // any member, any hop later
#pragma once

#include "swell/identity.h"
#include "wire/claims.h"

namespace swell::crypto {

/// Signs an encoded payload; the caller must be the claim's author.
wire::SignedClaim sign_claim(const Identity& author, Bytes payload);
/// Encodes and signs claim; fails (invalid_argument) if author is not its author.
Result<wire::SignedClaim> make_signed_claim(const Identity& author, const wire::Claim& claim);
/// Decodes the payload and checks its author's signature: bad_signature on any change.
Result<wire::Claim> verify_claim(const wire::SignedClaimView& claim, const wire::DecodeLimits& limits);
/// Borrows an owned signed claim.
wire::SignedClaimView view_of(const wire::SignedClaim& claim);

}  // namespace swell::crypto
