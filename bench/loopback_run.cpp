#include "loopback_run.h"

#include <sys/resource.h>
#include <uv.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "loop_thread.h"
#include "swell/agent.h"

namespace swell::bench {
namespace {

using Clock = std::chrono::steady_clock;

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// memberlist's pct(): the sorted sample at index int(p * (len - 1)); -1 when empty.
double pct(std::vector<double> xs, double p) {
  if (xs.empty()) return -1;
  std::sort(xs.begin(), xs.end());
  return xs[static_cast<std::size_t>(p * static_cast<double>(xs.size() - 1))];
}

// Polls done() every poll_ms (10 ms, as the harness polls) until it holds or limit_s passes.
bool wait_until(double limit_s, const std::function<bool()>& done, int poll_ms = 10) {
  const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limit_s));
  while (!done()) {
    if (Clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
  }
  return true;
}

struct Totals {
  std::uint64_t bytes = 0, packets = 0, stream_bytes = 0;
};

// Sums the agents' transport counters (republished every stats_interval).
Totals totals(const std::vector<Agent>& agents) {
  Totals t;
  for (const Agent& a : agents) {
    auto s = a.snapshot();
    t.bytes += s->transport.datagram_bytes_sent + s->transport.stream_bytes_sent;
    t.packets += s->transport.datagrams_sent;
    t.stream_bytes += s->transport.stream_bytes_sent;
  }
  return t;
}

bool converged(const std::vector<Agent>& agents, std::size_t n) {
  for (const Agent& a : agents) {
    auto s = a.snapshot();
    if (s->count(MemberState::alive) + s->count(MemberState::suspect) != n) return false;
  }
  return true;
}

// Verdicts as memberlist's NotifyLeave sees them: failed or left, per victim.
struct Verdicts {
  std::mutex mu;  // events arrive on every loop thread
  std::uint64_t false_dead = 0;
  std::uint64_t false_dead_joining = 0;  // of those, before join convergence
  bool converged = false;
  bool crashed = false;
  NodeId victim;
  std::map<std::size_t, double> detected;  // observer -> seconds after the crash
  Clock::time_point crash_at{};
};


AgentOptions agent_options(const LoopbackOptions& o, std::size_t i, const std::vector<Agent>& agents,
                           uv_loop_t* loop, Verdicts& v) {
  AgentOptions a;
  a.identity.emplace(Identity::generate().value());
  a.config = o.config;
  a.info.id = "n" + std::to_string(i);
  a.info.address = "127.0.0.1:3000";
  a.bind_address = "127.0.0.1:0";
  if (i > 0) a.seeds = {agents.front().address()};
  a.loop = loop;
  a.event_queue_capacity = 0;
  a.faults.inbound_loss = o.loss;
  a.faults.seed = o.seed * 1000003 + i + 1;
  a.on_event = [&v, i](const MembershipEvent& e) {
    if (e.kind != MembershipEvent::Kind::failed && e.kind != MembershipEvent::Kind::left) return;
    const std::lock_guard lock(v.mu);
    if (!v.crashed) {
      ++v.false_dead;
      if (!v.converged) ++v.false_dead_joining;
    } else if (e.member == v.victim && v.detected.count(i) == 0) {
      v.detected[i] = seconds_since(v.crash_at);
    }
  };
  return a;
}

// Starts the agents one after another over the loops, each once the previous join was answered.
Result<void> start_agents(const LoopbackOptions& o, std::vector<std::unique_ptr<LoopThread>>& loops,
                          std::vector<Agent>& agents, Verdicts& v) {
  for (std::size_t i = 0; i < o.nodes; ++i) {
    LoopThread& lt = *loops[i % loops.size()];
    auto agent = lt.call([&] { return Agent::start(agent_options(o, i, agents, lt.loop(), v)); });
    if (!agent.ok()) return agent.error();
    agents.push_back(std::move(agent).value());
    // memberlist's Join returns once the seed answered: wait for the seed's table
    // (polled every millisecond: Join itself returns at once when answered).
    if (i > 0) wait_until(10, [&] { return agents.back().snapshot()->members->size() > 1; }, 1);
  }
  return success();
}

}  // namespace

