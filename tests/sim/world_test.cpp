// World: the event loop and the member lifecycle, on virtual time.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>

#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

TEST_CASE("members get distinct, reproducible identities and addresses") {
  World a(1), b(1), c(2);
  a.spawn(4, Config::lan());
  b.spawn(4, Config::lan());
  c.spawn(4, Config::lan());
  for (std::uint32_t i = 0; i < 4; ++i) {
    CHECK(a.id(i) == b.id(i));
    CHECK(a.id(i) != c.id(i));
    CHECK(a.index_of(a.id(i)) == i);
    CHECK(Identity::from_seed(a.identity_seed(i)).value().id() == a.id(i));
    for (std::uint32_t j = 0; j < i; ++j) CHECK(a.id(i) != a.id(j));
  }
  CHECK(a.address(3) == "n3.sim:7946");
  CHECK_FALSE(a.index_of(c.id(0)).has_value());
}

TEST_CASE("spawn refuses an invalid config") {
  World world(1);
  Config bad = Config::lan();
  bad.probe_timeout = bad.probe_interval;
  CHECK(world.spawn(3, bad) == 0);
  CHECK(world.size() == 0);
}

TEST_CASE("time only moves when run, and run_until stops at its bound") {
  World world(1);
  world.spawn(3, Config::lan());
  CHECK(world.now() == 0s);
  world.join_all(0);
  CHECK(world.now() == 0s);
  world.run_until(1500ms);
  CHECK(world.now() == 1500ms);
  CHECK(world.events_processed() > 0);
}

TEST_CASE("stop() ends run_until at the event that asked") {
  World world(1);
  world.spawn(5, Config::lan());
  std::optional<Time> first_join;
  world.observe([&](std::uint32_t, const MembershipEvent& e) {
    if (e.kind == MembershipEvent::Kind::joined && !first_join) {
      first_join = world.now();
      world.stop();
    }
  });
  world.join_all(0);
  world.run_until(60s);
  REQUIRE(first_join);
  CHECK(world.now() == *first_join);
  CHECK(world.now() < 1s);
}

TEST_CASE("a slow member handles its inputs late, by its delay") {
  World world(1);
  world.spawn(2, Config::lan());
  world.network().set_latency({1ms, 1ms});
  world.set_processing_delay(1, 300ms);
  CHECK(world.processing_delay(1) == 300ms);
  std::optional<Time> zero_saw_one, one_saw_zero;
  world.observe([&](std::uint32_t observer, const MembershipEvent& e) {
    if (e.kind != MembershipEvent::Kind::joined) return;
    if (observer == 0 && !zero_saw_one) zero_saw_one = world.now();
    if (observer == 1 && !one_saw_zero) one_saw_zero = world.now();
  });
  world.join(0, {});
  world.join(1, {0});  // 1's join request reaches 0 promptly; the answer reaches 1 late
  world.run_for(2s);
  REQUIRE(zero_saw_one);
  REQUIRE(one_saw_zero);
  CHECK(*zero_saw_one < 10ms);
  CHECK(*one_saw_zero >= 300ms);
  CHECK(*one_saw_zero < 320ms);
}

TEST_CASE("a paused member does nothing until it resumes, then catches up at once") {
  World world(8);
  world.spawn(4, Config::lan());
  world.join_all(0);
  world.run_for(10s);
  REQUIRE(world.sees_alive(2, {0, 1, 3}));
  std::uint64_t inputs_while_paused = 0;
  world.observe_inputs([&](std::uint32_t i) {
    if (i == 2 && world.is_paused(2)) ++inputs_while_paused;
  });
  const std::uint64_t sent_before = world.packets_sent(2);
  world.pause(2, 2s);
  world.run_for(1999ms);
  CHECK(world.is_paused(2));
  CHECK(inputs_while_paused == 0);
  CHECK(world.packets_sent(2) == sent_before);  // no timers ran, nothing was answered
  world.run_for(2ms);
  CHECK_FALSE(world.is_paused(2));
  CHECK(world.packets_sent(2) > sent_before);  // late timers and held pings answered at once
  CHECK(world.socket_buffer_drops() == 0);     // a few pings fit the buffer
}

TEST_CASE("a stream slower than stream_timeout is never delivered; the join does not complete") {
  World slow(3), fast(3);
  StreamLinkModel thin;
  thin.bandwidth_bps = 100;  // a join request of a few hundred bytes takes tens of seconds
  slow.network().set_stream_links(thin);
  for (World* w : {&slow, &fast}) {
    w->spawn(2, Config::lan());
    w->join_all(0);
    w->run_for(20s);
  }
  CHECK(fast.sees_alive(1, {0}));
  CHECK_FALSE(slow.sees_alive(1, {0}));
}

TEST_CASE("partitions, heal and crash") {
  World world(3);
  world.spawn(6, Config::lan());
  world.join_all(0);
  world.run_for(10s);
  for (std::uint32_t i = 0; i < 6; ++i) CHECK(world.sees_alive(i, {0, 1, 2, 3, 4, 5}));

  world.partition({0, 1, 2}, {3, 4, 5});
  CHECK_FALSE(world.network().reachable(1, 4));
  CHECK_FALSE(world.network().reachable(4, 1));
  CHECK(world.network().reachable(1, 2));
  world.heal();
  CHECK(world.network().reachable(1, 4));

  world.partition_one_way({5}, {0, 1});
  CHECK_FALSE(world.network().reachable(5, 0));
  CHECK(world.network().reachable(0, 5));
  world.heal();

  world.crash(2);
  CHECK_FALSE(world.is_up(2));
  CHECK_FALSE(world.sees_alive(2, {0}));
  world.crash(2);  // twice is harmless
  world.run_for(30s);
  CHECK(world.node(0).member(world.id(2))->state == MemberState::dead);
}

TEST_CASE("bytes and packets are counted for every datagram and stream message sent") {
  World world(5);
  world.spawn(4, Config::lan());
  world.join_all(0);
  world.run_for(5s);
  std::uint64_t bytes = 0, packets = 0, stats_bytes = 0;
  for (std::uint32_t i = 0; i < 4; ++i) {
    bytes += world.bytes_sent(i);
    packets += world.packets_sent(i);
    stats_bytes += world.node(i).stats().datagram_bytes_sent + world.node(i).stats().stream_bytes_sent;
  }
  CHECK(packets > 0);
  CHECK(bytes == stats_bytes);
}

TEST_CASE("a skew set before a member's first input applies from its creation") {
  World world(8);
  world.spawn(3, Config::lan());
  world.set_clock_skew(1, -30s);  // its clock would read -30 s: still fine
  world.set_clock_skew(2, 30s);
  CHECK(world.clock_skew(1) == -30s);
  world.join_all(0);
  world.run_for(10s);
  for (std::uint32_t i = 0; i < 3; ++i) CHECK(world.sees_alive(i, {0, 1, 2}));
  // A later backward jump holds the member's clock still instead of reversing it.
  world.set_clock_skew(2, 0s);
  world.run_for(40s);
  for (std::uint32_t i = 0; i < 3; ++i) CHECK(world.sees_alive(i, {0, 1, 2}));
}

}  // namespace
}  // namespace swell::sim
