// An operator's force-leave (swell-agent force-leave): a failed member is held as left,
// so nobody keeps trying to reconnect to it and it is forgotten after the reconnect
// window. The verdict is a dead claim with cause "retired", signed by the member the
// operator asked; others apply it only to a member they already hold failed, so it can
// never take down a member some part of the cluster still reaches.
#include "swim/node_core.h"

namespace swell {

Result<void> NodeCore::force_leave(const NodeId& member, Time now) {
  if (phase_ != Phase::joined) {
    return Error{ErrorCode::wrong_state, "force-leave needs a joined member (this one is joining, leaving or idle)"};
  }
  if (member == identity_.id()) {
    return Error{ErrorCode::invalid_argument, "a member cannot force-leave itself; use leave"};
  }
  const auto index = table_.find(member);
  if (!index) {
    return Error{ErrorCode::unknown_member, "no member " + member.short_hex() + " in this view"};
  }
  const swim::Member& m = table_.at(*index);
  if (m.state == MemberState::left) return success();
  if (m.state != MemberState::dead) {
    return Error{ErrorCode::invalid_argument,
                 "member " + member.short_hex() + " is " + to_string(m.state) +
                     " in this view; only a failed member can be force-left (stop it, or wait for its verdict)"};
  }
  wire::DeadClaim retire{identity_.id(), member, m.incarnation};
  retire.retired = true;
  apply_retire(sign(retire), now, ClaimSource::gossip);
  return success();
}

void NodeCore::apply_retire(const swim::ClaimRef& claim, Time now, ClaimSource source) {
  if (claim->subject == identity_.id()) {
    // We were only cut off: outbid the verdict, as any other, and be let in again.
    if (!is_stale_accusation(claim)) refute(claim->incarnation, claim->author, now);
    return;
  }
  const auto index = table_.find(claim->subject);
  if (!index) return;
  const swim::Member& m = table_.at(*index);
  // Alive or suspect here: we still reach it, or have not judged it; the operator's
  // word is about a member their agent holds failed, so it does not travel further.
  // Failed here at a higher incarnation than the operator's agent saw (it missed a
  // refutation before the crash) is failed all the same: comparing incarnations left
  // such a member failed here and left there, for good (a clean-clone CI run).
  if (m.state != MemberState::dead) {
    heard_again(claim, source);
    return;
  }
  hold_as_left(*index, claim, now);
  spread(claim, source);
  emit(MembershipEvent::Kind::left, *index, now);
}

}  // namespace swell
