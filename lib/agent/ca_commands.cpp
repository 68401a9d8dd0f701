#include "agent/ca_commands.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>

#include "agent/expiry_time.h"
#include "agent/key_list.h"
#include "agent/query_commands.h"
#include "agent/revocation_file.h"
#include "agent/setting_checks.h"
#include "crypto/certificate_auth.h"
#include "swell/identity.h"
#include "wire/node_certificate.h"

namespace swell::agent {
namespace {

int fail(std::ostream& err, const std::string& message, int code) {
  err << "swell-agent: " << message << "\n";
  return code;
}

// Certificates and revocations are public: 0644, so the agent's user can read what an
// operator wrote. Without force an existing file is kept: it may be a live certificate.
Result<void> write_output(const std::string& path, const Bytes& bytes, bool force) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (force ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0 && errno == EEXIST) {
    return Error{ErrorCode::invalid_argument, path + " already exists; pass --force to replace it"};
  }
  if (fd < 0) return Error{ErrorCode::io, "cannot create " + path + ": " + std::strerror(errno)};
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    done += static_cast<std::size_t>(n);
  }
  const bool ok = done == bytes.size() && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) return Error{ErrorCode::io, "cannot write " + path + ": " + std::strerror(saved)};
  return success();
}

// The CA key and the label every CA subcommand needs.
Result<Identity> load_ca(const std::string& ca_key, const std::string& label) {
  if (ca_key.empty()) return Error{ErrorCode::invalid_argument, "--ca: give the CA key file `swell-agent ca init` wrote"};
  if (auto ok = check_cluster_label(label); !ok.ok()) return named("--cluster-label", ok.error());
  auto ca = Identity::load(ca_key);
  if (!ca.ok()) return Error{ca.error().code, "--ca " + ca_key + ": " + ca.error().message};
  return ca;
}

int exit_for(const Error& e) { return e.code == ErrorCode::io ? kExitFailure : kExitUsage; }

}  // namespace

int ca_init_command(const std::string& path, std::ostream& out, std::ostream& err) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    return fail(err, path + " already exists; a CA key is never replaced (every certificate it signed would be "
                "orphaned): move it away first, or choose another path", kExitUsage);
  }
  auto ca = Identity::generate();
  if (!ca.ok()) return fail(err, ca.error().message, kExitFailure);
  if (auto saved = ca.value().save(path); !saved.ok()) return fail(err, saved.error().message, kExitFailure);
  out << ca.value().id().to_hex() << "\n";
  return kExitOk;
}

int ca_sign_command(const CaSignFlags& flags, std::uint64_t now_unix_ms, std::ostream& out, std::ostream& err) {
  auto ca = load_ca(flags.ca_key, flags.cluster_label);
  if (!ca.ok()) return fail(err, ca.error().message, exit_for(ca.error()));
  auto node = parse_public_key(flags.node);
  if (!node.ok()) return fail(err, "--node: " + node.error().message, kExitUsage);
  auto expires = parse_expiry(flags.expires, now_unix_ms);
  if (!expires.ok()) return fail(err, expires.error().message, kExitUsage);
  std::optional<NodeType> type;
  if (flags.node_type) {
    auto parsed = parse_node_type(*flags.node_type);
    if (!parsed.ok()) return fail(err, "--node-type: " + parsed.error().message, kExitUsage);
    type = parsed.value();
  }
  if (flags.out.empty()) return fail(err, "--out: give the certificate file to write", kExitUsage);
  const wire::NodeCertificate cert =
      crypto::issue_certificate(ca.value(), node.value(), expires.value(), type, flags.cluster_label);
  if (auto ok = write_output(flags.out, wire::encode_certificate(cert), flags.force); !ok.ok()) {
    return fail(err, ok.error().message, exit_for(ok.error()));
  }
  if (expires.value() <= now_unix_ms) err << "swell-agent: warning: this certificate has already expired\n";
  out << flags.out << ": admits " << node.value().to_hex() << " until " << format_unix_ms(expires.value())
      << (type ? " as " + std::string(to_string(*type)) : std::string(" as any node_type")) << "\n";
  return kExitOk;
}

int ca_revoke_command(const CaRevokeFlags& flags, std::uint64_t now_unix_ms, std::ostream& out, std::ostream& err) {
  auto ca = load_ca(flags.ca_key, flags.cluster_label);
  if (!ca.ok()) return fail(err, ca.error().message, exit_for(ca.error()));
  auto key = parse_public_key(flags.key);
  if (!key.ok()) return fail(err, "--key: " + key.error().message, kExitUsage);
  if (flags.out.empty()) return fail(err, "--out: give the revocation file to write", kExitUsage);
  const Bytes revocation = make_revocation(ca.value(), key.value(), now_unix_ms, flags.cluster_label);
  if (auto ok = write_output(flags.out, revocation, flags.force); !ok.ok()) {
    return fail(err, ok.error().message, exit_for(ok.error()));
  }
  out << flags.out << ": revokes " << key.value().to_hex() << "; hand it to any running agent with "
      << "`swell-agent revoke " << flags.out << "`\n";
  return kExitOk;
}

}  // namespace swell::agent
