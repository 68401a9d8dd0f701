// ProbeScheduler: SWIM's round-robin probe order (section 4.3 of the SWIM paper).
// Members are probed in a shuffled order, each once per round; a new member enters
// the current round at a random place among those not yet probed (memberlist does the
// same), so it is probed this round without a reshuffle; a suspect can be moved to
// the front. Indices are MemberTable indices; index 0 (this node) is never probed.
//
//   ProbeScheduler order;
//   auto target = order.next(table.size(), rng, [&](std::uint32_t i) { return live(i); });
#pragma once

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <vector>

#include "swell/rng.h"

namespace swell::swim {

/// The order in which this node probes the members of its table.
class ProbeScheduler {
 public:
  /// The next member to probe for which probeable(index) holds: the rest of this round
  /// first, then one fresh shuffled round of indices 1..table_size-1; nullopt if none.
  template <class Probeable>
  std::optional<std::uint32_t> next(std::uint32_t table_size, Rng& rng, Probeable&& probeable) {
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
  /// A member just added at index joins the current round at a random place among the
  /// members not yet probed (nothing happens before the first round starts).
  void add(std::uint32_t index, Rng& rng);
  /// Probes index next, before the rest of the round (a suspect to confirm or check).
  void probe_next(std::uint32_t index);
  /// Forgets the round (table indices moved); next() starts a fresh one.
  void reset();
  /// Members still to probe in this round, in order (tests).
  [[nodiscard]] std::vector<std::uint32_t> remaining() const;

 private:
  void start_round(std::uint32_t table_size, Rng& rng);

  std::vector<std::uint32_t> order_;
  std::size_t cursor_ = 0;
};

}  // namespace swell::swim
