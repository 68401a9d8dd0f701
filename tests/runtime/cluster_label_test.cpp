// Cluster labels on real loopback sockets: two 3-agent clusters with different labels,
// each also seeded with an address of the other, stay apart; the refusals are counted.
#include <doctest/doctest.h>

#include "runtime/loop_runner.h"
#include "swell/agent.h"

using namespace std::chrono_literals;
using swell::Agent;
using swell::AgentOptions;
using swell::test::LoopRunner;
using swell::test::loopback_options;

namespace {

// Starts a 3-agent cluster labelled label; each agent's first seed is foreign_seed (an
// agent of the other cluster), then its own cluster's first agent.
std::vector<Agent> start_labelled(LoopRunner& runner, const std::string& label, const std::string& foreign_seed) {
  std::vector<Agent> agents;
  for (int i = 0; i < 3; ++i) {
    std::vector<std::string> seeds;
    if (!foreign_seed.empty()) seeds.push_back(foreign_seed);
    if (i > 0) seeds.push_back(agents.front().address());
    auto o = loopback_options(label + std::to_string(i), "127.0.0.1", runner.loop(), seeds);
    o.config.cluster_label = label;
    auto a = Agent::start(std::move(o));
    REQUIRE_MESSAGE(a.ok(), (a.ok() ? "" : a.error().message));
    agents.push_back(std::move(a).value());
  }
  return agents;
}

}  // namespace

TEST_CASE("two 3-agent clusters with different labels, seeded through each other, never merge") {
  LoopRunner runner;
  auto alpha = start_labelled(runner, "alpha", "");
  REQUIRE(runner.run_until([&] { return swell::test::all_see_alive(alpha, 3); }, 10s));
  auto beta = start_labelled(runner, "beta", alpha[1].address());
  // alpha's members are told of beta too (an operator's join with a wrong address).
  for (Agent& a : alpha) REQUIRE(a.join({beta[0].address()}).ok());
  CHECK(runner.run_until([&] { return swell::test::all_see_alive(beta, 3); }, 15s));
  // Let several probe and push-pull periods pass; the views must stay at three members.
  std::uint64_t probes_then = beta[0].snapshot()->node.probes;
  CHECK(runner.run_until([&] { return beta[0].snapshot()->node.probes >= probes_then + 10; }, 20s));
  std::uint64_t refused = 0, dropped = 0;
  for (const auto* cluster : {&alpha, &beta}) {
    for (const Agent& a : *cluster) {
      auto s = a.snapshot();
      REQUIRE(s);
      CHECK(s->members->size() == 3);
      CHECK(s->count(swell::MemberState::alive) == 3);
      refused += s->node.joins_refused + s->node.streams_rejected;
      dropped += s->node.dropped_bad_mac;
    }
  }
  CHECK(refused >= 3);  // every beta agent was refused by alpha[1] first
  MESSAGE("streams refused " << refused << ", datagrams dropped (bad authenticator) " << dropped);
  CHECK(runner.stop_all(alpha));
  CHECK(runner.stop_all(beta));
}
