// Name conflicts (docs/protocol.md, "Name conflicts"): two live keys announcing one
// PeerInfo id. After every input the node settles each contested name by
// majority::NameOwnership's rule, over what it holds: in majority mode the collected
// reachability views vote, in SWIM mode the announcements alone decide. Every member
// holding the same table (and views) picks the same owner, so a loser hears of its loss
// from its own node as every observer does, with no message of its own on the wire.
#include "swim/node_core.h"

namespace swell {

void NodeCore::settle_names(Time now) {
  if (!names_dirty_) return;
  names_dirty_ = false;
  std::vector<majority::NameClaim> claims;
  claims.reserve(table_.size());
  for (std::uint32_t i = 0; i < table_.size(); ++i) {
    // We claim our name while joined; another member while it is live (a failed or left
    // member claims nothing, so a re-created backend owns its name once the old key fails).
    const bool live = i == 0 ? phase_ == Phase::joined : probeable(i);
    if (live) claims.push_back({&table_.at(i).alive->announcement->info});
  }
  std::vector<std::vector<majority::NameClaim>> contested = majority::contested_names(claims);
  if (contested.empty() && !names_.any()) return;  // the usual case: nothing to settle, nothing to forget
  if (majority_active()) {
    std::vector<majority::NameVoter> voters;
    voters.emplace_back(identity_.id(), &own_view_);
    for (const auto& [id, reach] : reach_) {
      if (reach.live) voters.emplace_back(id, reach.have_view ? &reach.view : nullptr);
    }
    for (auto& group : contested) {
      for (majority::NameClaim& claim : group) claim.votes = majority::reachable_votes(claim.info->owner, voters);
    }
  }
  for (const majority::NameLoss& loss : names_.settle(contested)) {
    const auto index = loss.loser == identity_.id() ? std::optional<std::uint32_t>(0) : table_.find(loss.loser);
    if (!index) continue;
    emit(MembershipEvent::Kind::name_conflict, *index, now);
    out_events_.back().name_owner = loss.owner;
  }
}

std::optional<NodeId> NodeCore::name_lost_to(const NodeId& member) const {
  if (!names_.any()) return std::nullopt;
  return names_.lost_to(member);
}

}  // namespace swell
