// SWIM's membership rules: which claim wins, refutation, and the events each change
// produces. Suspicion itself is in suspect.cpp.
#include "crypto/claim_auth.h"
#include "swim/node_core.h"

namespace swell {

namespace {

bool same_announcement(const Announcement& a, const Announcement& b) {
  return a.info.id == b.info.id && a.info.address == b.info.address && a.info.metrics_port == b.info.metrics_port &&
         a.info.node_type == b.info.node_type && a.info.is_load_balancer == b.info.is_load_balancer &&
         a.info.last_updated_ms == b.info.last_updated_ms && a.info.metadata == b.info.metadata &&
         a.swim_address == b.swim_address;
}

}  // namespace

NodeCore::ClaimOutcome NodeCore::accept_claim(ByteView body, wire::MessageKind kind, Time now, ClaimSource source,
                                              const NodeId* via) {
  auto claim = cache_->intern(body, limits_);
  // The message kind must match the signed payload's: a suspect message carrying an
  // alive payload is malformed, whatever its signature.
  // A push-pull record of a revoked member carries the revocation as its status claim.
  const bool revocation_record = kind == wire::MessageKind::dead && claim.ok() &&
                                 claim.value()->kind == wire::MessageKind::revocation;
  if (!claim.ok() || (claim.value()->kind != kind && !revocation_record)) {
    ++stats_.claims_rejected;
    return ClaimOutcome::rejected;
  }
  if (claim.value()->kind == wire::MessageKind::revocation) return apply_revocation_claim(claim.value(), now);
  // A rotation is admitted by its successor's alive claim (rotation.cpp).
  if (claim.value()->kind == wire::MessageKind::rotation) return apply_rotation(claim.value(), now, source);
  if (!admitted(claim.value(), now)) return ClaimOutcome::rejected;
  return apply(claim.value(), now, source, via);
}

void NodeCore::spread(const swim::ClaimRef& claim, ClaimSource source) {
  // Claims learned by anti-entropy are old news where they came from, and further
  // exchanges carry them on; gossiping them again would make every join storm cost
  // N * N * retransmits instead of N * retransmits per announcement.
  if (source != ClaimSource::gossip) return;
  enqueue_gossip(claim);
  if (majority_active()) broadcast_claim(claim);
}

bool NodeCore::is_stale_accusation(const swim::ClaimRef& claim) const {
  const bool accusation = claim->kind == wire::MessageKind::suspect || claim->kind == wire::MessageKind::dead;
  return accusation && claim->subject == identity_.id() &&
         (phase_ == Phase::leaving || claim->incarnation < incarnation_);
}

NodeCore::ClaimOutcome NodeCore::apply(const swim::ClaimRef& claim, Time now, ClaimSource source, const NodeId* via) {
  // Decided before applying: a refutation below raises our incarnation.
  const bool stale = is_stale_accusation(claim);
  const bool accusation = claim->kind == wire::MessageKind::suspect || claim->kind == wire::MessageKind::dead;
  // A member we hold down is one whose own traffic we judged unreliable; what it says
  // of others is dropped (a lossy member accuses each member it probes). Accusations
  // of us still get refuted, for the members that do not hold it down.
  if (accusation && claim->subject != identity_.id() && damper_.held(claim->author)) return ClaimOutcome::applied;
  if (drop_accusation(claim, now, via)) return ClaimOutcome::applied;
  switch (claim->kind) {
    case wire::MessageKind::alive: apply_alive(claim, now, source); break;
    case wire::MessageKind::suspect: apply_suspect(claim, now, source); break;
    case wire::MessageKind::dead: {
      if (claim->retired) {
        apply_retire(claim, now, source);
        break;
      }
      const auto index = claim->subject == identity_.id() ? std::nullopt : table_.find(claim->subject);
      const MemberState state = index ? table_.at(*index).state : MemberState::left;
      if (claim->degraded && (state == MemberState::alive || state == MemberState::suspect)) {
        on_hold_down_verdict(claim, now, source);
        break;
      }
      if (state == MemberState::alive || state == MemberState::suspect) {
        weigh_verdict(claim, *index, now, source);
        break;
      }
      apply_dead(claim, now, source, std::nullopt);
      break;
    }
    case wire::MessageKind::leave: apply_leave(claim, now, source); break;
    default: break;
  }
  return stale ? ClaimOutcome::stale_accusation : ClaimOutcome::applied;
}

bool NodeCore::drop_accusation(const swim::ClaimRef& claim, Time now, const NodeId* via) {
  const bool accusation = claim->kind == wire::MessageKind::suspect || claim->kind == wire::MessageKind::dead;
  // A force-leave retires a member already failed: it accuses no one.
  if (!accusation || claim->retired || claim->author == identity_.id()) return false;
  if (!accusers_.exhausted(claim->author, now)) return false;
  if (claim->subject == identity_.id()) {
    // An accuser nobody believes any more, telling us itself: refuting would only bump
    // our incarnation and gossip it cluster-wide at every one of its rounds. A copy
    // relayed by another member (who may still believe it) is refuted as usual.
    if (via == nullptr || *via != claim->author) return false;
    ++stats_.accusations_dropped;
    return true;
  }
  // Each dropped accusation costs a point too, so an accuser that keeps accusing stays
  // silenced for as long as it keeps at it (AccuserBudget).
  accusers_.charge(claim->author, now);
  ++stats_.accusations_dropped;
  return true;
}

void NodeCore::weigh_verdict(const swim::ClaimRef& claim, std::uint32_t index, Time now, ClaimSource source) {
  // No single signer condemns a member (docs/security.md, Insiders). Another member's
  // verdict is taken with our own evidence, or once kVerdictQuorum distinct members
  // signed the suspicion; until then it is a suspicion in its author's name. We do not
  // sign one of our own on its word (as this node once did): every member would then
  // add its signature to one liar's and make the quorum for it. A member really dead
  // was suspected and confirmed by several before any verdict, so this costs nothing
  // there; a member whose refutation missed us gets our own final check first.
  const swim::Member& m = table_.at(index);
  if (claim->incarnation < m.incarnation) {
    heard_again(claim, source);
    return;
  }
  auto it = suspicions_.find(claim->subject);
  if (m.state == MemberState::alive || claim->incarnation > m.incarnation || it == suspicions_.end()) {
    raise_suspicion(claim, index, now, source);
    return;
  }
  swim::Suspicion& s = it->second;
  const bool counted = s.confirm(claim->author);
  if (s.accepts_verdict()) {
    apply_dead(claim, now, source, std::nullopt);
    return;
  }
  // Not yet a verdict here, and not relayed as one: our own timer and final check, or
  // more signers, decide.
  if (counted) arm_suspicion_timer(claim->subject, s);
  heard_again(claim, source);
}

void NodeCore::charge_refuted_accusers(const NodeId& subject, Time now) {
  auto it = suspicions_.find(subject);
  if (it == suspicions_.end()) return;
  for (const NodeId& signer : it->second.signers()) {
    if (signer != identity_.id()) accusers_.charge(signer, now);
  }
}

void NodeCore::add_member(const swim::ClaimRef& claim, Time now, ClaimSource source) {
  if (table_.size() >= config_.max_members) {
    ++stats_.members_refused;
    return;
  }
  const std::uint32_t added = table_.add(swim::Member(claim, now));
  probe_order_.add(added, claim->subject.prefix64(), rng_);
  spread(claim, source);
  emit(MembershipEvent::Kind::joined, added, now);
}

void NodeCore::apply_alive(const swim::ClaimRef& claim, Time now, ClaimSource source) {
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
    add_member(claim, now, source);
    return;
  }
  swim::Member& m = table_.at(*index);
  if (claim->incarnation <= m.incarnation) {  // not newer than what we hold
    heard_again(claim, source);
    return;
  }
  if (damper_.held(subject)) {
    // Held down: keep its newest announcement, but its refutation brings it back only
    // through probation (and is not spread, so it does not undo the hold elsewhere).
    m.alive = claim;
    table_.raise_incarnation(*index, claim->incarnation);
    keys_.reset_window(subject);
    return;
  }
  const MemberState was = m.state;
  if (was == MemberState::suspect) charge_refuted_accusers(subject, now);
  const bool info_changed = !same_announcement(*m.alive->announcement, *claim->announcement);
  m.alive = claim;
  table_.raise_incarnation(*index, claim->incarnation);
  // It may have restarted: its sequence numbers start again.
  keys_.reset_window(subject);
  spread(claim, source);
  if ((was == MemberState::suspect || was == MemberState::dead) && hold_down_if_flapping(*index, now)) return;
  if (was != MemberState::alive) {
    table_.set_state(*index, MemberState::alive, now);
    clear_suspicion(subject);
    status_claims_.erase(subject);
    probe_order_.became_live(*index, subject.prefix64());
    emit(MembershipEvent::Kind::recovered, *index, now);
  } else if (info_changed) {
    emit(MembershipEvent::Kind::updated, *index, now);
  }
}

