#include "majority/id_table.h"

#include <algorithm>

#include "majority/unaligned_load.h"

namespace swell::majority {
namespace {

constexpr std::uint64_t kMultiplier = 0x9e3779b97f4a7c15ull;

std::uint64_t finish(std::uint64_t h) {
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return h;
}

}  // namespace

std::uint64_t hash_words(const ShortBytes& words, std::size_t size, std::uint64_t seed) {
  std::uint64_t h = seed ^ (size * kMultiplier);
  h = (h ^ words.first) * kMultiplier ^ (h >> 29);
  return finish((h ^ words.last) * kMultiplier);
}

std::uint64_t hash_id(std::string_view id, std::uint64_t seed) {
  const char* p = id.data();
  std::size_t n = id.size();
  std::uint64_t h = seed ^ (n * kMultiplier);
  if (n >= 8) {
    for (; n > 8; p += 8, n -= 8) h = (h ^ load_u64(p)) * kMultiplier ^ (h >> 29);
    // The last 8 bytes, overlapping what the loop read: no byte-by-byte tail.
    return finish((h ^ load_u64(p + n - 8)) * kMultiplier);
  }
  std::uint64_t word = 0;
  if (n >= 4) {
    word = load_u32(p) | (static_cast<std::uint64_t>(load_u32(p + n - 4)) << 32);
  } else if (n > 0) {
    word = static_cast<unsigned char>(p[0]) | (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8) |
           (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16);
  }
  return finish((h ^ word) * kMultiplier);
}

void IdTable::reset(std::size_t expected_ids, std::uint64_t seed) {
  seed_ = seed;
  ids_.clear();
  indexed_ = 0;
  duplicate_ = false;
  // At most half full, so probe runs stay short.
  std::size_t slots = 16;
  while (slots < 2 * expected_ids) slots *= 2;
  if (slots_.size() < slots) slots_.resize(slots);
  mask_ = slots - 1;
  slots_clear_ = false;
}

void IdTable::clear_slots() {
  std::fill(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(mask_ + 1), Slot{});
  slots_clear_ = true;
}

std::size_t IdTable::probe(std::string_view id, const ShortBytes& words) const {
  const std::uint64_t hash = id.size() <= ShortBytes::kCovered ? hash_words(words, id.size(), seed_) : hash_id(id, seed_);
  const auto size = static_cast<std::uint32_t>(id.size());
  for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.index_plus_one == 0) return i;
    if (slot.size == size && slot.words == words &&
        (size <= ShortBytes::kCovered || ids_[slot.index_plus_one - 1] == id)) {
      return i;
    }
  }
}

void IdTable::grow() {
  const std::size_t slots = 2 * (mask_ + 1);
  if (slots_.size() < slots) slots_.resize(slots);
  mask_ = slots - 1;
  std::fill(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(slots), Slot{});
  for (std::size_t index = 0; index < indexed_; ++index) {
    const std::string_view id = ids_[index];
    const ShortBytes words = ShortBytes::of(id.data(), id.size());
    const std::size_t i = probe(id, words);
    if (slots_[i].index_plus_one != 0) continue;  // an appended duplicate: the first keeps the slot
    slots_[i] = Slot{words, static_cast<std::uint32_t>(id.size()), static_cast<std::uint32_t>(index + 1)};
  }
}

void IdTable::index_appended() {
  if (!slots_clear_) clear_slots();
  for (; indexed_ < ids_.size(); ++indexed_) {
    if (2 * (indexed_ + 1) > mask_ + 1) grow();
    const std::string_view id = ids_[indexed_];
    const ShortBytes words = ShortBytes::of(id.data(), id.size());
    const std::size_t i = probe(id, words);
    if (slots_[i].index_plus_one != 0) {
      duplicate_ = true;  // the earlier index keeps the slot
      continue;
    }
    slots_[i] = Slot{words, static_cast<std::uint32_t>(id.size()), static_cast<std::uint32_t>(indexed_ + 1)};
  }
}

std::uint32_t IdTable::find(std::string_view id) {
  if (!slots_clear_ || indexed_ < ids_.size()) index_appended();
  const Slot& slot = slots_[probe(id, ShortBytes::of(id.data(), id.size()))];
  return slot.index_plus_one == 0 ? kAbsent : slot.index_plus_one - 1;
}

IdTable::Interned IdTable::intern(std::string_view id) {
  if (!slots_clear_ || indexed_ < ids_.size()) index_appended();
  const ShortBytes words = ShortBytes::of(id.data(), id.size());
  std::size_t i = probe(id, words);
  if (slots_[i].index_plus_one != 0) return {slots_[i].index_plus_one - 1, false};
  if (2 * (ids_.size() + 1) > mask_ + 1) {
    grow();
    i = probe(id, words);
  }
  const auto index = static_cast<std::uint32_t>(ids_.size());
  ids_.push_back(id);
  indexed_ = ids_.size();
  slots_[i] = Slot{words, static_cast<std::uint32_t>(id.size()), index + 1};
  return {index, true};
}

}  // namespace swell::majority
