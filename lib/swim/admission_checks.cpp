// Admission in the node: which claims, datagrams and streams are refused (the decision
// itself is swim::Admission's), revocations, and removing members no longer admitted.
#include "swim/node_core.h"

namespace swell {

void NodeCore::count_refusal(AdmissionRefusal why) {
  switch (why) {
    case AdmissionRefusal::not_listed: ++stats_.admission_refused_not_listed; break;
    case AdmissionRefusal::expired: ++stats_.admission_refused_expired; break;
    case AdmissionRefusal::bad_certificate: ++stats_.admission_refused_bad_certificate; break;
    case AdmissionRefusal::revoked: ++stats_.admission_refused_revoked; break;
    case AdmissionRefusal::wrong_type: ++stats_.admission_refused_wrong_type; break;
    case AdmissionRefusal::rotated: ++stats_.admission_refused_rotated; break;
    case AdmissionRefusal::none: break;
  }
}

bool NodeCore::admitted(const swim::ClaimRef& claim, Time now) {
  if (admission_.mode() == AdmissionMode::open && admission_.revoked_count() == 0 && admission_.retired_count() == 0) {
    return true;
  }
  if (claim->author == identity_.id()) return true;
  AdmissionRefusal why = AdmissionRefusal::none;
  if (claim->kind == wire::MessageKind::alive) {
    why = admission_.check_alive(*claim, now);
    if (why == AdmissionRefusal::none) {
      admission_.pardon(claim->subject);  // a renewed certificate lets a refused key back
      return true;
    }
    // A member we hold announced something no longer admitted (a certificate that
    // expired, or another role than its certificate allows): it goes.
    // (A retired key's record is left already: its old claims still in flight change nothing.)
    if (const auto index = table_.find(claim->subject);
        index && table_.at(*index).state != MemberState::dead && !retired_record(table_.at(*index))) {
      remove_not_admitted(*index, why, identity_.id(), nullptr, now);
    }
  } else {
    why = admission_.check_key(claim->author);
    // In ca mode a key is admitted by its certificate, which travels in its alive
    // claim: what a key we hold no admitted alive claim of says is not heard (gossip
    // brings it again once its announcement has reached us).
    if (why == AdmissionRefusal::none && admission_.mode() == AdmissionMode::ca && !table_.find(claim->author)) {
      why = AdmissionRefusal::bad_certificate;
    }
    if (why == AdmissionRefusal::none) return true;
  }
  count_refusal(why);
  // Remembered, so the key's next datagrams are dropped unread (receive.cpp). A claim
  // about a member held by us is the only thing that could have put it there.
  if (why != AdmissionRefusal::bad_certificate || claim->kind == wire::MessageKind::alive) {
    admission_.refuse(claim->kind == wire::MessageKind::alive ? claim->subject : claim->author, why);
  }
  return false;
}

NodeCore::ClaimOutcome NodeCore::apply_revocation_claim(const swim::ClaimRef& claim, Time now) {
  if (!admission_.trusts(claim->author)) {
    ++stats_.revocations_untrusted;
    ++stats_.claims_rejected;
    return ClaimOutcome::rejected;
  }
  if (!admission_.revoke(claim->subject)) {
    heard_again(claim, ClaimSource::gossip);
    return ClaimOutcome::applied;
  }
  ++stats_.revocations_applied;
  // Gossiped whatever its source: it must reach every member, and there are few.
  enqueue_gossip(claim);
  if (claim->subject == identity_.id()) return ClaimOutcome::applied;
  if (const auto index = table_.find(claim->subject)) {
    remove_not_admitted(*index, AdmissionRefusal::revoked, claim->author, claim, now);
  }
  return ClaimOutcome::applied;
}

void NodeCore::remove_not_admitted(std::uint32_t index, AdmissionRefusal why, const NodeId& by,
                                   const swim::ClaimRef& status, Time now) {
  const NodeId subject = table_.at(index).id();
  const MemberState was = table_.at(index).state;
  admission_.refuse(subject, why);
  clear_suspicion(subject);
  damper_.forget(subject);
  link_.forget(subject);
  ++stats_.members_removed;
  if (status) {
    status_claims_[subject] = status;
  } else if (was != MemberState::dead) {
    // Our own verdict justifies the state in push-pull records (never gossiped: every
    // member decides expiry and the allow-list itself). A member that comes back with a
    // renewed certificate learns from it which incarnation to outbid.
    status_claims_[subject] = sign(wire::DeadClaim{identity_.id(), subject, table_.at(index).incarnation});
  }
  if (was == MemberState::dead) return;  // already failed here: no second event
  table_.set_state(index, MemberState::dead, now);
  FailureEvidence evidence = swim::accepted_verdict_evidence(by, now, awareness_.score());
  evidence.removed_for = why;
  emit(MembershipEvent::Kind::failed, index, now, std::move(evidence));
}

void NodeCore::sweep_admission(Time now) {
  if (admission_.mode() == AdmissionMode::open) return;
  for (std::uint32_t i = 1; i < table_.size(); ++i) {
    const swim::Member& m = table_.at(i);
    if (m.state == MemberState::dead || retired_record(m)) continue;
    const AdmissionRefusal why = admission_.check_alive(*m.alive, now);
    if (why != AdmissionRefusal::none) {
      count_refusal(why);
      remove_not_admitted(i, why, identity_.id(), nullptr, now);
    }
  }
}

Result<void> NodeCore::apply_revocation(ByteView signed_revocation, Time now) {
  if (phase_ == Phase::idle) return Error{ErrorCode::wrong_state, "revocation before join(); join first"};
  auto claim = cache_->intern(signed_revocation, limits_);
  if (!claim.ok()) return claim.error();
  if (claim.value()->kind != wire::MessageKind::revocation) {
    return Error{ErrorCode::invalid_argument, std::string("a ") + std::string(wire::to_string(claim.value()->kind)) +
                                                  " claim is not a revocation; make one with swell-agent ca revoke"};
  }
  if (!admission_.trusts(claim.value()->author)) {
    return Error{ErrorCode::invalid_argument, "revocation signed by " + claim.value()->author.short_hex() +
                                                  ", which is not a trusted CA here; add it to "
                                                  "admission.trusted_cas or sign with a trusted CA"};
  }
  (void)apply_revocation_claim(claim.value(), now);
  return success();
}

void NodeCore::set_allowlist(std::vector<NodeId> keys, Time now) {
  admission_.set_allowed(keys);
  sweep_admission(now);
}

Result<void> NodeCore::set_trusted_cas(std::vector<NodeId> keys, Time now) {
  if (admission_.mode() == AdmissionMode::ca) {
    if (keys.empty()) return Error{ErrorCode::invalid_argument, "trusted CA list is empty; ca mode needs one"};
    auto own = wire::decode_certificate(config_.admission.certificate);
    if (own.ok() && std::find(keys.begin(), keys.end(), own.value().ca) == keys.end()) {
      return Error{ErrorCode::invalid_argument, "the new CA list drops " + own.value().ca.short_hex() +
                                                    ", the CA of this node's own certificate; re-issue it first"};
    }
  }
  admission_.set_trusted_cas(keys);
  sweep_admission(now);
  return success();
}

}  // namespace swell
