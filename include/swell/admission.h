// Admission: which keys may be members (docs/security.md, "Admission").
//
//   swell::Config config = swell::Config::lan();
//   config.admission.mode = swell::AdmissionMode::ca;
//   config.admission.trusted_cas = {ca_key};
//   config.admission.certificate = certificate_bytes;   // `swell-agent ca sign` writes it
//   config.admission.unix_ms_at_time_zero = unix_now_ms - now_us / 1000;
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "swell/bytes.h"
#include "swell/node_id.h"

namespace swell {

/// How a node decides whether a key may be a member.
enum class AdmissionMode : std::uint8_t {
  open = 0,       ///< Any key that knows the cluster label (what every version before admission did).
  allowlist = 1,  ///< Only the keys in AdmissionConfig::allowed.
  ca = 2,         ///< Keys presenting a certificate of a trusted CA, unexpired, for the role they announce.
};

/// "open", "allowlist" or "ca".
const char* to_string(AdmissionMode mode);

/// Why a key, datagram, stream or claim was refused (NodeStats counts each).
enum class AdmissionRefusal : std::uint8_t {
  none = 0,             ///< Admitted.
  not_listed = 1,       ///< allowlist: the key is not in the list.
  expired = 2,          ///< ca: its certificate expired (by this node's clock).
  bad_certificate = 3,  ///< ca: no certificate, another key's, an untrusted CA's, or a bad signature.
  revoked = 4,          ///< A trusted CA revoked the key.
  wrong_type = 5,       ///< ca: it announces a node_type its certificate does not allow.
  rotated = 6,          ///< Its owner moved to a new key (key rotation): the old key is retired.
};

/// "none", "not_listed", "expired", "bad_certificate", "revoked", "wrong_type" or "rotated".
const char* to_string(AdmissionRefusal refusal);

/// Admission settings; every member of a cluster should use the same mode and CAs.
struct AdmissionConfig {
  /// The default is open, for compatibility with clusters and code before admission;
  /// swell-agent makes its operator choose (docs/agent.md).
  AdmissionMode mode = AdmissionMode::open;
  /// allowlist: the keys that may be members (this node's own key need not be listed).
  /// Replace it at runtime with Node::set_allowlist.
  std::vector<NodeId> allowed;
  /// ca: the CA keys whose certificates admit; more than one during a CA rotation. In
  /// any mode, revocations signed by one of these are honoured.
  std::vector<NodeId> trusted_cas;
  /// ca: this node's certificate (encoded, as `swell-agent ca sign` writes it),
  /// carried in every alive claim it signs. Required in ca mode.
  Bytes certificate;
  /// The Unix time in milliseconds at the driver's Time 0: certificate expiry is judged
  /// against unix_ms_at_time_zero + now. The runtime sets it from the system clock at
  /// start; the simulator leaves it 0, so expiry is virtual time.
  std::int64_t unix_ms_at_time_zero = 0;
  /// Revoked keys already known (swell-agent keeps them in its data dir).
  std::vector<NodeId> revoked;
  /// Revoked keys remembered; beyond it the oldest is forgotten (and counted); >= 16.
  std::size_t max_revoked = 4096;
};

}  // namespace swell
