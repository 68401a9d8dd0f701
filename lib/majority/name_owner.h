// NameOwner: which of several live keys announcing one PeerInfo id (a name) owns it
// (docs/protocol.md, "Name conflicts"). A backend re-created with a new key under its old
// name, or two processes started with one config, make two members claim one name; every
// member must pick the same owner, as Serf settles a name conflict by a majority of its
// members' answers (its `_serf_conflict` query).
//
//   std::vector<majority::NameClaim> claims = {{&info_a}, {&info_b}};
//   auto groups = majority::contested_names(claims);
//   for (auto& group : groups) {
//     for (auto& claim : group) claim.votes = majority::reachable_votes(claim.info->owner, voters);
//   }
//   for (const majority::NameLoss& loss : ownership.settle(std::move(groups))) emit(loss);
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "majority/reachability_view.h"
#include "swell/node_id.h"
#include "swell/peer_info.h"

namespace swell::majority {

/// One live key's claim on a name: its announcement, and the votes the rule weighs first.
struct NameClaim {
  const PeerInfo* info = nullptr;  ///< The claimant's announcement; info->owner is its key.
  std::size_t votes = 0;           ///< Majority mode: voters whose view holds it reachable. SWIM: 0 for all.
};

/// One voter of majority mode: a live member and its latest view (null: none received,
/// it votes "reachable", as tally_majority counts it).
using NameVoter = std::pair<NodeId, const ReachabilityView*>;

/// The claims grouped by name, only the names two or more keys claim; groups sorted by
/// name, each group by key, so the result never depends on the input's order.
std::vector<std::vector<NameClaim>> contested_names(std::span<const NameClaim> claims);

/// Voters that hold key reachable: the key itself, a voter whose view we lack, and every
/// voter whose view does not list it unreachable.
std::size_t reachable_votes(const NodeId& key, std::span<const NameVoter> voters);

/// The owner among claims (non-empty, distinct keys): most votes, then the newer
/// announcement by the Resolver's report order (majority::newer_report: later
/// last_updated_ms, higher version, smaller grouping key, smaller key). A total order,
/// so every member holding the same claims and votes picks the same key.
const PeerInfo& choose_name_owner(std::span<const NameClaim> claims);

/// A key that has just lost its name, and the key that owns it now.
struct NameLoss {
  NodeId loser;      ///< Keeps its membership; queries by name return owner.
  NodeId owner;      ///< The key the rule chose.
  std::string name;  ///< The PeerInfo id they share.
};

/// The contested names as one member settled them last: who owns each, who lost to whom.
class NameOwnership {
 public:
  /// Settles every contested name (contested_names' groups, votes filled in) and forgets
  /// names no longer contested. Returns each key that lost its name since the last call,
  /// or lost it to another owner, in (name, key) order: one name_conflict event each.
  std::vector<NameLoss> settle(const std::vector<std::vector<NameClaim>>& contested);
  /// The key that owns this key's name, when it lost it.
  [[nodiscard]] std::optional<NodeId> lost_to(const NodeId& key) const;
  /// The owner of a contested name; nullopt when no two live keys claim it.
  [[nodiscard]] std::optional<NodeId> owner_of(std::string_view name) const;
  /// True when some name is contested.
  [[nodiscard]] bool any() const { return !owners_.empty(); }

 private:
  std::map<std::string, NodeId, std::less<>> owners_;
  std::map<NodeId, NodeId> lost_to_;
};

}  // namespace swell::majority
