// Replaces the global operator new/delete with versions that count allocations, so a
// test or bench can show that a hot path allocates nothing after warm-up. Include it in
// exactly one source file of a single-threaded binary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace swell::testing {

/// Allocations made through operator new since the program started.
inline std::uint64_t allocation_count = 0;  // single-threaded binaries: a plain counter

}  // namespace swell::testing

void* operator new(std::size_t size) {
  ++swell::testing::allocation_count;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
