// Revocation files: the signed revocation claim `swell-agent ca revoke` writes (the bytes
// Agent::apply_revocation takes), and the check the agent runs before applying one, so an
// operator who hands it the wrong file hears why instead of a silent counter.
//
//   auto bytes = read_revocation_file("node-7.revocation");
//   auto subject = check_revocation(bytes.value(), config.admission.trusted_cas, label);
//   if (subject.ok()) (void)agent.apply_revocation(bytes.value());
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "swell/bytes.h"
#include "swell/identity.h"
#include "swell/result.h"

namespace swell::agent {

/// Revocation files (and POST /v1/revocations bodies) larger than this are refused; one
/// is about 120 bytes.
inline constexpr std::size_t kMaxRevocationBytes = 4096;

/// The signed revocation of subject by ca in the cluster named label, encoded.
Bytes make_revocation(const Identity& ca, const NodeId& subject, std::uint64_t issued_unix_ms, std::string_view label);

/// The revoked key, if bytes is a revocation signed under label by one of trusted_cas.
/// Errors: invalid_argument (not a revocation, bad signature or another cluster label,
/// a CA not trusted here), each saying what to do.
Result<NodeId> check_revocation(ByteView bytes, const std::vector<NodeId>& trusted_cas, std::string_view label);

/// The bytes of a revocation file. Errors: io (missing, unreadable), invalid_argument
/// (too large to be one).
Result<Bytes> read_revocation_file(const std::string& path);

}  // namespace swell::agent
