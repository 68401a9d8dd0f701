// IdTable: gives each distinct node id of one resolve a dense index 0, 1, 2, ... in order
// of first appearance. Open addressing over a power-of-two slot array that is kept
// between resolves, so a warmed-up table allocates nothing. A slot holds the id's length
// and ShortBytes words, so a lookup of an id of up to 16 bytes reads one slot and no
// string: when peers list nodes in different orders, every entry takes a lookup.
//
// Ids can also be appended unchecked (append), for a caller that expects them to be new
// and would rather not hash them unless it must: the next intern() indexes them first,
// and saw_duplicate() then tells whether one of them was not new after all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "majority/short_bytes.h"

namespace swell::majority {

/// Hash of an id, seeded; mixes every byte, 8 at a time.
std::uint64_t hash_id(std::string_view id, std::uint64_t seed);
/// Hash of an id of at most ShortBytes::kCovered bytes, from its words and size, seeded.
std::uint64_t hash_words(const ShortBytes& words, std::size_t size, std::uint64_t seed);

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
  /// Gives id the next index without looking it up; see saw_duplicate().
  std::uint32_t append(std::string_view id) {
    ids_.push_back(id);
    return static_cast<std::uint32_t>(ids_.size() - 1);
  }
  /// The index of id, adding it as the next index if it is new. Indexes appended ids first.
  Interned intern(std::string_view id);
  /// The index of id, or kAbsent. Indexes appended ids first.
  std::uint32_t find(std::string_view id);
  /// True when an appended id equalled an earlier one (found when it was indexed).
  [[nodiscard]] bool saw_duplicate() const { return duplicate_; }
  /// The id with the given index.
  [[nodiscard]] std::string_view id(std::uint32_t index) const { return ids_[index]; }
  /// Number of indices given out since reset().
  [[nodiscard]] std::size_t size() const { return ids_.size(); }

 private:
  struct Slot {
    ShortBytes words;               // the id's words: equal words and size decide ids up to 16 bytes
    std::uint32_t size;             // the id's length
    std::uint32_t index_plus_one;   // 0 marks an empty slot
  };
  // The slot holding id, or the empty slot where it belongs.
  std::size_t probe(std::string_view id, const ShortBytes& words) const;
  void index_appended();
  void grow();
  void clear_slots();

  std::vector<Slot> slots_;  // only [0, mask_ + 1) is in use; the rest is kept capacity
  std::size_t mask_ = 0;
  std::vector<std::string_view> ids_;
  std::size_t indexed_ = 0;  // ids_[0, indexed_) have slots
  std::uint64_t seed_ = 0;
  bool duplicate_ = false;
  bool slots_clear_ = false;  // reset() defers clearing to the first lookup, which may never come
};

}  // namespace swell::majority
