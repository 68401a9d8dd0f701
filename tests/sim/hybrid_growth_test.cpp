// Must-show 2 of docs/majority.md's selector: a cluster grows from 5 to 100 members and
// shrinks back to 5 under 10% loss. It switches exactly twice (into SWIM at 25, back to
// majority at 20), every member at the same epoch, and nobody is reported failed,
// joined twice, left or recovered because of a switch.
#include <doctest/doctest.h>

#include <chrono>
#include <set>

#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

struct EventCounts {
  std::uint64_t failed = 0, recovered = 0, repeated_joins = 0, stray_leaves = 0;
};

TEST_CASE("growth 5 -> 100 -> 5 at 10% loss switches modes exactly twice, at one epoch") {
  constexpr std::uint32_t kMax = 100, kCore = 5;
  World world(12);
  Config config = Config::lan();
  config.mode = ClusterMode::automatic;
  world.spawn(kMax, config);
  for (std::uint32_t i = 0; i < kMax; ++i) world.network().set_inbound_loss(i, 0.1);

  std::set<std::uint32_t> left;  // members told to leave
  std::set<std::pair<std::uint32_t, std::uint32_t>> joined;  // (observer, member)
  EventCounts counts;
  world.observe([&](std::uint32_t observer, const MembershipEvent& e) {
    const auto subject = world.index_of(e.member);
    if (!subject) return;
    switch (e.kind) {
      case MembershipEvent::Kind::failed: ++counts.failed; break;
      case MembershipEvent::Kind::recovered: ++counts.recovered; break;
      case MembershipEvent::Kind::joined:
        if (!joined.insert({observer, *subject}).second) ++counts.repeated_joins;
        break;
      case MembershipEvent::Kind::left:
        if (left.count(*subject) == 0) ++counts.stray_leaves;
        break;
      default: break;
    }
  });

  world.join(0, {});
  for (std::uint32_t i = 1; i < kCore; ++i) world.join(i, {0});
  world.run_for(15s);
  for (std::uint32_t i = 0; i < kCore; ++i) {
    CHECK(world.node(i).mode() == ClusterMode::majority);
    CHECK(world.node(i).mode_epoch() == 0);
  }
  // Growth: one member every 400 ms through a member of the core.
  for (std::uint32_t i = kCore; i < kMax; ++i) {
    world.join(i, {i % kCore});
    world.run_for(400ms);
  }
  world.run_for(30s);
  for (std::uint32_t i = 0; i < kMax; ++i) {
    CAPTURE(i);
    CHECK(world.node(i).mode() == ClusterMode::swim);
    CHECK(world.node(i).mode_epoch() == 1);
    CHECK(world.node(i).count(MemberState::alive) == kMax);
  }
  // Shrink: the newest members leave gracefully, one every 400 ms, down to the core.
  for (std::uint32_t i = kMax; i-- > kCore;) {
    left.insert(i);
    world.leave(i);
    world.run_for(400ms);
  }
  world.run_for(30s);
  for (std::uint32_t i = 0; i < kCore; ++i) {
    CAPTURE(i);
    CHECK(world.node(i).mode() == ClusterMode::majority);
    CHECK(world.node(i).mode_epoch() == 2);
    CHECK(world.node(i).stats().mode_switches == 2);
    CHECK(world.node(i).count(MemberState::alive) == kCore);
  }
  CHECK(counts.failed == 0);
  CHECK(counts.recovered == 0);
  CHECK(counts.repeated_joins == 0);
  CHECK(counts.stray_leaves == 0);
}

}  // namespace
}  // namespace swell::sim
