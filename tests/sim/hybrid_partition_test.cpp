// Must-show 3 of docs/majority.md: a 12-member majority-mode cluster is split in two;
// on each side a member announces new PeerInfo, and on one side a new key re-uses the
// name (PeerInfo id) of a member on the other (a backend re-created with a new key).
// After the heal every member must hold the same view (member, state, incarnation,
// PeerInfo) and resolve the same owner for the re-used name, within 10 s.
#include <doctest/doctest.h>

#include <chrono>

#include "swell/resolver.h"
#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

// What member i holds: every member it knows, with state, incarnation and PeerInfo.
std::vector<std::tuple<NodeId, MemberState, std::uint64_t, PeerInfo>> view_of(const World& world, std::uint32_t i) {
  std::vector<std::tuple<NodeId, MemberState, std::uint64_t, PeerInfo>> out;
  for (const MemberSnapshot& m : world.node(i).members()) out.emplace_back(m.id, m.state, m.incarnation, m.announcement->info);
  return out;
}

// The owner of `name` by the Resolver over member i's live view (its newest claimant).
NodeId owner_of(const World& world, std::uint32_t i, const std::string& name) {
  std::vector<std::vector<PeerInfo>> views(1);
  for (const MemberSnapshot& m : world.node(i).members()) {
    if (m.state == MemberState::alive || m.state == MemberState::suspect) views[0].push_back(m.announcement->info);
  }
  Resolver resolver;
  Resolution resolution;
  if (!resolver.resolve(views, resolution).ok()) return NodeId{};
  for (const PeerInfo* info : resolution.winners()) {
    if (info->id == name) return info->owner;
  }
  return NodeId{};
}

TEST_CASE("after a partition with PeerInfo changes and a re-used name, all agree within 10 s of the heal") {
  constexpr std::uint32_t kCount = 12, kNewKey = 12;
  World world(31);
  Config config = Config::lan();
  config.mode = ClusterMode::majority;
  world.spawn(kCount + 1, config);  // member 12: the new key, joined during the partition
  world.join(0, {});
  for (std::uint32_t i = 1; i < kCount; ++i) world.join(i, {0});
  world.run_for(10s);
  const std::vector<std::uint32_t> a = {0, 1, 2, 3, 4, 5}, b = {6, 7, 8, 9, 10, 11, kNewKey};
  world.partition(a, b);
  world.run_for(10s);
  // Both sides change PeerInfo; on side b a new key takes member 3's name.
  for (const std::uint32_t i : {2u, 8u}) {
    PeerInfo info = world.node(i).member(world.id(i))->announcement->info;
    info.metadata = {'v', '2'};
    info.last_updated_ms += 1;
    REQUIRE(world.set_info(i, info).ok());
  }
  const std::string name = world.node(3).member(world.id(3))->announcement->info.id;
  PeerInfo reused = world.node(kNewKey).member(world.id(kNewKey))->announcement->info;
  reused.id = name;
  reused.last_updated_ms += 1000;  // re-created later than the original
  REQUIRE(world.set_info(kNewKey, reused).ok());
  world.join(kNewKey, {6});
  world.run_for(20s);
  const Time healed = world.now();
  world.heal();
  std::optional<Time> agreed;
  while (world.now() < healed + 30s) {
    world.run_for(100ms);
    bool same = true;
    const auto first = view_of(world, 0);
    const NodeId owner = owner_of(world, 0, name);
    for (std::uint32_t i = 1; i <= kNewKey && same; ++i) {
      same = view_of(world, i) == first && owner_of(world, i, name) == owner;
    }
    if (same && !agreed) agreed = world.now();
    if (!same) agreed.reset();
  }
  REQUIRE(agreed.has_value());
  MESSAGE("agreed " << to_seconds(*agreed - healed) << " s after the heal");
  CHECK(*agreed - healed <= 10s);
  for (std::uint32_t i = 0; i <= kNewKey; ++i) CHECK(owner_of(world, i, name) == world.id(kNewKey));
  for (std::uint32_t i = 0; i <= kNewKey; ++i) CHECK(world.node(i).count(MemberState::alive) == kCount + 1);
}

}  // namespace
}  // namespace swell::sim
