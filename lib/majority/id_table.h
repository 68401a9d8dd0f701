// IdTable: gives each distinct node id of one resolve a dense index 0, 1, 2, ... in order
// of first appearance. Open addressing over a power-of-two slot array that is kept
// between resolves, so a warmed-up table allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace swell::majority {

/// Hash of a short byte string (an id), seeded; mixes every byte, 8 at a time.
std::uint64_t hash_id(std::string_view id, std::uint64_t seed);

/// Interns the node ids of one resolve; the views the ids point into must outlive it.
class IdTable {
 public:
  static constexpr std::uint32_t kAbsent = 0xffffffffu;  ///< find()'s answer for an unknown id.

  /// The answer of intern(): the id's index, and whether this call added it.
  struct Interned {
    std::uint32_t index;  ///< Dense index of the id.
    bool added;           ///< True when the id was not in the table before.
  };

  /// Empties the table for a resolve expected to see about expected_ids distinct ids.
  void reset(std::size_t expected_ids, std::uint64_t seed);
  /// The index of id, adding it as the next index if it is new.
  Interned intern(std::string_view id);
  /// The index of id, or kAbsent.
  [[nodiscard]] std::uint32_t find(std::string_view id) const;
  /// The id with the given index.
  [[nodiscard]] std::string_view id(std::uint32_t index) const { return ids_[index]; }
  /// Number of distinct ids interned since reset().
  [[nodiscard]] std::size_t size() const { return ids_.size(); }

 private:
  struct Slot {
    std::uint32_t hash_high;         // upper hash bits: most mismatches end here
    std::uint32_t index_plus_one;    // 0 marks an empty slot
  };
  void grow();

  std::vector<Slot> slots_;  // only [0, mask_ + 1) is in use; the rest is kept capacity
  std::size_t mask_ = 0;
  std::vector<std::string_view> ids_;
  std::uint64_t seed_ = 0;
};

}  // namespace swell::majority