nlohmann::json run_loopback(const LoopbackOptions& o) {
  const std::size_t n = o.nodes;
  const std::size_t loop_count = o.loops > 0 ? o.loops : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<LoopThread>> loops;
  for (std::size_t k = 0; k < loop_count; ++k) loops.push_back(std::make_unique<LoopThread>());
  Verdicts v;
  std::vector<Agent> agents;
  agents.reserve(n);
  const auto start = Clock::now();
  if (auto started = start_agents(o, loops, agents, v); !started.ok()) return {{"error", started.error().message}};
  const double start_interval_ms = seconds_since(start) * 1000.0 / static_cast<double>(n);
  const bool joined = wait_until(o.join_limit_s, [&] { return converged(agents, n); });
  const double converge = seconds_since(start);
  const double join_cpu_s = cpu_seconds();
  {
    const std::lock_guard lock(v.mu);
    v.converged = true;
  }

  const Totals t0 = totals(agents);
  const double c0 = cpu_seconds();
  const auto window = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(o.steady_s));
  const double window_s = seconds_since(window);
  const double c1 = cpu_seconds();
  const Totals t1 = totals(agents);
  std::uint64_t false_dead = 0, false_dead_joining = 0;
  {
    const std::lock_guard lock(v.mu);
    false_dead = v.false_dead;
    false_dead_joining = v.false_dead_joining;
    v.victim = agents.back().id();
    v.crash_at = Clock::now();
    v.crashed = true;
  }
  agents.back().stop();
  wait_until(o.detect_limit_s, [&] {
    const std::lock_guard lock(v.mu);
    return v.detected.size() >= n - 1;
  });
  std::vector<double> det;
  {
    const std::lock_guard lock(v.mu);
    for (const auto& [observer, s] : v.detected) det.push_back(s);
  }
  for (Agent& a : agents) a.stop();
  wait_until(30, [&] { return std::all_of(agents.begin(), agents.end(), [](const Agent& a) { return a.stopped(); }); });
  agents.clear();
  loops.clear();

  const double node_s = window_s * static_cast<double>(n);
  nlohmann::json r;
  r["impl"] = "swell";
  r["transport"] = "loopback udp+tcp";
  r["nodes"] = n;
  r["loss"] = o.loss;
  r["seed"] = o.seed;
  r["steady_s"] = o.steady_s;
  r["probe_interval_ms"] = static_cast<double>(o.config.probe_interval.count()) / 1000.0;
  r["join_converge_s"] = joined ? nlohmann::json(converge) : nlohmann::json(nullptr);
  r["bytes_per_node_per_s"] = static_cast<double>(t1.bytes - t0.bytes) / node_s;
  r["packets_per_node_per_s"] = static_cast<double>(t1.packets - t0.packets) / node_s;
  r["stream_bytes_per_node_per_s"] = static_cast<double>(t1.stream_bytes - t0.stream_bytes) / node_s;  // TCP part
  r["cpu_ms_per_node_per_s"] = (c1 - c0) * 1000.0 / node_s;
  r["false_dead_in_steady"] = false_dead;  // the anchor's figure: every verdict from the first start
  r["false_dead_before_converge"] = false_dead_joining;  // of those, during the join
  r["detect_first_s"] = pct(det, 0);
  r["detect_median_s"] = pct(det, 0.5);
  r["detect_last_s"] = pct(det, 1);
  r["detect_observers"] = det.size();
  r["start_interval_ms"] = start_interval_ms;
  r["loops"] = loop_count;
  r["join_cpu_s"] = join_cpu_s;  // process CPU from start to convergence
  return r;
}

}  // namespace swell::bench