bool NodeCore::hold_down_if_flapping(std::uint32_t index, Time now) {
  const NodeId subject = table_.at(index).id();
  if (table_.at(index).state == MemberState::dead) {
    // It refutes a verdict: a flap. At the limit it stays failed (no new failed event).
    if (!damper_.record_flap(subject, now)) return false;
    damper_.hold(subject, now);
    return true;
  }
  auto suspicion = suspicions_.find(subject);
  // Only suspicions others confirmed count: a lone accuser (a deaf member accusing
  // everyone) must not get healthy members held down.
  if (suspicion == suspicions_.end() || suspicion->second.confirmations() == 0) return false;
  if (!damper_.record_flap(subject, now)) return false;
  FailureEvidence evidence = suspicion->second.evidence(identity_.id(), now - suspicion->second.started(),
                                                        awareness_.score());
  evidence.flapping = true;
  // At its new incarnation, so the verdict outranks the refutation everywhere; as a
  // hold-down, so each receiver checks the member itself rather than taking our word.
  wire::DeadClaim dead{identity_.id(), subject, table_.at(index).incarnation};
  dead.degraded = true;
  const swim::ClaimRef verdict = sign(dead);
  apply_dead(verdict, now, ClaimSource::gossip, std::move(evidence));
  damper_.hold(subject, now);
  return true;
}

