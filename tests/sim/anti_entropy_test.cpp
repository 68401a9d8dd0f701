// Anti-entropy: digest first, then a summary and only the missing records (the
// partition scenarios exercise the summary round; this checks what a converged
// cluster pays).
#include <doctest/doctest.h>

#include <chrono>
#include <vector>

#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

std::uint64_t stream_bytes(const World& world) {
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < world.size(); ++i) {
    if (world.is_up(i)) total += world.node(i).stats().stream_bytes_sent;
  }
  return total;
}

std::vector<std::uint32_t> all(std::uint32_t n) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < n; ++i) out.push_back(i);
  return out;
}

TEST_CASE("a converged cluster's exchanges carry digests, not records") {
  World world(11);
  world.spawn(64, Config::lan());
  world.join_all(0);
  world.run_until(90s);  // joined, early exchanges over
  for (std::uint32_t i = 0; i < 64; ++i) REQUIRE(world.sees_alive(i, all(64)));
  const std::uint64_t before = stream_bytes(world);
  world.run_for(240s);  // 64 members: an exchange per member every 60 s
  const std::uint64_t per_member = (stream_bytes(world) - before) / 64;
  // ~4 exchanges of ~150 bytes each way; one exchange of records would be ~64 x 150.
  CHECK(per_member > 0);
  CHECK(per_member < 2000);
}

}  // namespace
}  // namespace swell::sim
