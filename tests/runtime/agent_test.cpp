// Agents on real loopback sockets (127.0.0.1 and ::1, port 0). Every outcome is awaited
// by condition with a deadline; nothing is decided by a sleep.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "runtime/loop_runner.h"
#include "swell/agent.h"

using namespace std::chrono_literals;
using swell::Agent;
using swell::AgentOptions;
using swell::MemberState;
using swell::MembershipEvent;
using swell::test::LoopRunner;
using swell::test::loopback_options;

namespace {

// Starts n agents on host sharing runner's loop, all joining through the first.
std::vector<Agent> start_cluster(LoopRunner& runner, const std::string& host, int n,
                                 std::function<void(AgentOptions&)> adjust = {}) {
  std::vector<Agent> agents;
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> seeds;
    if (i > 0) seeds.push_back(agents.front().address());
    auto o = loopback_options("n" + std::to_string(i), host, runner.loop(), seeds);
    if (adjust) adjust(o);
    auto a = Agent::start(std::move(o));
    REQUIRE_MESSAGE(a.ok(), (a.ok() ? "" : a.error().message));
    agents.push_back(std::move(a).value());
  }
  return agents;
}

const swell::MemberSnapshot* member_in(const Agent& observer, const swell::NodeId& id,
                                       std::shared_ptr<const swell::AgentSnapshot>& hold) {
  hold = observer.snapshot();
  return hold ? hold->find(id) : nullptr;
}

