// ProbeScheduler: whom this node probes next. Two orders (Config::probe_order):
//
// - ring (the default): every probe period goes to this node's ring successor, the
//   live member whose ring key (the first 8 bytes of its id) follows ours. Every
//   member then has a prober that checks it every period, so a crash is first noticed
//   within one period instead of after an exponentially distributed wait (with random
//   targets ~37% of members go unprobed in a given period; SWIM section 4.3).
// - round_robin (SWIM section 4.3): members in a shuffled order, each once per round; a
//   new member enters the current round at a random place among those not yet probed
//   (memberlist does the same), so it is probed this round without a reshuffle.
//
// In both, a member can be moved to the front (a suspect to confirm or check). Indices
// are MemberTable indices; index 0 (this node) is never probed.
//
//   ProbeScheduler order(ProbeOrder::ring, own_key);
//   auto target = order.next(table.size(), rng, live, key_of);
#pragma once

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <optional>
#include <vector>

#include "swell/config.h"
#include "swell/rng.h"

namespace swell::swim {

/// The order in which this node probes the members of its table.
class ProbeScheduler {
 public:
  /// A scheduler in the given order for a node whose ring key is own_key.
  ProbeScheduler(ProbeOrder order, std::uint64_t own_key) : order_kind_(order), own_key_(own_key) {}

  /// The next member to probe among those for which probeable(index) holds: a member
  /// moved to the front first, then the ring successor or the rest of this round (then
  /// one fresh shuffled round of indices 1..table_size-1); nullopt if none.
  /// key_of(index) is the member's ring key.
  template <class Probeable, class KeyOf>
  std::optional<std::uint32_t> next(std::uint32_t table_size, Rng& rng, Probeable&& probeable, KeyOf&& key_of) {
    while (!front_.empty()) {
      const std::uint32_t index = front_.front();
      front_.erase(front_.begin());
      if (index != 0 && index < table_size && probeable(index)) return index;
    }
    if (order_kind_ == ProbeOrder::ring) return successor(table_size, probeable, key_of);
    return next_round_robin(table_size, rng, probeable);
  }
  /// A member just added at index: in round-robin order it joins the current round at a
  /// random place among the members not yet probed (nothing happens before the first
  /// round starts); in ring order it may be our new successor.
  void add(std::uint32_t index, std::uint64_t key, Rng& rng);
  /// A known member became live again (it recovered): in ring order it may be our new
  /// successor; a round-robin round already holds it.
  void became_live(std::uint32_t index, std::uint64_t key);
  /// Which order this scheduler follows.
  [[nodiscard]] ProbeOrder order() const { return order_kind_; }
  /// Probes index next, before the rest of the round; requests are served in the order
  /// made, each member once however often it is asked for.
  void probe_next(std::uint32_t index) {
    // First come, first served: with the latest first, suspects re-asking for their
    // final check every few periods (16 at once when a partition cuts 16 members off)
    // kept the earliest waiting for good, and a member without a verdict it could take
    // from others never concluded its own suspicion.
    if (std::find(front_.begin(), front_.end(), index) == front_.end()) front_.push_back(index);
  }
  /// This node moved to a new key: the ring is walked from its new place.
  void move_to(std::uint64_t own_key) {
    own_key_ = own_key;
    reset();
  }
  /// Forgets the round and the successor (table indices moved).
  void reset();
  /// Members still to probe in this round, in order, after those moved to the front
  /// (round-robin order; tests).
  [[nodiscard]] std::vector<std::uint32_t> remaining() const;

  /// The next member of the shuffled round-robin, ignoring the ring and the members
  /// moved to the front (also the ring order's extra round-robin probes).
  template <class Probeable>
  std::optional<std::uint32_t> next_round_robin(std::uint32_t table_size, Rng& rng, Probeable&& probeable) {
    // At most two passes: finish this round, then reshuffle once.
    for (int pass = 0; pass < 2; ++pass) {
      while (cursor_ < order_.size()) {
        const std::uint32_t index = order_[cursor_++];
        if (index != 0 && index < table_size && probeable(index)) return index;
      }
      if (table_size <= 1) break;
      start_round(table_size, rng);
    }
    return std::nullopt;
  }

 private:
  template <class Probeable, class KeyOf>
  std::optional<std::uint32_t> successor(std::uint32_t table_size, Probeable&& probeable, KeyOf&& key_of) {
    // The cached successor stands while it is live and still at its index (a removal
    // moves indices); otherwise one scan finds the nearest live key after ours.
    if (successor_ && *successor_ < table_size && probeable(*successor_) && key_of(*successor_) == successor_key_) {
      return successor_;
    }
    successor_.reset();
    for (std::uint32_t index = 1; index < table_size; ++index) {
      if (!probeable(index)) continue;
      const std::uint64_t key = key_of(index);
      if (!successor_ || ring_distance(key) < ring_distance(successor_key_)) {
        successor_ = index;
        successor_key_ = key;
      }
    }
    return successor_;
  }
  /// How far key lies after ours on the ring (wrapping).
  [[nodiscard]] std::uint64_t ring_distance(std::uint64_t key) const { return key - own_key_ - 1; }
  void start_round(std::uint32_t table_size, Rng& rng);

  ProbeOrder order_kind_;
  std::uint64_t own_key_;
  std::vector<std::uint32_t> front_;  // moved to the front, distinct, served first-in first-out
  std::vector<std::uint32_t> order_;  // round-robin: the round's shuffled indices
  std::size_t cursor_ = 0;
  std::optional<std::uint32_t> successor_;  // ring: the cached successor and its key
  std::uint64_t successor_key_ = 0;
};

}  // namespace swell::swim
