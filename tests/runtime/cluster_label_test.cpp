// Cluster labels on real loopback sockets: two 3-agent clusters with different labels,
// each also seeded with an address of the other, stay apart; the refusals are counted.
#include <doctest/doctest.h>

#include "runtime/loop_runner.h"
#include "swell/agent.h"

using namespace std::chrono_literals;
using swell::Agent;
using swell::test::LoopRunner;
using swell::test::loopback_options;

namespace {

// Starts one agent labelled label, trying seeds in order.
Agent start_labelled(LoopRunner& runner, const std::string& label, int n, std::vector<std::string> seeds) {
  auto o = loopback_options(label + std::to_string(n), "127.0.0.1", runner.loop(), std::move(seeds));
  o.config.cluster_label = label;
  auto a = Agent::start(std::move(o));
  REQUIRE_MESSAGE(a.ok(), (a.ok() ? "" : a.error().message));
  return std::move(a).value();
}

}  // namespace

TEST_CASE("two 3-agent clusters with different labels, seeded through each other, never merge") {
  LoopRunner runner;
  // The two founders start alone; every other agent's first seed is the other cluster's
  // (the blocking Agent::join cannot be called from the thread running this loop).
  std::vector<Agent> alpha, beta;
  alpha.push_back(start_labelled(runner, "alpha", 0, {}));
  beta.push_back(start_labelled(runner, "beta", 0, {}));
  for (int i = 1; i < 3; ++i) {
    alpha.push_back(start_labelled(runner, "alpha", i, {beta[0].address(), alpha[0].address()}));
    beta.push_back(start_labelled(runner, "beta", i, {alpha[i - 1].address(), beta[0].address()}));
  }
  CHECK(runner.run_until([&] { return swell::test::all_see_alive(alpha, 3) && swell::test::all_see_alive(beta, 3); },
                         20s));
  // Let several probe periods pass; the views must stay at three members each.
  const std::uint64_t probes_then = beta[0].snapshot()->node.probes;
  CHECK(runner.run_until([&] { return beta[0].snapshot()->node.probes >= probes_then + 10; }, 20s));
  std::uint64_t refused = 0;
  for (const auto* cluster : {&alpha, &beta}) {
    for (const Agent& a : *cluster) {
      auto s = a.snapshot();
      REQUIRE(s);
      CHECK(s->members->size() == 3);
      CHECK(s->count(swell::MemberState::alive) == 3);
      for (const auto* other : {&alpha, &beta}) {
        if (other == cluster) continue;
        for (const Agent& b : *other) CHECK(s->find(b.id()) == nullptr);
      }
      refused += s->node.joins_refused;
    }
  }
  CHECK(refused >= 4);  // each non-founder was refused by the other cluster's agent first
  MESSAGE("joins refused " << refused);
  CHECK(runner.stop_all(alpha));
  CHECK(runner.stop_all(beta));
}
