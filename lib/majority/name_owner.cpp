#include "majority/name_owner.h"

#include <algorithm>
#include <cassert>

#include "majority/report_order.h"

namespace swell::majority {

std::vector<std::vector<NameClaim>> contested_names(std::span<const NameClaim> claims) {
  std::vector<NameClaim> sorted(claims.begin(), claims.end());
  std::sort(sorted.begin(), sorted.end(), [](const NameClaim& a, const NameClaim& b) {
    return a.info->id != b.info->id ? a.info->id < b.info->id : a.info->owner < b.info->owner;
  });
  std::vector<std::vector<NameClaim>> groups;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t end = i + 1;
    while (end < sorted.size() && sorted[end].info->id == sorted[i].info->id) ++end;
    if (end - i > 1) groups.emplace_back(sorted.begin() + static_cast<std::ptrdiff_t>(i),
                                         sorted.begin() + static_cast<std::ptrdiff_t>(end));
    i = end;
  }
  return groups;
}

std::size_t reachable_votes(const NodeId& key, std::span<const NameVoter> voters) {
  const std::uint64_t prefix = key.prefix64();
  std::size_t votes = 0;
  for (const auto& [voter, view] : voters) {
    if (voter == key || view == nullptr || !view->unreachable(prefix)) ++votes;
  }
  return votes;
}

const PeerInfo& choose_name_owner(std::span<const NameClaim> claims) {
  assert(!claims.empty());
  const NameClaim* best = &claims.front();
  for (const NameClaim& claim : claims.subspan(1)) {
    // Votes first: a claimant most members cannot hear (a stale process behind a
    // partition, a crash not yet declared) does not keep a name a reachable one claims.
    if (claim.votes != best->votes) {
      if (claim.votes > best->votes) best = &claim;
      continue;
    }
    // Then the newer announcement, the order the Resolver picks a node's record by: a
    // backend re-created under its old name announced later than the original did.
    if (newer_report(*claim.info, *best->info)) best = &claim;
  }
  return *best->info;
}

std::vector<NameLoss> NameOwnership::settle(const std::vector<std::vector<NameClaim>>& contested) {
  std::map<std::string, NodeId, std::less<>> owners;
  std::map<NodeId, NodeId> lost_to;
  std::vector<NameLoss> losses;
  for (const std::vector<NameClaim>& group : contested) {
    const PeerInfo& owner = choose_name_owner(group);
    owners.emplace(owner.id, owner.owner);
    for (const NameClaim& claim : group) {
      const NodeId& key = claim.info->owner;
      if (key == owner.owner) continue;
      lost_to.emplace(key, owner.owner);
      auto before = lost_to_.find(key);
      if (before == lost_to_.end() || before->second != owner.owner) losses.push_back({key, owner.owner, owner.id});
    }
  }
  owners_ = std::move(owners);
  lost_to_ = std::move(lost_to);
  return losses;
}

std::optional<NodeId> NameOwnership::lost_to(const NodeId& key) const {
  auto it = lost_to_.find(key);
  if (it == lost_to_.end()) return std::nullopt;
  return it->second;
}

std::optional<NodeId> NameOwnership::owner_of(std::string_view name) const {
  auto it = owners_.find(name);
  if (it == owners_.end()) return std::nullopt;
  return it->second;
}

}  // namespace swell::majority
