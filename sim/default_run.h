// The default measurement run of swell-sim, with the field names of the memberlist
// anchor harness: all members join through member 0, a steady window, then a crash of
// the last member; plus the time a PeerInfo update takes to reach everyone.
// docs/simulator.md defines every field.
//
//   swell::sim::DefaultRunOptions o;
//   o.nodes = 200; o.loss = 0.2; o.steady_s = 600; o.seed = 1;
//   std::cout << swell::sim::run_default(o).dump() << "\n";
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "swell/config.h"
#include "world.h"

namespace swell::sim {

/// What to run.
struct DefaultRunOptions {
  std::size_t nodes = 200;       ///< Cluster size.
  double loss = 0;               ///< Inbound loss at every member, 0..1.
  double steady_s = 240;         ///< Steady window, simulated seconds.
  std::uint64_t seed = 1;        ///< World seed.
  double detect_limit_s = 120;   ///< Give up waiting for crash detection after this.
  double join_limit_s = 600;     ///< Give up waiting for join convergence after this.
  double dissemination_limit_s = 120;  ///< Give up waiting for the PeerInfo update after this.
  /// After join convergence, wait up to this long for every member's dissemination
  /// queue to empty (the join gossip to settle) before the steady window opens; 0 opens
  /// it at convergence.
  double settle_limit_s = 600;
  /// Member i starts joining at i * join_interval_ms (ms): a driver starting agents one
  /// after another. Without it a 10,000-member run would have member 0 answer every join
  /// in the same simulated instant, holding gigabytes of answers in flight at once.
  double join_interval_ms = 0.1;
  bool wall_time = true;         ///< Include wall_s (the only field that varies between runs).
  Config config = Config::lan(); ///< Protocol config every member uses.
  PairKeys pair_keys = PairKeys::real;  ///< `--auth real` or `fast` (hashed, insecure, for the largest runs).
};

/// Runs it and returns the report; with wall_time false, the same options always
/// give the same bytes. With wall_time, it also reports wall_s and peak_rss_mib.
nlohmann::json run_default(const DefaultRunOptions& options);

}  // namespace swell::sim
