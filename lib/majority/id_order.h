// IdSortKey: sorts node ids bytewise, as the output requires, mostly by comparing two
// integers. The first 16 bytes of an id, big-endian and zero-padded, order ids as the
// bytes do; only ids whose first 16 bytes agree are compared in full.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "majority/unaligned_load.h"

namespace swell::majority {

/// 8 bytes at p as a big-endian number.
inline std::uint64_t load_big_endian(const char* p) {
  const std::uint64_t v = load_u64(p);
  if constexpr (std::endian::native == std::endian::little) return __builtin_bswap64(v);
  return v;
}

/// Up to 8 bytes of s from offset, as a big-endian number padded with zero bytes.
inline std::uint64_t big_endian_prefix(std::string_view s, std::size_t offset) {
  if (offset >= s.size()) return 0;
  const std::size_t n = s.size() - offset;
  if (n >= 8) return load_big_endian(s.data() + offset);
  if (s.size() >= 8) {
    // Load the string's last 8 bytes and shift out the ones before offset.
    return load_big_endian(s.data() + s.size() - 8) << (8 * (8 - n));
  }
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | (i < n ? static_cast<unsigned char>(s[offset + i]) : 0u);
  return v;
}

/// An id's position in bytewise order, cheap to compare.
struct IdSortKey {
  std::uint64_t head = 0;   ///< Bytes 0..7.
  std::uint64_t tail = 0;   ///< Bytes 8..15.
  std::uint32_t index = 0;  ///< The node (and id) index in an IdTable.

  /// The key of id, which has index in its table.
  static IdSortKey of(std::string_view id, std::uint32_t index) {
    return IdSortKey{big_endian_prefix(id, 0), big_endian_prefix(id, 8), index};
  }
  /// The key of an id of 8 to 16 bytes from its first and last 8 bytes (native order,
  /// as ShortBytes holds them), without reading the id again.
  static IdSortKey of_words(std::uint64_t first, std::uint64_t last, std::size_t size, std::uint32_t index) {
    if constexpr (std::endian::native == std::endian::little) {
      first = __builtin_bswap64(first);
      last = __builtin_bswap64(last);
    }
    // last holds bytes size-8 .. size-1; shifting out those before byte 8 leaves the tail.
    return IdSortKey{first, size == 8 ? 0 : last << (8 * (16 - size)), index};
  }
  /// Bytewise order of the ids; ids (an IdTable) holds them for ties on the first 16 bytes.
  /// Zero padding never reverses an order, it can only tie.
  template <class Ids>
  bool before(const IdSortKey& other, const Ids& ids) const {
    if (head != other.head) return head < other.head;
    if (tail != other.tail) return tail < other.tail;
    return ids.id(index) < ids.id(other.index);
  }
};

}  // namespace swell::majority