bool state_everywhere(const std::vector<Agent>& observers, const swell::NodeId& id, MemberState want) {
  for (const Agent& a : observers) {
    std::shared_ptr<const swell::AgentSnapshot> hold;
    const auto* m = member_in(a, id, hold);
    if (m == nullptr || m->state != want) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("three agents on 127.0.0.1 join, and the bound port is the advertised one") {
  LoopRunner runner;
  auto agents = start_cluster(runner, "127.0.0.1", 3);
  CHECK(runner.run_until([&] { return swell::test::all_see_alive(agents, 3); }, 10s));
  for (const Agent& a : agents) {
    CHECK(a.bound_port() != 0);
    CHECK(a.address() == "127.0.0.1:" + std::to_string(a.bound_port()));
    CHECK(a.snapshot()->swim_address == a.address());
  }
  CHECK(runner.stop_all(agents));
}

TEST_CASE("a stopped agent is declared failed by the others, with its evidence") {
  LoopRunner runner;
  std::mutex mu;
  std::map<int, MembershipEvent> failed_seen;  // observer index -> failed event
  auto agents = start_cluster(runner, "127.0.0.1", 3);
  REQUIRE(runner.run_until([&] { return swell::test::all_see_alive(agents, 3); }, 10s));
  const swell::NodeId victim = agents[2].id();
  agents[2].stop();
  REQUIRE(runner.run_until([&] { return agents[2].stopped(); }, 5s));
  std::vector<Agent> observers;
  observers.push_back(std::move(agents[0]));
  observers.push_back(std::move(agents[1]));
  CHECK(runner.run_until([&] { return state_everywhere(observers, victim, MemberState::dead); }, 15s));
  // The evidence came through the event queue of each observer.
  for (int i = 0; i < 2; ++i) {
    bool found = false;
    while (auto e = observers[i].poll_event()) {
      if (e->kind == MembershipEvent::Kind::failed && e->member == victim) {
        found = true;
        REQUIRE(e->evidence.has_value());
        CHECK_FALSE(e->evidence->declared_by.is_zero());
        CHECK_FALSE(e->evidence->first_suspected_by.is_zero());
      }
    }
    CHECK(found);
  }
  CHECK(runner.stop_all(observers));
  CHECK(runner.stop_all(agents));
}

TEST_CASE("a graceful leave is seen as left, not failed") {
  LoopRunner runner;
  std::atomic<int> failed_events{0};
  auto agents = start_cluster(runner, "127.0.0.1", 3, [&](AgentOptions& o) {
    o.on_event = [&](const MembershipEvent& e) {
      if (e.kind == MembershipEvent::Kind::failed) ++failed_events;
    };
  });
  REQUIRE(runner.run_until([&] { return swell::test::all_see_alive(agents, 3); }, 10s));
  const swell::NodeId leaver = agents[2].id();
  bool done = false;
  REQUIRE(agents[2].begin_leave(2s, [&] { done = true; }).ok());
  REQUIRE(runner.run_until([&] { return done; }, 5s));
  CHECK(agents[2].snapshot()->leaving);
  agents[2].stop();
  std::vector<Agent> observers;
  observers.push_back(std::move(agents[0]));
  observers.push_back(std::move(agents[1]));
  CHECK(runner.run_until([&] { return state_everywhere(observers, leaver, MemberState::left); }, 10s));
  // Give failure detection time to misjudge it (it must not): each observer runs ten
  // more probes, a few suspicion timeouts' worth, counted by the observers themselves.
  std::vector<std::uint64_t> probes_before;
  for (const Agent& a : observers) probes_before.push_back(a.snapshot()->node.probes);
  REQUIRE(runner.run_until(
      [&] {
        for (std::size_t k = 0; k < observers.size(); ++k) {
          if (observers[k].snapshot()->node.probes < probes_before[k] + 10) return false;
        }
        return true;
      },
      20s));
  CHECK(state_everywhere(observers, leaver, MemberState::left));
  CHECK(failed_events.load() == 0);
  CHECK(runner.stop_all(observers));
  CHECK(runner.stop_all(agents));
}

TEST_CASE("a restart with the same key rejoins with a higher incarnation") {
  LoopRunner runner;
  auto agents = start_cluster(runner, "127.0.0.1", 3);
  REQUIRE(runner.run_until([&] { return swell::test::all_see_alive(agents, 3); }, 10s));
  auto seed_bytes = std::array<std::uint8_t, 32>{};
  seed_bytes[0] = 7;
  // A fourth agent with a fixed key, so it can come back with the same one.
  auto o = loopback_options("phoenix", "127.0.0.1", runner.loop(), {agents[0].address()});
  o.identity.emplace(swell::Identity::from_seed(seed_bytes).value());
  auto first = Agent::start(std::move(o));
  REQUIRE(first.ok());
  const swell::NodeId id = first.value().id();
  agents.push_back(std::move(first).value());
  REQUIRE(runner.run_until([&] { return swell::test::all_see_alive(agents, 4); }, 10s));
  std::shared_ptr<const swell::AgentSnapshot> hold;
  const std::uint64_t before = member_in(agents[0], id, hold)->incarnation;
  agents[3].stop();
  REQUIRE(runner.run_until([&] { return agents[3].stopped(); }, 5s));
  std::vector<Agent> rest;
  for (int i = 0; i < 3; ++i) rest.push_back(std::move(agents[i]));
  REQUIRE(runner.run_until([&] { return state_everywhere(rest, id, MemberState::dead); }, 15s));

  auto again = loopback_options("phoenix", "127.0.0.1", runner.loop(), {rest[0].address()});
  again.identity.emplace(swell::Identity::from_seed(seed_bytes).value());
  auto second = Agent::start(std::move(again));
  REQUIRE(second.ok());
  CHECK(second.value().id() == id);
  CHECK(runner.run_until([&] {
    if (!state_everywhere(rest, id, MemberState::alive)) return false;
    for (const Agent& a : rest) {
      std::shared_ptr<const swell::AgentSnapshot> h;
      if (member_in(a, id, h)->incarnation <= before) return false;
    }
    return true;
  }, 15s));
  rest.push_back(std::move(second).value());
  CHECK(runner.stop_all(rest));
  CHECK(runner.stop_all(agents));
}

TEST_CASE("set_local_info from another thread reaches every member (agents on their own threads)") {
  std::vector<Agent> agents;
  for (int i = 0; i < 3; ++i) {
    std::vector<std::string> seeds;
    if (i > 0) seeds.push_back(agents.front().address());
    auto o = loopback_options("t" + std::to_string(i), "127.0.0.1", nullptr, seeds);
    auto a = Agent::start(std::move(o));
    REQUIRE(a.ok());
    agents.push_back(std::move(a).value());
  }
  auto wait = [&](const std::function<bool()>& done, std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
    return done();
  };
  REQUIRE(wait([&] { return swell::test::all_see_alive(agents, 3); }, 10s));
  const swell::NodeId author = agents[1].id();
  std::thread updater([&] {
    swell::PeerInfo info = agents[1].snapshot()->find(author)->announcement->info;
    info.metadata = {'g', 'p', 'u', '=', '8'};
    CHECK(agents[1].set_local_info(info).ok());
  });
  updater.join();
  CHECK(wait([&] {
    for (const Agent& a : agents) {
      auto s = a.snapshot();
      const auto* m = s->find(author);
      if (m == nullptr || m->announcement->info.metadata != swell::Bytes{'g', 'p', 'u', '=', '8'}) return false;
    }
    return true;
  }, 10s));
  // A leave that waits, from this (non-loop) thread.
  CHECK(agents[2].leave(2s).ok());
  for (Agent& a : agents) a.stop();
  for (const Agent& a : agents) CHECK(a.stopped());
}

TEST_CASE("a port in use gives an error that says what to do") {
  LoopRunner runner;
  auto first = Agent::start(loopback_options("a", "127.0.0.1", runner.loop()));
  REQUIRE(first.ok());
  auto o = loopback_options("b", "127.0.0.1", runner.loop());
  o.bind_address = first.value().address();
  auto second = Agent::start(std::move(o));
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code == swell::ErrorCode::io);
  CHECK(second.error().message.find("in use") != std::string::npos);
  CHECK(second.error().message.find("bind another port") != std::string::npos);
  std::vector<Agent> agents;
  agents.push_back(std::move(first).value());
  CHECK(runner.stop_all(agents));
}

TEST_CASE("bad options are errors that name the fix") {
  LoopRunner runner;
  auto any = loopback_options("a", "127.0.0.1", runner.loop());
  any.bind_address = "0.0.0.0:0";
  auto r1 = Agent::start(std::move(any));
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.error().message.find("advertise_address") != std::string::npos);

  auto bad = loopback_options("b", "127.0.0.1", runner.loop());
  bad.bind_address = "localhost:7946";
  auto r2 = Agent::start(std::move(bad));
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().code == swell::ErrorCode::invalid_argument);

  auto nokey = loopback_options("c", "127.0.0.1", runner.loop());
  nokey.identity.reset();
  nokey.key_file = "/nonexistent/swell.key";
  auto r3 = Agent::start(std::move(nokey));
  REQUIRE_FALSE(r3.ok());
  CHECK(r3.error().code == swell::ErrorCode::key_file_missing);

  auto badseed = loopback_options("d", "127.0.0.1", runner.loop(), {"not-an-address"});
  auto r4 = Agent::start(std::move(badseed));
  REQUIRE_FALSE(r4.ok());
  CHECK(r4.error().message.find("seed") != std::string::npos);
}

