// ShortBytes: a byte string of up to 16 bytes as two words, so that telling two ids or
// addresses apart takes two integer compares and no pointer chase. Every input entry
// is matched against a known node id and a known address; both are rarely over 16 bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "majority/unaligned_load.h"

namespace swell::majority {

/// Bytes 0..15 of a string, as two overlapping loads; with the length, equal words
/// mean equal bytes for strings of at most kCovered bytes. Longer strings need a compare.
struct ShortBytes {
  static constexpr std::size_t kCovered = 16;  ///< Lengths the words decide alone.

  std::uint64_t first = 0;  ///< The first 8 bytes (fewer for short strings).
  std::uint64_t last = 0;   ///< The last 8 bytes, overlapping first when shorter than 16.

  /// The words of the n bytes at p.
  static ShortBytes of(const char* p, std::size_t n) {
    if (n >= 8) return {load_u64(p), load_u64(p + n - 8)};
    if (n >= 4) return {load_u32(p), load_u32(p + n - 4)};
    if (n == 0) return {};
    // 1 to 3 bytes: the first, middle and last byte are all of them.
    return {static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) |
                (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8) |
                (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16),
            0};
  }

  /// Word equality; means byte equality for two strings of one length up to kCovered.
  friend bool operator==(const ShortBytes&, const ShortBytes&) = default;
};

}  // namespace swell::majority
