// Admission: whether a key may be a member of this node's cluster, by the node's
// AdmissionConfig (open, allow-list or CA certificates), the revocations it has heard,
// and the keys it has refused lately. One decision written once, for the datagram,
// stream and claim paths alike (docs/security.md, "Admission").
//
//   swim::Admission admission(config.admission, config.cluster_label);
//   if (auto no = admission.check_alive(*claim, now); no != AdmissionRefusal::none) drop(no);
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "swell/admission.h"
#include "swell/result.h"
#include "swell/time.h"
#include "swim/stored_claim.h"

namespace swell::swim {

/// Checks admission settings; the error names the field and the fix.
Result<void> validate_admission(const AdmissionConfig& config);

/// One node's admission decisions; see the file comment.
class Admission {
 public:
  /// Decides by config (validated) in the cluster named label.
  Admission(const AdmissionConfig& config, std::string label);

  /// The mode.
  [[nodiscard]] AdmissionMode mode() const { return mode_; }
  /// What the key alone decides: revoked, not listed (allowlist), or refused lately
  /// (the reason then) ; none if the key may still be admitted by its alive claim.
  [[nodiscard]] AdmissionRefusal check_key(const NodeId& key) const;
  /// The full decision on an alive claim: the key, and in ca mode its certificate
  /// (present, this key's, a trusted CA's, signature, expiry at now, node_type).
  [[nodiscard]] AdmissionRefusal check_alive(const StoredClaim& alive, Time now) const;
  /// True if ca is one of the trusted CA keys.
  [[nodiscard]] bool trusts(const NodeId& ca) const;

  /// Remembers a refusal of key, so its next datagrams are dropped unread; bounded.
  void refuse(const NodeId& key, AdmissionRefusal why);
  /// Forgets a refusal: key presented an alive claim that is admitted (a renewed certificate).
  void pardon(const NodeId& key) { refused_.erase(key); }
  /// Records a revocation; false if key was already revoked.
  bool revoke(const NodeId& key);
  /// True if key is revoked.
  [[nodiscard]] bool revoked(const NodeId& key) const { return revoked_.count(key) != 0; }
  /// Revoked keys, oldest first (what swell-agent persists).
  [[nodiscard]] std::vector<NodeId> revoked_keys() const { return {revoked_order_.begin(), revoked_order_.end()}; }
  /// Records that key's owner moved to a new key; false if it was already retired.
  bool retire(const NodeId& key);
  /// True if key was retired by a key rotation.
  [[nodiscard]] bool retired(const NodeId& key) const { return retired_.count(key) != 0; }
  /// Number of retired keys remembered.
  [[nodiscard]] std::size_t retired_count() const { return retired_.size(); }
  /// Number of revoked keys remembered.
  [[nodiscard]] std::size_t revoked_count() const { return revoked_.size(); }
  /// Revocations forgotten because max_revoked was reached.
  [[nodiscard]] std::uint64_t revocations_forgotten() const { return forgotten_; }

  /// Replaces the allow-list (allowlist mode; kept in any mode for a later switch).
  void set_allowed(const std::vector<NodeId>& keys);
  /// Replaces the trusted CA keys (a CA rotation adds the new one, later drops the old).
  void set_trusted_cas(const std::vector<NodeId>& keys);

 private:
  // Keys refused lately are remembered up to this many: enough for a cluster's worth of
  // outsiders, bounded against one that makes a new key per datagram.
  static constexpr std::size_t kMaxRefused = 1024;

  /// Forgets every remembered refusal for this reason (its rule changed).
  void forget_refusals(AdmissionRefusal why);

  AdmissionMode mode_;
  std::string label_;
  std::int64_t unix_ms_at_time_zero_;
  std::size_t max_revoked_;
  std::set<NodeId> allowed_;
  std::vector<NodeId> trusted_cas_;
  std::set<NodeId> revoked_;
  std::deque<NodeId> revoked_order_;
  std::uint64_t forgotten_ = 0;
  std::set<NodeId> retired_;
  std::deque<NodeId> retired_order_;
  std::map<NodeId, AdmissionRefusal> refused_;
  std::deque<NodeId> refused_order_;
};

}  // namespace swell::swim
