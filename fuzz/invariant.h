// How the fuzz targets state invariants: a broken one prints what failed and aborts, so
// libFuzzer saves the input as a crash, in every build type (assert may be compiled out).
//
//   SWELL_FUZZ_REQUIRE(again.ok() && again.value() == claim);
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "swell/bytes.h"

/// Aborts with the failed condition and its location unless cond holds.
#define SWELL_FUZZ_REQUIRE(cond)                                                                   \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond);      \
      std::abort();                                                                                \
    }                                                                                              \
  } while (0)

namespace swell::fuzz {

/// True when inner lies wholly inside outer (an empty inner always does).
inline bool within(ByteView inner, ByteView outer) {
  if (inner.empty()) return true;
  const auto lo = reinterpret_cast<std::uintptr_t>(outer.data());
  const auto begin = reinterpret_cast<std::uintptr_t>(inner.data());
  return begin >= lo && begin + inner.size() <= lo + outer.size();
}

}  // namespace swell::fuzz
