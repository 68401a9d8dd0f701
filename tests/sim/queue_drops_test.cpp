// NodeStats::queue_drops: a dissemination queue too small for a join storm drops
// claims, and the node's counters say so (the cluster still converges by anti-entropy).
#include <doctest/doctest.h>

#include <chrono>

#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

std::uint64_t total_queue_drops(const World& world) {
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < world.size(); ++i) total += world.node(i).stats().queue_drops;
  return total;
}

TEST_CASE("a full dissemination queue counts what it drops in NodeStats") {
  Config small = Config::lan();
  small.max_queue_entries = 16;  // the smallest allowed: 48 announcements cannot fit
  World world(21);
  world.spawn(48, small);
  world.join_all(0);
  world.run_until(120s);
  CHECK(total_queue_drops(world) > 0);
  for (std::uint32_t i = 0; i < world.size(); ++i) CHECK(world.node(i).count(MemberState::alive) == 48);
}

TEST_CASE("a queue large enough for the storm drops nothing") {
  World world(21);
  world.spawn(48, Config::lan());
  world.join_all(0);
  world.run_until(120s);
  CHECK(total_queue_drops(world) == 0);
}

}  // namespace
}  // namespace swell::sim
