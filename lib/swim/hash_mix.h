// The one 64-bit mixing function of the core's hash tables and digests (the
// SplitMix64 finalizer): every input bit affects every output bit.
#pragma once

#include <cstdint>

namespace swell::swim {

/// Mixes x into a well-distributed 64-bit value.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace swell::swim
