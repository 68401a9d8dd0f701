#include "default_run.h"

#include <algorithm>
#include <chrono>

#include "world.h"

namespace swell::sim {
namespace {

double seconds(Time t) { return to_seconds(t); }

// Polls a condition on virtual time every `step`, up to `limit`; returns when it held.
template <class Condition>
std::optional<Time> run_until_true(World& world, Duration step, Duration limit, Condition condition) {
  const Time end = world.now() + limit;
  while (world.now() < end) {
    world.run_for(step);
    if (condition()) return world.now();
  }
  return std::nullopt;
}

}  // namespace

nlohmann::json run_default(const DefaultRunOptions& o) {
  const auto wall_start = std::chrono::steady_clock::now();
  World world(o.seed);
  world.spawn(o.nodes, o.config);
  if (o.loss > 0) {
    for (std::uint32_t i = 0; i < world.size(); ++i) world.network().set_inbound_loss(i, o.loss);
  }
  const auto n = static_cast<std::uint32_t>(o.nodes);
  const std::uint32_t victim = n - 1;

  // Counted from the start of the steady window.
  bool in_steady = false;
  std::uint64_t false_dead = 0;
  bool victim_crashed = false;
  std::vector<double> detections;
  std::vector<bool> detected(n, false);
  Time crash_at{0};
  bool updating = false;
  Time update_at{0};
  std::size_t update_seen = 0;
  std::vector<bool> saw_update(n, false);
  world.observe([&](std::uint32_t observer, const MembershipEvent& e) {
    const auto subject = world.index_of(e.member);
    if (!subject) return;
    const bool verdict = e.kind == MembershipEvent::Kind::failed;
    if (verdict && in_steady && !(victim_crashed && *subject == victim)) ++false_dead;
    if (verdict && victim_crashed && *subject == victim && !detected[observer]) {
      detected[observer] = true;
      detections.push_back(seconds(world.now() - crash_at));
    }
    if (updating && *subject == 0 && e.kind == MembershipEvent::Kind::updated && !saw_update[observer]) {
      saw_update[observer] = true;
      ++update_seen;
    }
  });

  world.join_all(0);
  auto everyone_sees_all = [&] {
    for (std::uint32_t i = 0; i < n; ++i) {
      if (world.node(i).count(MemberState::alive) != n) return false;
    }
    return true;
  };
  const auto joined = run_until_true(world, std::chrono::milliseconds(100),
                                     Duration(static_cast<std::int64_t>(o.join_limit_s * 1e6)), everyone_sees_all);

  std::uint64_t bytes0 = 0, packets0 = 0;
  for (std::uint32_t i = 0; i < n; ++i) bytes0 += world.bytes_sent(i), packets0 += world.packets_sent(i);
  in_steady = true;
  world.run_for(Duration(static_cast<std::int64_t>(o.steady_s * 1e6)));
  in_steady = false;
  std::uint64_t bytes1 = 0, packets1 = 0;
  for (std::uint32_t i = 0; i < n; ++i) bytes1 += world.bytes_sent(i), packets1 += world.packets_sent(i);

  // Crash the last member without a word; everyone else should declare it failed.
  world.crash(victim);
  victim_crashed = true;
  crash_at = world.now();
  (void)run_until_true(world, std::chrono::milliseconds(50), Duration(static_cast<std::int64_t>(o.detect_limit_s * 1e6)),
                       [&] { return detections.size() >= n - 1; });

  // A PeerInfo update by member 0, until every live member has it.
  updating = true;
  update_at = world.now();
  PeerInfo info = world.node(0).member(world.id(0))->announcement->info;
  info.metadata = {'u', 'p', 'd', 'a', 't', 'e', 'd'};
  info.last_updated_ms += 1;
  (void)world.set_info(0, info);
  const auto disseminated = run_until_true(world, std::chrono::milliseconds(10), std::chrono::seconds(120),
                                           [&] { return update_seen >= n - 2; });

  std::sort(detections.begin(), detections.end());
  nlohmann::json report;
  report["impl"] = "swell";
  report["nodes"] = o.nodes;
  report["loss"] = o.loss;
  report["seed"] = o.seed;
  report["steady_s"] = o.steady_s;
  report["authentication"] = "ed25519 claims + blake2b-128 pairwise datagram tags";
  report["join_converge_s"] = joined ? nlohmann::json(seconds(*joined)) : nlohmann::json(nullptr);
  const double node_seconds = static_cast<double>(n) * o.steady_s;
  report["bytes_per_node_per_s"] = static_cast<double>(bytes1 - bytes0) / node_seconds;
  report["packets_per_node_per_s"] = static_cast<double>(packets1 - packets0) / node_seconds;
  report["false_dead_in_steady"] = false_dead;
  report["detect_observers"] = detections.size();
  if (!detections.empty()) {
    report["detect_first_s"] = detections.front();
    report["detect_median_s"] = detections[detections.size() / 2];
    report["detect_last_s"] = detections.back();
  } else {
    report["detect_first_s"] = report["detect_median_s"] = report["detect_last_s"] = nullptr;
  }
  report["dissemination_s"] = disseminated ? nlohmann::json(seconds(*disseminated - update_at)) : nlohmann::json(nullptr);
  report["events"] = world.events_processed();
  report["wall_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return report;
}

}  // namespace swell::sim
