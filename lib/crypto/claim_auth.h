// Signing and verifying claims: Ed25519 over a domain tag, the cluster label (when the
// cluster is named) and the payload bytes. The label is signed but never sent: a
// receiver verifies with its own, so a claim made in another cluster never verifies.
//
//   SignedClaim c = sign_claim(identity, encode_claim_payload(SuspectClaim{...}), "prod");
//   Result<Claim> ok = verify_claim(view_of(c), limits, "prod");   // any member, any hop later
#pragma once

#include <string_view>

#include "swell/identity.h"
#include "wire/claims.h"

namespace swell::crypto {

/// Signs an encoded payload in the cluster named label ("" unnamed); the caller must be
/// the claim's author.
wire::SignedClaim sign_claim(const Identity& author, Bytes payload, std::string_view label = {});
/// Encodes and signs claim; fails (invalid_argument) if author is not its author.
Result<wire::SignedClaim> make_signed_claim(const Identity& author, const wire::Claim& claim,
                                            std::string_view label = {});
/// Decodes the payload and checks its author's signature made in the cluster named
/// label: bad_signature on any change, and for a claim signed under another label.
Result<wire::Claim> verify_claim(const wire::SignedClaimView& claim, const wire::DecodeLimits& limits,
                                 std::string_view label = {});
/// Borrows an owned signed claim.
wire::SignedClaimView view_of(const wire::SignedClaim& claim);

}  // namespace swell::crypto
