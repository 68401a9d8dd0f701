// Equality of short byte strings (ids, addresses) without a call to memcmp: the resolver
// compares one id and one address per input entry, and both are usually under 16 bytes.
#pragma once

#include <cstddef>
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

/// True when the n bytes at a and b are equal.
inline bool bytes_equal(const char* a, const char* b, std::size_t n) {
  // Two overlapping loads cover any length from 4 to 16 without a loop or a tail.
  if (n >= 8) {
    if (n > 16) return std::memcmp(a, b, n) == 0;
    return ((load_u64(a) ^ load_u64(b)) | (load_u64(a + n - 8) ^ load_u64(b + n - 8))) == 0;
  }
  if (n >= 4) return ((load_u32(a) ^ load_u32(b)) | (load_u32(a + n - 4) ^ load_u32(b + n - 4))) == 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace swell::majority
