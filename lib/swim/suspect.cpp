// Suspicion (SWIM section 4.2, Lifeguard's LHA-Suspicion): raising a suspicion,
// counting independent confirmations, the final check before a verdict, and the
// verdict itself. The per-member rules live in swim::Suspicion.
#include "swim/formulas.h"
#include "swim/node_core.h"

namespace swell {

void NodeCore::apply_suspect(const swim::ClaimRef& claim, Time now, ClaimSource source) {
  const NodeId& subject = claim->subject;
  const auto index = accused_member(claim, now);
  if (!index) {
    heard_again(claim, source);
    return;
  }
  const swim::Member& m = table_.at(*index);
  if (m.state == MemberState::suspect && claim->incarnation == m.incarnation) {
    auto it = suspicions_.find(subject);
    if (it == suspicions_.end() || !it->second.confirm(claim->author)) {
      heard_again(claim, source);
      return;
    }
    spread(claim, source);
    arm_suspicion_timer(subject, it->second);
    return;
  }
  raise_suspicion(claim, *index, now, source);
}

void NodeCore::raise_suspicion(const swim::ClaimRef& claim, std::uint32_t index, Time now, ClaimSource source) {
  const NodeId& subject = claim->subject;
  table_.raise_incarnation(index, claim->incarnation);
  table_.set_state(index, MemberState::suspect, now);
  status_claims_[subject] = claim;
  const std::size_t n = live_members();
  const Duration min = std::max(swim::suspicion_min_timeout(config_.suspicion_mult, n, config_.probe_interval),
                                swim::stall_floor(config_.stall_tolerance, config_.probe_interval));
  const Duration max(static_cast<std::int64_t>(static_cast<double>(min.count()) * config_.suspicion_max_mult));
  // Confirmations can come only from members other than the subject, the accuser and
  // us. Without Lifeguard's dynamic timeout none are sought and the timeout is min.
  const int expected = config_.lifeguard_dynamic_suspicion
                           ? std::clamp(static_cast<int>(n) - 3, 0, config_.suspicion_confirmations)
                           : 0;
  auto [it, inserted] = suspicions_.insert_or_assign(subject, swim::Suspicion(claim->author, now, min, max, expected));
  (void)inserted;
  arm_suspicion_timer(subject, it->second);
  spread(claim, source);
  // Probe the suspect next, with a probability that makes about four times the needed
  // confirmations arrive within a probe period or two, whatever the cluster size,
  // without every member pinging it at once (twice left the median detection at 200
  // members within 0.01 s of 5 s on one seed in five).
  if (claim->author != identity_.id() && expected > 0 && phase_ == Phase::joined &&
      rng_.uniform() * static_cast<double>(n) < 4.0 * expected) {
    probe_order_.probe_next(index);
  }
  emit(MembershipEvent::Kind::suspected, index, now);
}

void NodeCore::arm_suspicion_timer(const NodeId& subject, swim::Suspicion& suspicion) {
  suspicion.set_timer_generation(next_suspicion_generation_++);
  timers_.schedule(suspicion.deadline(), swim::SuspicionTimeout{subject, suspicion.timer_generation()});
}

void NodeCore::clear_suspicion(const NodeId& subject) { suspicions_.erase(subject); }

void NodeCore::suspect_member(std::uint32_t index, Time now, int nacks) {
  const swim::Member& m = table_.at(index);
  if (m.state != MemberState::alive && m.state != MemberState::suspect) return;
  const NodeId subject = m.id();
  const bool confirming = m.state == MemberState::suspect;
  if (confirming && suspicions_.count(subject) == 0) return;
  // Already suspect: our failed probe is an independent confirmation (Lifeguard), so
  // we sign and spread our own suspicion too; apply_suspect counts each signer once.
  // Once we have signed, further failed probes are only more evidence.
  if (!confirming || !suspicions_.at(subject).signed_by(identity_.id())) {
    swim::ClaimRef claim = sign(wire::SuspectClaim{identity_.id(), subject, m.incarnation});
    // Our own suspicion is news wherever it is raised, even while merging a push-pull.
    apply_suspect(claim, now, ClaimSource::gossip);
    // Tell the subject straight away: if it is alive it refutes to us within a round
    // trip, long before gossip would have carried the news to it.
    send_datagram(index, {{wire::MessageKind::suspect, claim->body}}, SendOptions{false, false});
  }
  // Only a failure after the suspicion began is fresh evidence: the probe that raised
  // it is checked again before any verdict (the subject had time to refute).
  if (auto it = suspicions_.find(subject); it != suspicions_.end()) {
    it->second.record_failed_probe(confirming, nacks, now);
  }
}

void NodeCore::on_suspicion_timer(const swim::SuspicionTimeout& timer, Time now) {
  auto it = suspicions_.find(timer.subject);
  if (it == suspicions_.end() || it->second.timer_generation() != timer.generation) return;  // stale
  swim::Suspicion& s = it->second;
  if (s.deadline() > now) {
    timers_.schedule(s.deadline(), timer);
    return;
  }
  const auto index = table_.find(timer.subject);
  if (!index || table_.at(*index).state != MemberState::suspect) {
    clear_suspicion(timer.subject);
    return;
  }
  if (s.has_fresh_evidence(now, swim::scale_by_health(config_.probe_interval, awareness_.score()))) {
    declare_dead(timer.subject, now);
    return;
  }
  // Before a verdict, make sure we have evidence of our own: probe the subject once
  // more (direct and indirect, carrying the suspicion so a live subject answers with
  // its refutation), after the probe under way; that probe's end decides. A member
  // that missed a refutation then does not condemn a live one. Re-armed in case that
  // probe never happens (the round was rebuilt), so a suspicion never hangs.
  s.begin_final_check();
  probe_order_.probe_next(*index);
  const Duration interval = swim::scale_by_health(config_.probe_interval, awareness_.score());
  timers_.schedule(now + 3 * interval, timer);
}

void NodeCore::declare_dead(const NodeId& subject, Time now) {
  auto it = suspicions_.find(subject);
  const auto index = table_.find(subject);
  if (it == suspicions_.end() || !index) return;
  FailureEvidence evidence = it->second.evidence(identity_.id(), now - it->second.started(), awareness_.score());
  const swim::ClaimRef verdict = sign(wire::DeadClaim{identity_.id(), subject, table_.at(*index).incarnation});
  apply_dead(verdict, now, ClaimSource::gossip, std::move(evidence));
}

}  // namespace swell
