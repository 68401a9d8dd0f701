// ReachabilityView: one member's picture of whom it can hear, as majority mode
// exchanges it (docs/majority.md). It lists the members the author has not heard from
// for longer than the silence limit; its digest lets two members compare copies with
// eight bytes on every heartbeat, so the list itself crosses the wire only when it
// changed.
//
//   majority::ReachabilityView mine;
//   if (mine.set(peer_prefix, /*unreachable=*/true)) send_view_to_everyone(mine);
//   heartbeat.view_digest = mine.digest();
#pragma once

#include <cstdint>
#include <set>
#include <vector>

namespace swell::majority {

/// The members (by 8-byte id prefix) one author currently cannot hear.
class ReachabilityView {
 public:
  ReachabilityView() = default;
  /// A view received whole (prefixes in any order; duplicates collapse).
  explicit ReachabilityView(const std::vector<std::uint64_t>& unreachable);
  /// Marks member unreachable or reachable; true if that changed the view.
  bool set(std::uint64_t member, bool unreachable);
  /// Forgets member (it left the table); true if it was listed.
  bool erase(std::uint64_t member) { return set(member, false); }
  /// True if the author reports member unreachable.
  [[nodiscard]] bool unreachable(std::uint64_t member) const { return unreachable_.count(member) != 0; }
  /// Order-free digest of the list; 0 exactly when nobody is listed, so a quiet
  /// cluster's heartbeats carry the smallest body.
  [[nodiscard]] std::uint64_t digest() const { return digest_; }
  /// The listed prefixes, ascending.
  [[nodiscard]] std::vector<std::uint64_t> list() const { return {unreachable_.begin(), unreachable_.end()}; }
  /// Number listed.
  [[nodiscard]] std::size_t size() const { return unreachable_.size(); }

 private:
  std::set<std::uint64_t> unreachable_;
  std::uint64_t digest_ = 0;
};

/// Majority mode's failure rule: of `voters` live members' views (the subject's own
/// excluded), strictly more than half report the subject unreachable. With 0 voters
/// nothing is ever failed.
[[nodiscard]] constexpr bool majority_unreachable(std::size_t unreachable_votes, std::size_t voters) {
  return voters > 0 && 2 * unreachable_votes > voters;
}

}  // namespace swell::majority
