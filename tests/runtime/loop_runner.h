// Test support for agents on real loopback sockets: a uv loop the test thread runs until
// a condition holds or a deadline passes (never a fixed sleep), a fast Config, and
// agent options on 127.0.0.1 / ::1 with port 0.
#pragma once

#include <uv.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "swell/agent.h"

namespace swell::test {

/// A libuv loop owned by the test; agents share it.
class LoopRunner {
 public:
  LoopRunner() {
    uv_loop_init(&loop_);
    uv_timer_init(&loop_, &wake_);
  }
  ~LoopRunner() {
    uv_close(reinterpret_cast<uv_handle_t*>(&wake_), nullptr);
    uv_run(&loop_, UV_RUN_DEFAULT);  // remaining close callbacks
    uv_loop_close(&loop_);
  }
  LoopRunner(const LoopRunner&) = delete;
  LoopRunner& operator=(const LoopRunner&) = delete;

  /// The loop to hand to AgentOptions::loop.
  uv_loop_t* loop() { return &loop_; }

  /// Runs the loop until done() or the deadline; true if done() became true.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    // The wake-up timer bounds each blocking loop iteration, so done() is checked often.
    uv_timer_start(&wake_, [](uv_timer_t*) {}, 5, 5);
    bool ok = done();
    while (!ok && std::chrono::steady_clock::now() < until) {
      uv_run(&loop_, UV_RUN_ONCE);
      ok = done();
    }
    uv_timer_stop(&wake_);
    return ok;
  }

  /// Stops every agent and runs the loop until all of them have closed their handles.
  bool stop_all(std::vector<Agent>& agents) {
    for (Agent& a : agents) a.stop();
    return run_until([&] {
      for (const Agent& a : agents) {
        if (!a.stopped()) return false;
      }
      return true;
    }, std::chrono::seconds(10));
  }

 private:
  uv_loop_t loop_{};
  uv_timer_t wake_{};
};

/// The identity whose 32-byte seed is n repeated: the same keys in every run.
inline Identity identity_from(std::uint8_t n) {
  std::array<std::uint8_t, Identity::kSeedSize> seed{};
  seed.fill(n);
  return std::move(Identity::from_seed(seed).value());
}

/// A Config for tests on one host: fast probing, short timeouts.
inline Config fast_config() {
  Config c = Config::local();
  c.probe_interval = std::chrono::milliseconds(200);
  c.probe_timeout = std::chrono::milliseconds(80);
  c.gossip_interval = std::chrono::milliseconds(50);
  c.push_pull_interval = std::chrono::seconds(5);
  c.stream_timeout = std::chrono::seconds(1);
  c.join_retry_initial = std::chrono::milliseconds(200);
  c.join_retry_max = std::chrono::seconds(1);
  c.reconnect_interval = std::chrono::seconds(1);
  return c;
}

/// Options for an agent named name on host ("127.0.0.1" or "::1"), port 0, sharing loop.
inline AgentOptions loopback_options(const std::string& name, const std::string& host, uv_loop_t* loop,
                                     std::vector<std::string> seeds = {}) {
  AgentOptions o;
  auto id = Identity::generate();
  o.identity.emplace(std::move(id).value());
  o.config = fast_config();
  o.info.id = name;
  const std::string bracketed = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  o.info.address = bracketed + ":3000";
  o.bind_address = bracketed + ":0";
  o.seeds = std::move(seeds);
  o.loop = loop;
  return o;
}

/// True when every agent's snapshot shows want members alive.
inline bool all_see_alive(const std::vector<Agent>& agents, std::size_t want) {
  for (const Agent& a : agents) {
    auto s = a.snapshot();
    if (!s || s->count(MemberState::alive) != want) return false;
  }
  return true;
}

}  // namespace swell::test
