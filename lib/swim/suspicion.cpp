#include "swim/suspicion.h"

#include <algorithm>

#include "swim/formulas.h"

namespace swell::swim {

Suspicion::Suspicion(const NodeId& accuser, Time started, Duration min, Duration max, int expected)
    : accuser_(accuser), signers_{accuser}, started_(started), min_(min), max_(max), expected_(std::max(expected, 0)) {
  update_deadline();
}

void Suspicion::update_deadline() {
  deadline_ = started_ + suspicion_timeout(min_, max_, static_cast<int>(confirmers_.size()), expected_);
}

bool Suspicion::signed_by(const NodeId& who) const {
  return who == accuser_ || std::find(confirmers_.begin(), confirmers_.end(), who) != confirmers_.end();
}

bool Suspicion::confirm(const NodeId& author) {
  // Lifeguard: only independent confirmations count, each signer once; beyond
  // `expected` the timeout is already at its minimum.
  if (signed_by(author)) return false;
  // The quorum's count is kept apart from Lifeguard's, which stops at `expected`, and
  // is bounded too: signers come from the wire.
  const std::size_t signer_cap = static_cast<std::size_t>(std::max(kVerdictQuorum, expected_ + 1));
  if (signers_.size() < signer_cap && std::find(signers_.begin(), signers_.end(), author) == signers_.end()) {
    signers_.push_back(author);
  }
  if (static_cast<int>(confirmers_.size()) >= expected_) return false;
  confirmers_.push_back(author);
  update_deadline();
  return true;
}

void Suspicion::record_failed_probe(bool fresh, int nacks, Time now) {
  probed_by_us_ = true;
  own_failure_ = true;
  fresh_probe_failure_ = fresh;
  last_failure_ = now;
  nacks_seen_ = std::max(nacks_seen_, nacks);
}

void Suspicion::restart(Time now) {
  final_check_ = false;
  own_failure_ = false;  // the subject answered our final check
  started_ = now;
  update_deadline();
}

FailureEvidence Suspicion::evidence(const NodeId& declared_by, Duration timeout_used, int local_health) const {
  FailureEvidence e;
  e.first_suspected_by = accuser_;
  e.confirmations = confirmers_;
  e.nacks_seen = nacks_seen_;
  e.probed_by_us = probed_by_us_;
  e.declared_by = declared_by;
  e.timeout_used = timeout_used;
  e.local_health = local_health;
  e.suspected_at = started_;
  return e;
}

FailureEvidence accepted_verdict_evidence(const NodeId& author, Time now, int local_health) {
  FailureEvidence e;
  e.first_suspected_by = author;
  e.declared_by = author;
  e.local_health = local_health;
  e.suspected_at = now;
  return e;
}

}  // namespace swell::swim
