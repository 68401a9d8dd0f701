// MemberTable: every member this node knows, itself included. Records are small
// (a shared reference to the member's newest alive claim, its state and when it
// changed), because in a 10,000-member simulation every node holds one per member.
// Lookup by full id or by the 8-byte compact name goes through an open-addressing
// index of 32-bit slots, salted so crafted keys cannot cluster it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "swell/events.h"
#include "swim/stored_claim.h"

namespace swell::swim {

/// One member as this node sees it: 24 bytes, one per member per node. Change its
/// incarnation and state only through MemberTable, which keeps the table's digest.
struct Member {
  ClaimRef alive;                          ///< Its newest alive claim (never null).
  std::uint64_t incarnation = 0;           ///< Highest incarnation seen (alive or accusation).
  std::int32_t since_s = 0;                ///< Whole seconds of the Time its state last changed.
  MemberState state = MemberState::alive;  ///< Current state.
  bool knows_us = false;                   ///< It authenticated to us, so we may use our compact name.

  /// A member first seen alive at `now` through claim.
  Member(ClaimRef claim, Time now);
  /// The member's id.
  [[nodiscard]] const NodeId& id() const { return alive->subject; }
  /// When its state last changed, to the second (rounded down): reaping a dead member
  /// hours later needs no finer clock, and the record stays small.
  [[nodiscard]] Time state_since() const { return Time(std::int64_t{since_s} * 1'000'000); }
  /// Records now as the time of a state change.
  void mark_changed(Time now);
};

/// Members by index; indices move when a member is removed.
class MemberTable {
 public:
  /// An empty table; salt randomizes the index hash.
  explicit MemberTable(std::uint64_t salt) : salt_(salt) {}

  /// Index of the member with this id.
  [[nodiscard]] std::optional<std::uint32_t> find(const NodeId& id) const;
  /// Index of the member whose id starts with these 8 bytes (big-endian).
  [[nodiscard]] std::optional<std::uint32_t> find_prefix(std::uint64_t prefix) const;
  /// Adds a member (its id must be new); returns its index.
  std::uint32_t add(Member member);
  /// Puts another member (its id must be new) at index, in place of the one there: how
  /// this node's own record (index 0) moves to its new key.
  void replace(std::uint32_t index, Member member);
  /// Removes the member at index; the last member takes its index.
  void remove(std::uint32_t index);
  /// Changes a member's state, keeping the per-state counts.
  void set_state(std::uint32_t index, MemberState state, Time now);
  /// Raises a member's incarnation to at least `incarnation`.
  void raise_incarnation(std::uint32_t index, std::uint64_t incarnation);

  /// 128-bit order-free digest of every member's (id, incarnation, state), suspect
  /// counted as alive: equal digests mean equal tables. Kept up to date on every change,
  /// so a push-pull reads it in O(1) instead of walking 10,000 records.
  [[nodiscard]] std::array<std::uint64_t, 2> digest() const { return digest_; }
  /// The same, recomputed from scratch (tests check the two agree).
  [[nodiscard]] std::array<std::uint64_t, 2> recompute_digest() const;

  /// The member at index.
  [[nodiscard]] Member& at(std::uint32_t index) { return members_[index]; }
  /// The member at index.
  [[nodiscard]] const Member& at(std::uint32_t index) const { return members_[index]; }
  /// Number of members.
  [[nodiscard]] std::uint32_t size() const { return static_cast<std::uint32_t>(members_.size()); }
  /// Members in a state.
  [[nodiscard]] std::size_t count(MemberState state) const { return counts_[static_cast<int>(state)]; }

 private:
  [[nodiscard]] std::size_t slot_of(std::uint64_t prefix) const;
  void rebuild(std::size_t capacity);
  void insert_slot(std::uint32_t index);
  /// Adds (or, being XOR, removes) a member's share of the digest.
  void toggle_digest(const Member& m);

  std::uint64_t salt_;
  std::vector<Member> members_;
  std::vector<std::uint32_t> slots_;  // index + 1; 0 = empty; power-of-two size
  std::array<std::size_t, 4> counts_{};
  std::array<std::uint64_t, 2> digest_{};
};

}  // namespace swell::swim
