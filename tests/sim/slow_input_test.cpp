// World::set_input_delay: a member whose messages are handled late while its timers
// fire on time (Lifeguard's slow message processing), against World's `slow` member,
// which is late at everything.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <vector>

#include "scenario_files.h"
#include "scenario_runner.h"
#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

// Plain SWIM: no Lifeguard part, no flap damping, no degraded-member hold-down.
Config plain_swim(Config c = Config::lan()) {
  c.lifeguard_local_health = false;
  c.lifeguard_dynamic_suspicion = false;
  c.lifeguard_buddy = false;
  c.flap_limit = 0;
  c.degraded_ratio = 0;
  return c;
}

// Send time of every datagram to `to`, and the delay until `to` handled it, in send
// order (fixed latency and no loss, so each send is handled once and in order).
struct Transit {
  std::vector<Time> sent;
  std::vector<Time> handled;
};

void record_transit(World& world, std::uint32_t to, Transit& t) {
  world.observe_sends([&world, to, &t](std::uint32_t, std::uint32_t dest, const Bytes&, bool delivered) {
    if (dest == to && delivered) t.sent.push_back(world.now());
  });
  world.observe_datagrams([&world, to, &t](std::uint32_t at, std::uint32_t, const Bytes&) {
    if (at == to) t.handled.push_back(world.now());
  });
}

TEST_CASE("input delay: datagrams are handled late and in order; lifted at 'until', the backlog drains first") {
  World world(4);
  world.spawn(3, plain_swim());
  world.network().set_latency({1ms, 1ms});
  world.join_all(0);
  world.run_for(10s);
  Transit t;
  record_transit(world, 1, t);
  const Time until = world.now() + 5s;
  world.set_input_delay(1, 700ms, until);
  CHECK(world.input_delay(1) == 700ms);
  world.run_for(10s);
  REQUIRE(t.handled.size() <= t.sent.size());
  std::size_t late = 0, prompt = 0;
  for (std::size_t k = 0; k < t.handled.size(); ++k) {
    if (k > 0) CHECK(t.handled[k] >= t.handled[k - 1]);  // arrival order
    const Duration transit = t.handled[k] - t.sent[k];
    if (t.sent[k] + 1ms < until) {
      CHECK(transit >= 701ms);
      CHECK(transit < 702ms);
      ++late;
    } else if (t.sent[k] > until + 1s) {
      CHECK(transit < 2ms);  // the backlog has drained: on time again
      ++prompt;
    }
  }
  CHECK(late > 10);
  CHECK(prompt > 10);
}

TEST_CASE("input delay: the member's timers fire on time, so it suspects healthy peers; `slow` does not") {
  // 1.5 s is more than a probe interval: every ack comes back after the probe's period
  // has ended. A `slow` member runs its timeout that late too, and finds the ack.
  std::map<bool, std::size_t> suspicions_by_member_1;
  for (const bool timers_on_time : {true, false}) {
    World world(7);
    world.spawn(8, plain_swim());
    world.join_all(0);
    world.run_for(10s);
    std::size_t& count = suspicions_by_member_1[timers_on_time];
    world.observe([&count](std::uint32_t observer, const MembershipEvent& e) {
      if (observer == 1 && e.kind == MembershipEvent::Kind::suspected) ++count;
    });
    if (timers_on_time) {
      world.set_input_delay(1, 1500ms);
    } else {
      world.set_processing_delay(1, 1500ms);
    }
    world.run_for(30s);
  }
  CHECK(suspicions_by_member_1[true] >= 10);
  CHECK(suspicions_by_member_1[false] == 0);
}

TEST_CASE("input delay: a crash discards the backlog; the restarted process gets none of it") {
  World world(5);
  world.spawn(4, plain_swim());
  world.join_all(0);
  world.run_for(10s);
  world.set_input_delay(2, 2s);
  world.run_for(3s);  // 2 s of datagrams wait in member 2's backlog
  world.crash(2);
  world.set_input_delay(2, 0ms);
  world.restart(2, {0});
  std::size_t sent_to_2 = 0, handled_by_2 = 0;
  world.observe_sends([&](std::uint32_t, std::uint32_t to, const Bytes&, bool delivered) {
    sent_to_2 += to == 2 && delivered;
  });
  world.observe_datagrams([&](std::uint32_t at, std::uint32_t, const Bytes&) { handled_by_2 += at == 2; });
  world.run_for(3s);  // past the old backlog's due times
  // Only what was sent after the restart reaches the new process (the last sends may
  // still be on the wire); the backlog would add dozens.
  CHECK(handled_by_2 > 0);
  CHECK(handled_by_2 <= sent_to_2);
  world.run_for(10s);
  CHECK(world.sees_alive(2, {0, 1, 3}));
}

// The count of the file's "no healthy member declared failed" check.
std::uint64_t healthy_failed(const ScenarioReport& report) {
  for (const auto& step : report.json["timeline"]) {
    if (step["action"] == "expect_events") return step["count"].get<std::uint64_t>();
  }
  FAIL("no expect_events step in the report");
  return 0;
}

TEST_CASE("input delay, Lifeguard's case: plain SWIM condemns healthy members, Lifeguard does not") {
  Scenario scenario = testing::scenario_file("slow_input_lifeguard");
  const ScenarioReport lifeguard = run_scenario(scenario);
  for (const std::string& failure : lifeguard.failures) MESSAGE(failure);
  CHECK(lifeguard.ok);
  CHECK(healthy_failed(lifeguard) == 0);
  scenario.config = plain_swim(scenario.config);
  const ScenarioReport plain = run_scenario(scenario);
  // The slow members' own verdicts: they time out on acks they have not read, and read
  // the refutations only after their suspicion timeout.
  CHECK(healthy_failed(plain) >= 20);
}

}  // namespace
}  // namespace swell::sim
