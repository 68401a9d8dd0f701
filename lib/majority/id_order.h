// IdSortKey: sorts node ids bytewise, as the output requires, mostly by comparing two
// integers. The first 16 bytes of an id, big-endian and zero-padded, order ids as the
// bytes do; only ids whose first 16 bytes agree are compared in full.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace swell::majority {

/// Up to 8 bytes of s from offset, as a big-endian number padded with zero bytes.
inline std::uint64_t big_endian_prefix(std::string_view s, std::size_t offset) {
  if (offset >= s.size()) return 0;
  unsigned char bytes[8] = {};
  std::memcpy(bytes, s.data() + offset, std::min<std::size_t>(8, s.size() - offset));
  std::uint64_t v = 0;
  for (const unsigned char b : bytes) v = (v << 8) | b;  // compiles to a load and a bswap
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
