#include "agent/revocation_file.h"

#include <algorithm>
#include <variant>

#include "agent/whole_file.h"
#include "crypto/claim_auth.h"
#include "wire/claims.h"
#include "wire/decode_limits.h"

namespace swell::agent {
namespace {

Error bad(const std::string& message) { return Error{ErrorCode::invalid_argument, message}; }

}  // namespace

Bytes make_revocation(const Identity& ca, const NodeId& subject, std::uint64_t issued_unix_ms, std::string_view label) {
  const wire::RevocationClaim claim{ca.id(), subject, issued_unix_ms};
  Bytes body;
  // make_signed_claim fails only when the signer is not the claim's author: here it is.
  auto signed_claim = crypto::make_signed_claim(ca, claim, label);
  if (signed_claim.ok()) wire::encode_signed_claim(signed_claim.value(), body);
  return body;
}

Result<NodeId> check_revocation(ByteView bytes, const std::vector<NodeId>& trusted_cas, std::string_view label) {
  auto view = wire::decode_signed_claim(bytes);
  if (!view.ok()) return bad("not a revocation (" + view.error().message + "): give the file `swell-agent ca revoke` wrote");
  auto claim = crypto::verify_claim(view.value(), wire::DecodeLimits{}, label);
  if (!claim.ok()) {
    return bad("the revocation does not verify (" + claim.error().message + "): it was signed for another "
               "cluster label, or the file is damaged; write it again with `swell-agent ca revoke --cluster-label`");
  }
  const auto* revocation = std::get_if<wire::RevocationClaim>(&claim.value());
  if (revocation == nullptr) return bad("a signed claim, but not a revocation: give the file `swell-agent ca revoke` wrote");
  if (std::find(trusted_cas.begin(), trusted_cas.end(), revocation->author) == trusted_cas.end()) {
    return bad("the revocation is signed by CA " + revocation->author.to_hex() +
               ", which this agent does not trust: add it to admission.trusted_cas (or --trusted-ca) and restart, "
               "or revoke with a trusted CA's key");
  }
  return revocation->subject;
}

Result<Bytes> read_revocation_file(const std::string& path) {
  auto text = read_whole_file(path, kMaxRevocationBytes);
  if (!text.ok()) return text.error();
  if (!text.value()) return Error{ErrorCode::io, "no revocation file at " + path + ": check the path"};
  if (text.value()->size() > kMaxRevocationBytes) {
    return bad(path + " is larger than " + std::to_string(kMaxRevocationBytes) +
               " bytes, which no revocation is: give the file `swell-agent ca revoke` wrote");
  }
  const std::string& s = *text.value();
  return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), reinterpret_cast<const std::uint8_t*>(s.data()) + s.size());
}

}  // namespace swell::agent
