// Unaligned loads of 4 or 8 bytes from a string, in native byte order, for hashing ids
// and for ShortBytes. memcpy is how C++ spells them; it compiles to one load.
#pragma once

#include <cstdint>
#include <cstring>

namespace swell::majority {

/// Reads 8 bytes from p, unaligned, in native byte order.
inline std::uint64_t load_u64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

/// Reads 4 bytes from p, unaligned, in native byte order.
inline std::uint32_t load_u32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace swell::majority
