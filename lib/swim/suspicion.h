// Suspicion: one member's Lifeguard suspicion as this node holds it. Who raised it,
// which distinct members confirmed it, when it expires, and the evidence a failed
// verdict will carry (memberlist's suspicion.go, without its timer: the deadline is a
// value the core schedules).
//
//   Suspicion s(accuser, now, min, max, /*expected=*/3);
//   if (s.confirm(author)) reschedule(s.deadline());   // each signer counts once
//   ... at s.deadline(): declare(s.evidence(me, now - s.started(), health));
//   if (s.accepts_verdict()) apply(verdict);            // another member's dead claim
#pragma once

#include <cstdint>
#include <vector>

#include "swell/events.h"

namespace swell::swim {

/// Distinct signers (accuser, confirmers and the verdict's author) a suspicion needs
/// before this node accepts another member's failed verdict without evidence of its
/// own: one more than the colluding insiders it must withstand (3; docs/security.md).
inline constexpr int kVerdictQuorum = 4;

/// One member's suspicion: who accused, who confirmed, when it expires.
class Suspicion {
 public:
  /// A suspicion raised by accuser at started; its timeout runs from max down to min
  /// as `expected` distinct confirmations arrive (0: the timeout is min from the start).
  Suspicion(const NodeId& accuser, Time started, Duration min, Duration max, int expected);

  /// Counts author's confirmation once per distinct signer, never the accuser's own,
  /// and at most `expected`; true if counted (the deadline then moved earlier). Beyond
  /// `expected` a new signer is still remembered for the verdict quorum.
  bool confirm(const NodeId& author);
  /// Distinct signers seen: the accuser, then each confirmer (at most kVerdictQuorum,
  /// or 1 + expected if more).
  [[nodiscard]] const std::vector<NodeId>& signers() const { return signers_; }
  /// True if another member's failed verdict may be taken: our own probe of the subject
  /// failed during this suspicion (and none answered since), or kVerdictQuorum distinct
  /// members signed it. One insider alone can never condemn a member.
  [[nodiscard]] bool accepts_verdict() const {
    return own_failure_ || static_cast<int>(signers_.size()) >= kVerdictQuorum;
  }
  /// True if who raised or confirmed this suspicion.
  [[nodiscard]] bool signed_by(const NodeId& who) const;
  /// When the timeout expires; shrinks with each confirmation.
  [[nodiscard]] Time deadline() const { return deadline_; }
  /// When the suspicion (or its last restart) began.
  [[nodiscard]] Time started() const { return started_; }
  /// Who raised it.
  [[nodiscard]] const NodeId& accuser() const { return accuser_; }
  /// Distinct confirmations counted so far.
  [[nodiscard]] int confirmations() const { return static_cast<int>(confirmers_.size()); }

  /// Our own probe of the subject failed at `now` with `nacks` nacks. `fresh`: the
  /// suspicion had begun before that probe, so the subject had time to refute.
  void record_failed_probe(bool fresh, int nacks, Time now);
  /// Our own probe of the subject was answered: what we held against it is outdated.
  void record_answered_probe() {
    fresh_probe_failure_ = false;
    own_failure_ = false;
  }
  /// True if our own latest probe failed after the suspicion began, no longer than
  /// `recent` before now: a verdict needs no final check then. Older evidence could
  /// predate the end of a stall the subject has since recovered from.
  [[nodiscard]] bool has_fresh_evidence(Time now, Duration recent) const {
    return fresh_probe_failure_ && now - last_failure_ <= recent;
  }
  /// The timeout passed without fresh evidence: our final check probe is under way.
  void begin_final_check() { final_check_ = true; }
  /// True while our final check probe is under way.
  [[nodiscard]] bool in_final_check() const { return final_check_; }
  /// The subject answered our final check: give its refutation a new period to arrive.
  void restart(Time now);

  /// The evidence a failed event carries when declared_by declares the subject failed.
  /// timeout_used is 0 when we accept someone else's verdict.
  [[nodiscard]] FailureEvidence evidence(const NodeId& declared_by, Duration timeout_used, int local_health) const;

  /// Names the timer armed for this suspicion; a popped timer with another is stale.
  [[nodiscard]] std::uint64_t timer_generation() const { return timer_generation_; }
  /// Records the generation of the timer just armed.
  void set_timer_generation(std::uint64_t generation) { timer_generation_ = generation; }

 private:
  void update_deadline();

  NodeId accuser_;
  std::vector<NodeId> confirmers_;  // distinct, at most expected_
  std::vector<NodeId> signers_;     // accuser_ first, then distinct confirmers, bounded
  Time started_;
  Time deadline_{0};
  Duration min_, max_;
  int expected_;
  int nacks_seen_ = 0;
  bool probed_by_us_ = false;
  bool fresh_probe_failure_ = false;
  bool own_failure_ = false;  // a probe of ours failed since the last answered one
  Time last_failure_{0};
  bool final_check_ = false;
  std::uint64_t timer_generation_ = 0;
};

/// The evidence of a verdict accepted from its author when we held no suspicion.
FailureEvidence accepted_verdict_evidence(const NodeId& author, Time now, int local_health);

}  // namespace swell::swim
