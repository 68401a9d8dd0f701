// The default measurement run of swell-sim, measured as the memberlist anchor harness
// measures (/work/shared/memberlist-harness/main.go), under its field names: all
// members join through member 0; the steady window opens at join convergence and lasts
// steady_s; then the last member crashes; plus the time a PeerInfo update takes to
// reach everyone, and a settled-window traffic figure under its own name.
// docs/simulator.md defines every field.
//
//   swell::sim::DefaultRunOptions o;
//   o.nodes = 200; o.loss = 0.2; o.steady_s = 600; o.seed = 1;
//   std::cout << swell::sim::run_default(o).dump() << "\n";
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "network_model.h"
#include "swell/config.h"
#include "world.h"

namespace swell::sim {

/// The largest cluster that gets private claim caches by default.
constexpr std::size_t kPrivateCachesUpTo = 1000;

/// What to run.
struct DefaultRunOptions {
  std::size_t nodes = 200;       ///< Cluster size.
  double loss = 0;               ///< Inbound loss at every member, 0..1.
  double steady_s = 240;         ///< Steady window, simulated seconds.
  std::uint64_t seed = 1;        ///< World seed.
  double detect_limit_s = 120;   ///< Give up waiting for crash detection after this.
  double join_limit_s = 600;     ///< Give up waiting for join convergence after this.
  double dissemination_limit_s = 120;  ///< Give up waiting for the PeerInfo update after this.
  /// Every member verifies every signature itself (a claim cache of its own, as a real
  /// process has), so that cpu_ms_per_node_per_s is honest; nullopt: on for clusters of
  /// up to kPrivateCachesUpTo members, where that is affordable.
  std::optional<bool> private_caches;
  /// Member i starts joining at i * join_interval_ms (ms): a driver starting agents one
  /// after another. Without it a 10,000-member run would have member 0 answer every join
  /// in the same simulated instant, holding gigabytes of answers in flight at once.
  double join_interval_ms = 0.1;
  /// Include wall_s, peak_rss_mib and cpu_ms_per_node_per_s (the fields that vary
  /// between runs of one seed).
  bool wall_time = true;
  Config config = Config::lan(); ///< Protocol config every member uses.
  PairKeys pair_keys = PairKeys::real;  ///< `--auth real` or `fast` (hashed, insecure, for the largest runs).
  /// Bursty loss, duplication, reordering, stream links. Stream segments are lossless
  /// by default here, as in the anchor harness (its loss is injected into UDP only).
  NetworkOptions network = anchor_network();

  /// The default network of the default run: streams lossless, as the anchor's.
  static NetworkOptions anchor_network() {
    NetworkOptions o;
    o.streams.segment_loss = false;
    return o;
  }
};

/// Runs it and returns the report; with wall_time false, the same options always
/// give the same bytes. With wall_time, it also reports wall_s and peak_rss_mib.
nlohmann::json run_default(const DefaultRunOptions& options);

}  // namespace swell::sim