void NodeCore::readmit(std::uint32_t index, Time now) {
  swim::Member& m = table_.at(index);
  if (m.state != MemberState::dead) return;
  table_.set_state(index, MemberState::alive, now);
  status_claims_.erase(m.id());
  probe_order_.became_live(index, m.id().prefix64());
  enqueue_gossip(m.alive);
  emit(MembershipEvent::Kind::recovered, index, now);
}

std::optional<std::uint32_t> NodeCore::accused_member(const swim::ClaimRef& claim, Time now) {
  if (claim->subject == identity_.id()) {
    if (!is_stale_accusation(claim)) refute(claim->incarnation, claim->author, now);
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

void NodeCore::apply_dead(const swim::ClaimRef& claim, Time now, ClaimSource source,
                          std::optional<FailureEvidence> evidence) {
  const NodeId& subject = claim->subject;
  const auto index = accused_member(claim, now);
  if (!index) {
    heard_again(claim, source);
    return;
  }
  if (!evidence) {
    // Someone else's verdict: the evidence is theirs, plus whatever suspicion we held.
    auto it = suspicions_.find(subject);
    evidence = it != suspicions_.end() ? it->second.evidence(claim->author, Duration{0}, awareness_.score())
                                       : swim::accepted_verdict_evidence(claim->author, now, awareness_.score());
  }
  table_.raise_incarnation(*index, claim->incarnation);
  table_.set_state(*index, MemberState::dead, now);
  clear_suspicion(subject);
  status_claims_[subject] = claim;
  spread(claim, source);
  emit(MembershipEvent::Kind::failed, *index, now, std::move(evidence));
}

void NodeCore::apply_leave(const swim::ClaimRef& claim, Time now, ClaimSource source) {
  const NodeId& subject = claim->subject;
  if (subject == identity_.id()) return;
  const auto index = table_.find(subject);
  if (!index) return;
  swim::Member& m = table_.at(*index);
  if (claim->incarnation < m.incarnation || m.state == MemberState::left) {
    heard_again(claim, source);
    return;
  }
  table_.raise_incarnation(*index, claim->incarnation);
  hold_as_left(*index, claim, now);
  spread(claim, source);
  emit(MembershipEvent::Kind::left, *index, now);
}

void NodeCore::hold_as_left(std::uint32_t index, const swim::ClaimRef& why, Time now) {
  const NodeId subject = table_.at(index).id();
  table_.set_state(index, MemberState::left, now);
  clear_suspicion(subject);
  damper_.forget(subject);
  accusers_.forget(subject);
  link_.forget(subject);
  status_claims_[subject] = why;
}

void NodeCore::refute(std::uint64_t accused_incarnation, const NodeId& accuser, Time /*now*/) {
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
    send_datagram(*index, {{wire::MessageKind::alive, table_.at(0).alive->body}}, SendOptions{false, false});
  }
}

void NodeCore::sign_own_alive() {
  local_info_.version = incarnation_;
  swim::ClaimRef own = sign(wire::AliveClaim{local_info_, swim_address_, agreement_key_, config_.admission.certificate});
  swim::Member& self = table_.at(0);
  self.alive = own;
  table_.raise_incarnation(0, incarnation_);
  enqueue_gossip(own);
  if (config_.heal_contact && majority_active() && phase_ == Phase::joined) broadcast_own_alive(own);
}

swim::ClaimRef NodeCore::sign(const wire::Claim& claim) {
  wire::SignedClaim signed_claim = crypto::sign_claim(identity_, wire::encode_claim_payload(claim), config_.cluster_label);
  return cache_->adopt(signed_claim, claim);
}

}  // namespace swell
