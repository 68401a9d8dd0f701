// A member that crashes and comes back with the same identity is a fresh process: its
// incarnation starts over, yet everyone must see it alive again at an incarnation above
// the one it had before the crash (it outbids its old announcements).
#include <doctest/doctest.h>

#include <chrono>

#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

TEST_CASE("a restarted member is seen alive everywhere with a higher incarnation") {
  constexpr std::uint32_t kCount = 12, kVictim = 4;
  World world(99);
  world.spawn(kCount, Config::lan());
  world.join_all(0);
  world.run_for(10s);
  for (std::uint32_t i = 0; i < kCount; ++i) REQUIRE(world.node(i).count(MemberState::alive) == kCount);

  // A refutation or update before the crash makes the check stricter: the old
  // incarnation is above the fresh process's first one.
  PeerInfo info = world.node(kVictim).member(world.id(kVictim))->announcement->info;
  info.metadata = {'v', '2'};
  REQUIRE(world.set_info(kVictim, info).ok());
  world.run_for(5s);
  const NodeId id = world.id(kVictim);
  const std::uint64_t before = world.node(kVictim).member(id)->incarnation;
  REQUIRE(before >= 2);
  for (std::uint32_t i = 0; i < kCount; ++i) REQUIRE(world.node(i).member(id)->incarnation == before);

  world.crash(kVictim);
  CHECK_FALSE(world.is_up(kVictim));
  world.run_for(20s);
  for (std::uint32_t i = 0; i < kCount; ++i) {
    if (i != kVictim) CHECK(world.node(i).member(id)->state == MemberState::dead);
  }

  world.restart(kVictim, {0});
  REQUIRE(world.is_up(kVictim));
  CHECK(world.node(kVictim).id() == id);  // same identity
  CHECK(world.id(kVictim) == id);
  world.run_for(20s);
  for (std::uint32_t i = 0; i < kCount; ++i) {
    CAPTURE(i);
    const auto seen = world.node(i).member(id);
    REQUIRE(seen);
    CHECK(seen->state == MemberState::alive);
    CHECK(seen->incarnation > before);
    CHECK(world.node(i).count(MemberState::alive) == kCount);
  }
}

TEST_CASE("a member restarted before anyone noticed the crash ends up alive everywhere at a higher incarnation") {
  constexpr std::uint32_t kCount = 10, kVictim = 6;
  World world(7);
  world.spawn(kCount, Config::lan());
  world.join_all(0);
  world.run_for(10s);
  const NodeId id = world.id(kVictim);
  const std::uint64_t before = world.node(0).member(id)->incarnation;
  world.crash(kVictim);
  world.run_for(std::chrono::milliseconds(100));
  world.restart(kVictim, {1});
  world.run_for(20s);
  for (std::uint32_t i = 0; i < kCount; ++i) {
    CAPTURE(i);
    const auto seen = world.node(i).member(id);
    REQUIRE(seen);
    CHECK(seen->state == MemberState::alive);
    CHECK(seen->incarnation > before);
  }
}

}  // namespace
}  // namespace swell::sim
