// SWIM's membership rules: which claim wins, suspicion with Lifeguard's dynamic
// timeout, refutation, and the events each change produces.
#include <algorithm>

#include "swim/formulas.h"
#include "swim/gentle_growth.h"
#include "swim/node_core.h"

namespace swell {

using swim::TimerKind;

bool NodeCore::accept_claim(ByteView body, wire::MessageKind kind, Time now, bool via_push_pull) {
  auto claim = cache_->intern(body, limits_);
  // The message kind must match the signed payload's: a suspect message carrying an
  // alive payload is malformed, whatever its signature.
  if (!claim.ok() || claim.value()->kind != kind) {
    ++stats_.claims_rejected;
    return false;
  }
  apply(claim.value(), now, via_push_pull);
  return true;
}

void NodeCore::spread(const swim::ClaimRef& claim) {
  // Claims learned by anti-entropy are old news where they came from, and further
  // exchanges carry them on; gossiping them again would make every join storm cost
  // N * N * retransmits instead of N * retransmits per announcement.
  if (!merging_) queue_.enqueue(claim);
}

void NodeCore::apply(const swim::ClaimRef& claim, Time now, bool via_push_pull) {
  struct MergeScope {
    bool& flag;
    bool saved;
    ~MergeScope() { flag = saved; }
  } scope{merging_, merging_};
  merging_ = via_push_pull;
  switch (claim->kind) {
    case wire::MessageKind::alive: apply_alive(claim, now); break;
    case wire::MessageKind::suspect: apply_suspect(claim, now); break;
    case wire::MessageKind::dead:
      if (via_push_pull && claim->subject != identity_.id()) {
        // memberlist's rule: another member's verdict learned by anti-entropy becomes
        // our own suspicion, so a healed partition does not flap members to failed.
        const auto index = table_.find(claim->subject);
        if (index && table_.at(*index).state == MemberState::alive &&
            claim->incarnation >= table_.at(*index).incarnation) {
          suspect_member(*index, now, false, 0);
        }
        break;
      }
      apply_dead(claim, now, std::nullopt);
      break;
    case wire::MessageKind::leave: apply_leave(claim, now); break;
    default: break;
  }
}

void NodeCore::apply_alive(const swim::ClaimRef& claim, Time now) {
  const NodeId& subject = claim->subject;
  if (subject == identity_.id()) {
    // Someone holds an announcement of ours we did not make in this life (we
    // restarted): outbid it.
    if (claim->incarnation >= incarnation_ && claim != table_.at(0).alive && phase_ != Phase::leaving) {
      refute(claim->incarnation, subject, now);
    }
    return;
  }
  const auto index = table_.find(subject);
  if (!index) {
    if (table_.size() >= config_.max_members) {
      ++stats_.members_refused;
      return;
    }
    const std::uint32_t added = table_.add(swim::Member(claim, now));
    // New members enter the current probe round at a random place (memberlist does the
    // same), so they are probed this round without reshuffling.
    if (!probe_order_.empty()) {
      swim::reserve_one_more(probe_order_);
      probe_order_.push_back(added);
      const std::size_t span = probe_order_.size() - probe_cursor_;
      std::swap(probe_order_.back(), probe_order_[probe_cursor_ + rng_.below(span)]);
    }
    spread(claim);
    emit(MembershipEvent::Kind::joined, added, now);
    return;
  }
  swim::Member& m = table_.at(*index);
  if (claim->incarnation <= m.incarnation) return;  // not newer than what we hold
  const MemberState was = m.state;
  const bool info_changed = !(m.alive->announcement->info.id == claim->announcement->info.id &&
                              m.alive->announcement->info.address == claim->announcement->info.address &&
                              m.alive->announcement->info.metrics_port == claim->announcement->info.metrics_port &&
                              m.alive->announcement->info.node_type == claim->announcement->info.node_type &&
                              m.alive->announcement->info.is_load_balancer ==
                                  claim->announcement->info.is_load_balancer &&
                              m.alive->announcement->info.last_updated_ms ==
                                  claim->announcement->info.last_updated_ms &&
                              m.alive->announcement->info.metadata == claim->announcement->info.metadata &&
                              m.alive->announcement->swim_address == claim->announcement->swim_address);
  m.alive = claim;
  table_.raise_incarnation(*index, claim->incarnation);
  // It may have restarted: its sequence numbers start again.
  keys_.reset_window(subject);
  spread(claim);
  if (was != MemberState::alive) {
    table_.set_state(*index, MemberState::alive, now);
    clear_suspicion(subject);
    status_claims_.erase(subject);
    emit(MembershipEvent::Kind::recovered, *index, now);
  } else if (info_changed) {
    emit(MembershipEvent::Kind::updated, *index, now);
  }
}

std::optional<std::uint32_t> NodeCore::accused_member(const swim::ClaimRef& claim, Time now) {
  if (claim->subject == identity_.id()) {
    if (phase_ != Phase::leaving && claim->incarnation >= incarnation_) refute(claim->incarnation, claim->author, now);
    else stale_accusation_seen_ = true;
    return std::nullopt;
  }
  const auto index = table_.find(claim->subject);
  if (!index) return std::nullopt;
  const swim::Member& m = table_.at(*index);
  if (claim->incarnation < m.incarnation || m.state == MemberState::dead || m.state == MemberState::left) {
    return std::nullopt;
  }
  return index;
}

void NodeCore::apply_suspect(const swim::ClaimRef& claim, Time now) {
  const NodeId& subject = claim->subject;
  const auto index = accused_member(claim, now);
  if (!index) return;
  swim::Member& m = table_.at(*index);
  if (m.state == MemberState::suspect && claim->incarnation == m.incarnation) {
    auto it = suspicions_.find(subject);
    if (it == suspicions_.end()) return;
    Suspicion& s = it->second;
    // Lifeguard: only independent confirmations count, each signer once.
    if (claim->author == s.accuser ||
        std::find(s.confirmers.begin(), s.confirmers.end(), claim->author) != s.confirmers.end() ||
        static_cast<int>(s.confirmers.size()) >= s.expected) {
      return;
    }
    s.confirmers.push_back(claim->author);
    spread(claim);
    schedule_suspicion(subject, s, now);
    return;
  }
  table_.raise_incarnation(*index, claim->incarnation);
  table_.set_state(*index, MemberState::suspect, now);
  status_claims_[subject] = claim;
  Suspicion s;
  s.accuser = claim->author;
  s.started = now;
  const std::size_t n = live_members();
  s.min = swim::suspicion_min_timeout(config_.suspicion_mult, n, config_.probe_interval);
  s.max = Duration(static_cast<std::int64_t>(static_cast<double>(s.min.count()) * config_.suspicion_max_mult));
  // Confirmations can come only from members other than the subject, the accuser and us.
  s.expected = std::clamp(static_cast<int>(n) - 3, 0, config_.suspicion_confirmations);
  auto [it, inserted] = suspicions_.insert_or_assign(subject, s);
  (void)inserted;
  schedule_suspicion(subject, it->second, now);
  spread(claim);
  // Probe the suspect next, with a probability that makes about twice the needed
  // confirmations arrive within a probe period or two, whatever the cluster size,
  // without every member pinging it at once.
  if (claim->author != identity_.id() && s.expected > 0 && phase_ == Phase::joined &&
      rng_.uniform() * static_cast<double>(n) < 2.0 * s.expected) {
    if (probe_cursor_ <= probe_order_.size()) probe_order_.insert(probe_order_.begin() + static_cast<std::ptrdiff_t>(probe_cursor_), *index);
  }
  emit(MembershipEvent::Kind::suspected, *index, now);
}

Time NodeCore::Suspicion::deadline() const {
  return started + swim::suspicion_timeout(min, max, static_cast<int>(confirmers.size()), expected);
}

void NodeCore::schedule_suspicion(const NodeId& subject, Suspicion& suspicion, Time /*now*/) {
  if (suspicion.token != 0) suspicion_tokens_.erase(suspicion.token);
  suspicion.token = next_token_++;
  suspicion_tokens_[suspicion.token] = subject;
  timers_.schedule(suspicion.deadline(), TimerKind::suspicion, suspicion.token);
}

void NodeCore::clear_suspicion(const NodeId& subject) {
  auto it = suspicions_.find(subject);
  if (it == suspicions_.end()) return;
  suspicion_tokens_.erase(it->second.token);
  suspicions_.erase(it);
}

void NodeCore::suspect_member(std::uint32_t index, Time now, bool probed_by_us, int nacks) {
  swim::Member& m = table_.at(index);
  if (m.state != MemberState::alive && m.state != MemberState::suspect) return;
  const NodeId subject = m.id();
  const bool confirming = m.state == MemberState::suspect;
  // Already suspect: our failed probe is an independent confirmation (Lifeguard), so
  // we sign and spread our own suspicion too; apply_suspect counts each signer once.
  if (confirming) {
    auto it = suspicions_.find(subject);
    if (it == suspicions_.end() || it->second.accuser == identity_.id() ||
        std::find(it->second.confirmers.begin(), it->second.confirmers.end(), identity_.id()) !=
            it->second.confirmers.end()) {
      return;
    }
  }
  swim::ClaimRef claim = sign(wire::SuspectClaim{identity_.id(), subject, m.incarnation});
  // Our own suspicion is news wherever it is raised, even while merging a push-pull.
  const bool merging = std::exchange(merging_, false);
  apply_suspect(claim, now);
  merging_ = merging;
  // Tell the subject straight away: if it is alive it refutes to us within a round
  // trip, long before gossip would have carried the news to it.
  if (probed_by_us) send_datagram(index, {{wire::MessageKind::suspect, claim->body}}, nullptr, false);
  if (auto it = suspicions_.find(subject); it != suspicions_.end() && probed_by_us) {
    it->second.probed_by_us = true;
    // Only a failure after the suspicion began is fresh evidence: the probe that raised
    // it is checked again before any verdict (the subject had time to refute).
    it->second.confirmed_by_probe = confirming;
    it->second.nacks_seen = std::max(it->second.nacks_seen, nacks);
  }
}

void NodeCore::on_suspicion_timer(std::uint64_t token, Time now) {
  auto token_it = suspicion_tokens_.find(token);
  if (token_it == suspicion_tokens_.end()) return;  // stale: rescheduled or cleared
  const NodeId subject = token_it->second;
  auto it = suspicions_.find(subject);
  if (it == suspicions_.end()) return;
  const Suspicion& s = it->second;
  if (s.deadline() > now) {
    timers_.schedule(s.deadline(), TimerKind::suspicion, token);
    return;
  }
  const auto index = table_.find(subject);
  if (!index || table_.at(*index).state != MemberState::suspect) {
    clear_suspicion(subject);
    return;
  }
  // Before a verdict, make sure we have evidence of our own: if our probe of the
  // subject has not failed during the suspicion, probe it once more (direct and
  // indirect, carrying the suspicion so a live subject answers with its refutation).
  // A member that missed a refutation then does not condemn a live one.
  if (!s.confirmed_by_probe) {
    // Probe it next, after the probe under way (which may be another suspect's final
    // check); the probe's end decides. Re-arm in case that probe never happens (the
    // round was rebuilt), so a suspicion can never be left hanging.
    it->second.verifying = true;
    if (probe_cursor_ <= probe_order_.size()) {
      probe_order_.insert(probe_order_.begin() + static_cast<std::ptrdiff_t>(probe_cursor_), *index);
    }
    const Duration interval = swim::scale_by_health(config_.probe_interval, awareness_.score());
    timers_.schedule(now + 3 * interval, TimerKind::suspicion, token);
    return;
  }
  declare_dead(subject, now);
}

void NodeCore::declare_dead(const NodeId& subject, Time now) {
  auto it = suspicions_.find(subject);
  const auto index = table_.find(subject);
  if (it == suspicions_.end() || !index) return;
  const Suspicion& s = it->second;
  FailureEvidence evidence;
  evidence.first_suspected_by = s.accuser;
  evidence.confirmations = s.confirmers;
  evidence.nacks_seen = s.nacks_seen;
  evidence.probed_by_us = s.probed_by_us;
  evidence.declared_by = identity_.id();
  evidence.timeout_used = now - s.started;
  evidence.local_health = awareness_.score();
  evidence.suspected_at = s.started;
  apply_dead(sign(wire::DeadClaim{identity_.id(), subject, table_.at(*index).incarnation}), now, std::move(evidence));
}

void NodeCore::apply_dead(const swim::ClaimRef& claim, Time now, std::optional<FailureEvidence> evidence) {
  const NodeId& subject = claim->subject;
  const auto index = accused_member(claim, now);
  if (!index) return;
  if (!evidence) {
    FailureEvidence accepted;
    accepted.declared_by = claim->author;
    accepted.local_health = awareness_.score();
    if (auto it = suspicions_.find(subject); it != suspicions_.end()) {
      accepted.first_suspected_by = it->second.accuser;
      accepted.confirmations = it->second.confirmers;
      accepted.nacks_seen = it->second.nacks_seen;
      accepted.probed_by_us = it->second.probed_by_us;
      accepted.suspected_at = it->second.started;
    } else {
      accepted.first_suspected_by = claim->author;
      accepted.suspected_at = now;
    }
    evidence = std::move(accepted);
  }
  table_.raise_incarnation(*index, claim->incarnation);
  table_.set_state(*index, MemberState::dead, now);
  clear_suspicion(subject);
  status_claims_[subject] = claim;
  spread(claim);
  emit(MembershipEvent::Kind::failed, *index, now, std::move(evidence));
}

void NodeCore::apply_leave(const swim::ClaimRef& claim, Time now) {
  const NodeId& subject = claim->subject;
  if (subject == identity_.id()) return;
  const auto index = table_.find(subject);
  if (!index) return;
  swim::Member& m = table_.at(*index);
  if (claim->incarnation < m.incarnation || m.state == MemberState::left) return;
  table_.raise_incarnation(*index, claim->incarnation);
  table_.set_state(*index, MemberState::left, now);
  clear_suspicion(subject);
  status_claims_[subject] = claim;
  spread(claim);
  emit(MembershipEvent::Kind::left, *index, now);
}

void NodeCore::refute(std::uint64_t accused_incarnation, const NodeId& accuser, Time now) {
  // An accusation at the very top cannot be outbid by a claim others would accept;
  // no real history gets there (2^62 refutations), so it is a forgery to ignore.
  if (std::max(incarnation_, accused_incarnation) >= wire::kMaxIncarnation) return;
  incarnation_ = std::max(incarnation_, accused_incarnation) + 1;
  sign_own_alive();
  ++stats_.refutations;
  // Lifeguard: being suspected hints that we are the slow one.
  awareness_.apply_delta(1);
  // Tell the accuser first, so its timer stops before the news spreads.
  if (const auto index = table_.find(accuser); index && *index != 0) {
    send_datagram(*index, {{wire::MessageKind::alive, table_.at(0).alive->body}}, nullptr, false);
  }
  (void)now;
}

}  // namespace swell
