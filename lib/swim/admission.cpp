#include "swim/admission.h"

#include <algorithm>

#include "crypto/certificate_auth.h"

namespace swell {

const char* to_string(AdmissionMode mode) {
  switch (mode) {
    case AdmissionMode::open: return "open";
    case AdmissionMode::allowlist: return "allowlist";
    case AdmissionMode::ca: return "ca";
  }
  return "unknown";
}

const char* to_string(AdmissionRefusal refusal) {
  switch (refusal) {
    case AdmissionRefusal::none: return "none";
    case AdmissionRefusal::not_listed: return "not_listed";
    case AdmissionRefusal::expired: return "expired";
    case AdmissionRefusal::bad_certificate: return "bad_certificate";
    case AdmissionRefusal::revoked: return "revoked";
    case AdmissionRefusal::wrong_type: return "wrong_type";
    case AdmissionRefusal::rotated: return "rotated";
  }
  return "unknown";
}

namespace swim {

Result<void> validate_admission(const AdmissionConfig& config) {
  auto bad = [](const std::string& message) { return Error{ErrorCode::invalid_config, "admission." + message}; };
  if (config.max_revoked < 16) return bad("max_revoked must be >= 16");
  if (config.revoked.size() > config.max_revoked) {
    return bad("revoked holds " + std::to_string(config.revoked.size()) + " keys, more than max_revoked " +
               std::to_string(config.max_revoked) + "; raise max_revoked");
  }
  switch (config.mode) {
    case AdmissionMode::open:
    case AdmissionMode::allowlist: return success();
    case AdmissionMode::ca: break;
    default: return bad("mode must be open, allowlist or ca");
  }
  if (config.trusted_cas.empty()) return bad("trusted_cas is empty; ca mode needs at least one CA public key");
  if (config.certificate.empty()) {
    return bad("certificate is empty; ca mode needs this node's certificate (swell-agent ca sign)");
  }
  auto cert = wire::decode_certificate(config.certificate);
  if (!cert.ok()) return bad("certificate does not decode: " + cert.error().message);
  if (std::find(config.trusted_cas.begin(), config.trusted_cas.end(), cert.value().ca) == config.trusted_cas.end()) {
    return bad("certificate is signed by CA " + cert.value().ca.short_hex() +
               ", which is not in trusted_cas; add it or sign the certificate with a trusted CA");
  }
  return success();
}

Admission::Admission(const AdmissionConfig& config, std::string label)
    : mode_(config.mode),
      label_(std::move(label)),
      unix_ms_at_time_zero_(config.unix_ms_at_time_zero),
      max_revoked_(config.max_revoked),
      allowed_(config.allowed.begin(), config.allowed.end()),
      trusted_cas_(config.trusted_cas) {
  for (const NodeId& key : config.revoked) revoke(key);
}

AdmissionRefusal Admission::check_key(const NodeId& key) const {
  if (revoked(key)) return AdmissionRefusal::revoked;
  if (retired(key)) return AdmissionRefusal::rotated;
  if (mode_ == AdmissionMode::allowlist && allowed_.count(key) == 0) return AdmissionRefusal::not_listed;
  if (auto it = refused_.find(key); it != refused_.end()) return it->second;
  return AdmissionRefusal::none;
}

AdmissionRefusal Admission::check_alive(const StoredClaim& alive, Time now) const {
  const NodeId& key = alive.subject;
  if (revoked(key)) return AdmissionRefusal::revoked;
  if (retired(key)) return AdmissionRefusal::rotated;
  switch (mode_) {
    case AdmissionMode::open: return AdmissionRefusal::none;
    case AdmissionMode::allowlist: return allowed_.count(key) != 0 ? AdmissionRefusal::none : AdmissionRefusal::not_listed;
    case AdmissionMode::ca: break;
  }
  const wire::NodeCertificate* cert = alive.certificate.get();
  if (cert == nullptr || cert->node != key || !trusts(cert->ca)) return AdmissionRefusal::bad_certificate;
  if (alive.certificate_signature < 0) {
    alive.certificate_signature = crypto::certificate_signature_holds(*cert, label_) ? 1 : 0;
  }
  if (alive.certificate_signature == 0) return AdmissionRefusal::bad_certificate;
  const std::int64_t unix_now_ms = unix_ms_at_time_zero_ + now.count() / 1000;
  if (unix_now_ms >= 0 && static_cast<std::uint64_t>(unix_now_ms) >= cert->expires_unix_ms) {
    return AdmissionRefusal::expired;
  }
  if (cert->node_type && alive.announcement && alive.announcement->info.node_type != *cert->node_type) {
    return AdmissionRefusal::wrong_type;
  }
  return AdmissionRefusal::none;
}

bool Admission::trusts(const NodeId& ca) const {
  return std::find(trusted_cas_.begin(), trusted_cas_.end(), ca) != trusted_cas_.end();
}

void Admission::refuse(const NodeId& key, AdmissionRefusal why) {
  auto [it, inserted] = refused_.insert_or_assign(key, why);
  (void)it;
  if (!inserted) return;
  refused_order_.push_back(key);
  while (refused_.size() > kMaxRefused && !refused_order_.empty()) {
    refused_.erase(refused_order_.front());
    refused_order_.pop_front();
  }
  // A pardoned key leaves a stale entry in the order; keep the deque bounded too.
  while (refused_order_.size() > 2 * kMaxRefused) refused_order_.pop_front();
}

bool Admission::revoke(const NodeId& key) {
  if (!revoked_.insert(key).second) return false;
  revoked_order_.push_back(key);
  // Bounded against a CA that revokes without end; the oldest revocation goes first
  // (counted), since a key revoked long ago has most likely been purged from hosts too.
  while (revoked_order_.size() > max_revoked_) {
    revoked_.erase(revoked_order_.front());
    revoked_order_.pop_front();
    ++forgotten_;
  }
  return true;
}

bool Admission::retire(const NodeId& key) {
  if (!retired_.insert(key).second) return false;
  retired_order_.push_back(key);
  // Bounded like revocations: a retired key is refused for as long as members may
  // still hold claims of it, far less than the oldest of max_revoked rotations.
  while (retired_order_.size() > max_revoked_) {
    retired_.erase(retired_order_.front());
    retired_order_.pop_front();
  }
  return true;
}

void Admission::forget_refusals(AdmissionRefusal why) {
  for (auto it = refused_.begin(); it != refused_.end();) it = it->second == why ? refused_.erase(it) : std::next(it);
}

void Admission::set_allowed(const std::vector<NodeId>& keys) {
  allowed_ = std::set<NodeId>(keys.begin(), keys.end());
  // A key listed again may speak again (the list decides; sweep_admission removes the rest).
  forget_refusals(AdmissionRefusal::not_listed);
}

void Admission::set_trusted_cas(const std::vector<NodeId>& keys) {
  trusted_cas_ = keys;
  forget_refusals(AdmissionRefusal::bad_certificate);
}

}  // namespace swim
}  // namespace swell
