// A join storm through one seed: every member joins through member 0 at the same
// instant. With bounded join answers (Config::join_answer_records) the seed's stream
// bytes grow with N, not N^2, and the cluster still converges within seconds
// (docs/protocol.md, "Anti-entropy and join"; docs/simulator.md, "Join storms").
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

/// Member i holds all n members alive (itself included).
bool sees_all(const World& world, std::uint32_t i, std::size_t n) {
  return world.is_up(i) && world.node(i).count(MemberState::alive) == n;
}

TEST_CASE("a storm of joins through one seed costs the seed O(N) records and converges") {
  constexpr std::uint32_t kMembers = 400;
  World world(17, PairKeys::hashed);  // claims stay signed and verified
  Config config = Config::lan();
  config.join_answer_records = 32;  // a quarter of the default: the bound shows at 400 members
  world.spawn(kMembers, config);
  world.join_all(0);
  // Counted as each member's view changes: a full check after every input would cost
  // N^2 per event.
  std::vector<bool> seeing(kMembers, false);
  std::uint32_t seeing_all = 0;
  Time converged_at = kNever;
  world.observe_inputs([&](std::uint32_t i) {
    const bool now_sees = sees_all(world, i, kMembers);
    if (now_sees == seeing[i]) return;
    seeing[i] = now_sees;
    seeing_all = now_sees ? seeing_all + 1 : seeing_all - 1;
    if (seeing_all == kMembers && converged_at == kNever) {
      converged_at = world.now();
      world.stop();
    }
  });
  world.run_until(Time(0) + 15s);
  REQUIRE(converged_at != kNever);
  CHECK(converged_at < Time(0) + 5s);
  world.observe_inputs(nullptr);
  world.run_until(Time(0) + 40s);  // the joiners' early exchanges, up to 32 s after joining
  for (std::uint32_t i = 0; i < kMembers; ++i) CHECK(sees_all(world, i, kMembers));

  // A signed record is ~150 bytes. Whole tables would cost the seed about
  // kMembers^2 / 2 records (~12 MB); bounded answers at most join_answer_records each,
  // plus the summaries of the few exchanges that picked the seed.
  const std::uint64_t seed_bytes = world.node(0).stats().stream_bytes_sent;
  const std::uint64_t bound_bytes = std::uint64_t{kMembers} * config.join_answer_records * 200;
  CAPTURE(seed_bytes);
  CHECK(seed_bytes < bound_bytes);
  CHECK(seed_bytes < std::uint64_t{kMembers} * kMembers / 2 * 150 / 4);
}

}  // namespace
}  // namespace swell::sim
