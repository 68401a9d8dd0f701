// The [admission] table of swell-agent's config (and its flags), resolved into the
// library's AdmissionConfig: the allow-list file and the certificate file are read and
// checked here, so a bad value stops `run` before anything binds. docs/agent.md,
// "[admission]", lists the keys and docs/security.md, "Admission", what each mode does.
//
//   AdmissionSettings a;              // read by config_file.cpp and agent_config.cpp
//   a.mode = AdmissionMode::allowlist;
//   a.allowlist_file = "/etc/swell-agent/allowlist.txt";
//   if (auto ok = resolve_admission(a, label, origin_of, config.admission); !ok.ok()) ...
//   // once the key is loaded: check_own_certificate(a, config.admission, self, info, now_ms)
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "swell/admission.h"
#include "swell/bytes.h"
#include "swell/node_id.h"
#include "swell/peer_info.h"
#include "swell/result.h"

namespace swell::agent {

/// Certificate files larger than this are refused (a certificate is about 140 bytes).
inline constexpr std::size_t kMaxCertificateFileBytes = 4096;

/// What the [admission] table and the admission flags set.
struct AdmissionSettings {
  AdmissionMode mode = AdmissionMode::open;  ///< mode / --admission.
  /// True once mode was given (file or flag): an open cluster nobody chose is warned about.
  bool mode_chosen = false;
  std::string allowlist_file;                ///< allowlist: the key list file (re-read on SIGHUP).
  std::vector<NodeId> trusted_cas;           ///< ca: CA public keys; in any mode, whose revocations count.
  std::string certificate_file;              ///< ca: this node's certificate, as `swell-agent ca sign` wrote it.
  friend bool operator==(const AdmissionSettings&, const AdmissionSettings&) = default;
};

/// Where a setting came from, for errors: "agent.toml:12:1: admission.mode" or "--admission".
using SettingOrigin = std::function<std::string(std::string_view setting)>;

/// "open", "allowlist" or "ca". Errors: invalid_config listing the three.
Result<AdmissionMode> parse_admission_mode(std::string_view text);

/// Reads and decodes a certificate file. Errors: io (missing, unreadable), invalid_config
/// (too large, or not a certificate `swell-agent ca sign` wrote).
Result<Bytes> read_certificate_file(const std::string& path);

/// Fills out (mode, allowed, trusted_cas, certificate) from a, reading the allow-list
/// and certificate files and checking the rules between keys: allowlist needs
/// allowlist_file; ca needs trusted_cas and a certificate_file one of them signed for
/// cluster_label; a file the mode does not use is an error, not silently ignored.
/// out.revoked is left as it was. Errors: io, invalid_config (naming the key or flag).
Result<void> resolve_admission(const AdmissionSettings& a, const std::string& cluster_label,
                               const SettingOrigin& origin, AdmissionConfig& out);

/// The checks that need this node's key, PeerInfo and clock (ca mode; success in the
/// others): the certificate admits self, is unexpired at now_unix_ms, and allows
/// info.node_type. Errors: invalid_config saying how to get a right one.
Result<void> check_own_certificate(const AdmissionSettings& a, const AdmissionConfig& config, const NodeId& self,
                                   const PeerInfo& info, std::uint64_t now_unix_ms);

/// The line `run` logs at start: the mode and what it admits.
std::string describe_admission(const AdmissionSettings& a, const AdmissionConfig& config);

}  // namespace swell::agent