TEST_CASE("three agents on ::1 join and detect a stopped one") {
  LoopRunner runner;
  auto agents = start_cluster(runner, "::1", 3);
  CHECK(runner.run_until([&] { return swell::test::all_see_alive(agents, 3); }, 10s));
  CHECK(agents[0].address().rfind("[::1]:", 0) == 0);
  const swell::NodeId victim = agents[2].id();
  agents[2].stop();
  std::vector<Agent> observers;
  observers.push_back(std::move(agents[0]));
  observers.push_back(std::move(agents[1]));
  CHECK(runner.run_until([&] { return state_everywhere(observers, victim, MemberState::dead); }, 15s));
  CHECK(runner.stop_all(observers));
  CHECK(runner.stop_all(agents));
}

TEST_CASE("an agent stopped on one thread is destroyed on another; calls after stop are errors") {
  auto started = Agent::start(loopback_options("solo", "127.0.0.1", nullptr));
  REQUIRE(started.ok());
  auto agent = std::make_unique<Agent>(std::move(started).value());
  std::thread stopper([&] { agent->stop(); });
  stopper.join();
  CHECK(agent->stopped());
  CHECK_FALSE(agent->snapshot()->running);
  auto after = agent->set_local_info(agent->snapshot()->find(agent->id())->announcement->info);
  REQUIRE_FALSE(after.ok());
  CHECK(after.error().code == swell::ErrorCode::not_running);
  std::thread destroyer([&] { agent.reset(); });
  destroyer.join();
  CHECK(agent == nullptr);
}

TEST_CASE("an agent on a caller's loop may be destroyed before its handles have closed") {
  LoopRunner runner;
  auto agents = start_cluster(runner, "127.0.0.1", 2);
  REQUIRE(runner.run_until([&] { return swell::test::all_see_alive(agents, 2); }, 10s));
  agents.clear();  // ~Agent posts stop; the loop side frees itself as the loop runs
  runner.run_until([] { return false; }, 200ms);
}
