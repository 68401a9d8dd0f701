// A warmed-up Resolver allocates nothing per resolve. This binary replaces global
// operator new/delete with counting versions, so it is kept apart from the other tests.
#include <doctest/doctest.h>

#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "swell/resolver.h"
#include "workload_file.h"

#if defined(__SANITIZE_ADDRESS__)
#define SWELL_COUNTING_ALLOCATOR 0  // ASan owns operator new
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SWELL_COUNTING_ALLOCATOR 0
#endif
#endif
#ifndef SWELL_COUNTING_ALLOCATOR
#define SWELL_COUNTING_ALLOCATOR 1
#endif

#if SWELL_COUNTING_ALLOCATOR
#include "counting_allocator.h"
namespace {
std::uint64_t& allocations = swell::testing::allocation_count;
}  // namespace
#endif

namespace {

using Views = std::vector<std::vector<swell::PeerInfo>>;

// Allocations made by `runs` resolves of views after one warm-up resolve.
std::size_t allocations_after_warmup(const Views& views, int runs) {
#if SWELL_COUNTING_ALLOCATOR
  swell::Resolver resolver;
  swell::Resolution resolution;
  REQUIRE(resolver.resolve(views, resolution).ok());
  const std::uint64_t before = allocations;
  for (int i = 0; i < runs; ++i) {
    if (!resolver.resolve(views, resolution).ok()) return 1000000;
  }
  return allocations - before;
#else
  (void)views;
  (void)runs;
  return 0;
#endif
}

Views generated(std::size_t peers, std::size_t nodes, bool conflicting) {
  std::string text;
  for (std::size_t p = 0; p < peers; ++p) {
    for (std::size_t n = 0; n < nodes; ++n) {
      const bool other = conflicting && n % 3 == 0 && (p + n) % 2 == 0;
      text += std::to_string(p) + " node-" + std::to_string(n) + " 10.0." + std::to_string(n / 250) + "." +
              std::to_string(n % 250) + (other ? ".6" : ".5") + ":3000 9090 backend 0 " +
              std::to_string(1000 + n + (other ? 5000 : 0)) + "\n";
    }
  }
  return swell::workload::parse_workload(text).value();
}

}  // namespace

TEST_CASE("a warmed-up resolve makes no heap allocation") {
#if !SWELL_COUNTING_ALLOCATOR
  MESSAGE("skipped: the counting allocator cannot replace AddressSanitizer's");
  return;
#endif
  CHECK(allocations_after_warmup(generated(10, 25, true), 1000) == 0);
  CHECK(allocations_after_warmup(generated(5, 1000, true), 50) == 0);
  CHECK(allocations_after_warmup(generated(24, 100, false), 100) == 0);

  SUBCASE("nor with duplicate reports, which take the second pass") {
    Views views = generated(6, 50, true);
    views[2].push_back(views[2][7]);
    views[2].back().last_updated_ms += 1;
    CHECK(allocations_after_warmup(views, 100) == 0);
  }
}

TEST_CASE("the counting allocator counts (so a zero above means something)") {
#if SWELL_COUNTING_ALLOCATOR
  const std::uint64_t before = allocations;
  auto* p = new std::vector<int>(100);
  delete p;
  CHECK(allocations - before >= 2);
#endif
}
