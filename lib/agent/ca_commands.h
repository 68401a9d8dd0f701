// `swell-agent ca init | sign | revoke`: a cluster CA on the command line, offline.
// init makes the CA key pair, sign writes a node certificate (the file
// admission.certificate_file reads), revoke a signed revocation (handed to a running
// agent with `swell-agent revoke FILE`). Each returns a process exit code; docs/agent.md,
// "Admission: the cluster CA", walks through them.
//
//   swell-agent ca init /secure/ca.key                     # prints the CA public key
//   swell-agent ca sign --ca /secure/ca.key --node $(swell-agent id node.key) --expires 90d --out node.cert
//   swell-agent ca revoke --ca /secure/ca.key --key 9f1c...e2 --out node-7.revocation
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace swell::agent {

/// What `ca sign` was given.
struct CaSignFlags {
  std::string ca_key;                    ///< --ca: the CA's key file (from `ca init`).
  std::string node;                      ///< --node: the node's public key (`swell-agent id KEYFILE`).
  std::string expires;                   ///< --expires: 90d, 12h, 2027-01-31 or 2027-01-31T12:00:00Z.
  std::optional<std::string> node_type;  ///< --node-type: the only node_type it may announce.
  std::string cluster_label;             ///< --cluster-label: the cluster's cluster_label ("" unnamed).
  std::string out;                       ///< --out: the certificate file to write.
  bool force = false;                    ///< --force: replace an existing --out file.
};

/// What `ca revoke` was given.
struct CaRevokeFlags {
  std::string ca_key;         ///< --ca: the CA's key file.
  std::string key;            ///< --key: the public key to revoke.
  std::string cluster_label;  ///< --cluster-label: the cluster's cluster_label ("" unnamed).
  std::string out;            ///< --out: the revocation file to write.
  bool force = false;         ///< --force: replace an existing --out file.
};

/// `ca init PATH`: a new CA key file (mode 0600; an existing file is never replaced);
/// prints the CA public key for admission.trusted_cas.
int ca_init_command(const std::string& path, std::ostream& out, std::ostream& err);
/// `ca sign`: writes the certificate; expiry durations count from now_unix_ms.
int ca_sign_command(const CaSignFlags& flags, std::uint64_t now_unix_ms, std::ostream& out, std::ostream& err);
/// `ca revoke`: writes the revocation, issued at now_unix_ms.
int ca_revoke_command(const CaRevokeFlags& flags, std::uint64_t now_unix_ms, std::ostream& out, std::ostream& err);

}  // namespace swell::agent
