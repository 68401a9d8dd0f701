// Test support for the HTTP side of swell-agent: in-process agents on 127.0.0.1 port 0,
// each on its own loop thread (so the test thread may block in an HTTP call while the
// agents keep running), and a wait that polls a condition until a deadline. A poll's
// short pause only paces the checks; the condition decides the outcome.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "runtime/loop_runner.h"
#include "swell/agent.h"

namespace swell::test {

/// Polls done() every 10 ms until it holds (true) or the deadline passes (false).
inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

/// Starts n agents named prefix0.. on 127.0.0.1, each on its own thread, all joining
/// through the first; adjust(i, options) may change each one's options first.
inline Result<std::vector<Agent>> start_threaded_agents(int n, const std::string& prefix,
                                                        const std::function<void(int, AgentOptions&)>& adjust = {}) {
  std::vector<Agent> agents;
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> seeds;
    if (i > 0) seeds.push_back(agents.front().address());
    auto o = loopback_options(prefix + std::to_string(i), "127.0.0.1", nullptr, seeds);
    if (adjust) adjust(i, o);
    auto a = Agent::start(std::move(o));
    if (!a.ok()) return a.error();
    agents.push_back(std::move(a).value());
  }
  return agents;
}

/// Stops every agent (each joins its own thread).
inline void stop_agents(std::vector<Agent>& agents) {
  for (Agent& a : agents) a.stop();
}

}  // namespace swell::test
