#include "default_run.h"

#include <algorithm>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <vector>

#include "world.h"

namespace swell::sim {
namespace {

Duration seconds(double s) { return Duration(static_cast<std::int64_t>(s * 1e6)); }

}  // namespace

nlohmann::json run_default(const DefaultRunOptions& o) {
  // Read the clock only when asked: tests run this with wall_time false.
  const auto wall_start = o.wall_time ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  World world(o.seed);
  const auto n = static_cast<std::uint32_t>(o.nodes);
  world.spawn(n, o.config);
  if (o.loss > 0) {
    for (std::uint32_t i = 0; i < n; ++i) world.network().set_inbound_loss(i, o.loss);
  }
  const std::uint32_t victim = n - 1;

  enum class Phase { join, settle, steady, detect, disseminate, done } phase = Phase::join;
  // join: who sees all n members alive right now (only i's own input changes i's view).
  std::vector<bool> sees_all(n, false);
  std::uint32_t seeing_all = 0;
  std::uint64_t false_dead = 0;
  std::vector<double> detections;
  std::vector<bool> detected(n, false);
  Time crash_at{0};
  std::size_t update_seen = 0;
  std::vector<bool> saw_update(n, false);

  world.observe([&](std::uint32_t observer, const MembershipEvent& e) {
    // Every member reports every join (10^8 events at 10,000 members): leave those
    // before any lookup.
    const bool verdict = e.kind == MembershipEvent::Kind::failed;
    if (!verdict && !(phase == Phase::disseminate && e.kind == MembershipEvent::Kind::updated)) return;
    const auto subject = world.index_of(e.member);
    if (!subject) return;
    if (verdict && (phase == Phase::settle || phase == Phase::steady)) ++false_dead;  // nobody has crashed yet
    if (verdict && phase == Phase::detect && *subject == victim && !detected[observer]) {
      detected[observer] = true;
      detections.push_back(to_seconds(world.now() - crash_at));
      if (detections.size() >= n - 1) world.stop();
    }
    if (phase == Phase::disseminate && *subject == 0 && e.kind == MembershipEvent::Kind::updated &&
        !saw_update[observer]) {
      saw_update[observer] = true;
      if (++update_seen >= n - 2) world.stop();  // every live member but the author
    }
  });
  // settle: who still has updates queued for gossip.
  std::vector<bool> busy(n, false);
  std::uint32_t busy_count = 0;
  world.observe_inputs([&](std::uint32_t i) {
    if (phase == Phase::join) {
      const bool now_sees = world.node(i).count(MemberState::alive) == n;
      if (now_sees == sees_all[i]) return;
      sees_all[i] = now_sees;
      seeing_all = now_sees ? seeing_all + 1 : seeing_all - 1;
      if (seeing_all == n) world.stop();
    } else if (phase == Phase::settle) {
      const bool now_busy = world.node(i).pending_updates() > 0;
      if (now_busy == busy[i]) return;
      busy[i] = now_busy;
      busy_count = now_busy ? busy_count + 1 : busy_count - 1;
      if (busy_count == 0) world.stop();
    }
  });

  world.join(0, {});
  const Duration join_step(static_cast<std::int64_t>(o.join_interval_ms * 1000));
  for (std::uint32_t i = 1; i < n; ++i) {
    world.run_until(Time(join_step * i));
    world.join(i, {0});
  }
  world.run_until(seconds(o.join_limit_s));
  const bool joined = seeing_all == n;
  const Time joined_at = world.now();

  // The steady window opens once the join storm has finished spreading: every member
  // has sent each announcement its full retransmit share (no updates pending), so it
  // measures steady-state traffic, not the tail of the join. False verdicts are
  // counted from convergence on, settling included.
  phase = Phase::settle;
  for (std::uint32_t i = 0; i < n; ++i) {
    busy[i] = world.node(i).pending_updates() > 0;
    if (busy[i]) ++busy_count;
  }
  if (busy_count > 0 && o.settle_limit_s > 0) world.run_until(world.now() + seconds(o.settle_limit_s));
  const Time steady_at = world.now();
  phase = Phase::steady;

  std::uint64_t bytes0 = 0, packets0 = 0;
  for (std::uint32_t i = 0; i < n; ++i) bytes0 += world.bytes_sent(i), packets0 += world.packets_sent(i);
  world.run_for(seconds(o.steady_s));
  std::uint64_t bytes1 = 0, packets1 = 0;
  for (std::uint32_t i = 0; i < n; ++i) bytes1 += world.bytes_sent(i), packets1 += world.packets_sent(i);

  // Crash the last member without a word; everyone else should declare it failed.
  phase = Phase::detect;
  world.crash(victim);
  crash_at = world.now();
  world.run_until(crash_at + seconds(o.detect_limit_s));

  // A PeerInfo update by member 0, until every live member has it.
  phase = Phase::disseminate;
  const Time update_at = world.now();
  PeerInfo info = world.node(0).member(world.id(0))->announcement->info;
  info.metadata = {'u', 'p', 'd', 'a', 't', 'e', 'd'};
  info.last_updated_ms += 1;
  (void)world.set_info(0, info);
  if (n > 2) world.run_until(update_at + seconds(o.dissemination_limit_s));
  const bool disseminated = update_seen >= n - 2;
  const Time disseminated_at = world.now();
  phase = Phase::done;

  std::sort(detections.begin(), detections.end());
  nlohmann::json report;
  report["impl"] = "swell";
  report["nodes"] = o.nodes;
  report["loss"] = o.loss;
  report["seed"] = o.seed;
  report["steady_s"] = o.steady_s;
  report["authentication"] = o.config.simulated_pair_keys
                                 ? "fast: ed25519 claims + blake2b-128 datagram tags under id-hashed pair keys"
                                 : "real: ed25519 claims + blake2b-128 datagram tags under x25519 pair keys";
  report["join_converge_s"] = joined ? nlohmann::json(to_seconds(joined_at)) : nlohmann::json(nullptr);
  report["steady_start_s"] = to_seconds(steady_at);
  const double node_seconds = static_cast<double>(n) * std::max(o.steady_s, 1e-9);
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
  report["dissemination_s"] =
      disseminated ? nlohmann::json(to_seconds(disseminated_at - update_at)) : nlohmann::json(nullptr);
  report["events"] = world.events_processed();
  char digest[17];
  std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(world.digest()));
  report["digest"] = digest;
  report["join_interval_ms"] = o.join_interval_ms;
  if (o.wall_time) {
    report["wall_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    report["peak_rss_mib"] = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
  }
  return report;
}

}  // namespace swell::sim
