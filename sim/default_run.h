// The default measurement run of swell-sim, with the same fields as the memberlist
// anchor harness: join through member 0, a steady window, then a crash of the last
// member; plus the time a PeerInfo update takes to reach everyone.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "swell/config.h"

namespace swell::sim {

/// What to run.
struct DefaultRunOptions {
  std::size_t nodes = 200;       ///< Cluster size.
  double loss = 0;               ///< Inbound loss at every member, 0..1.
  double steady_s = 240;         ///< Steady window, simulated seconds.
  std::uint64_t seed = 1;        ///< World seed.
  double detect_limit_s = 120;   ///< Give up waiting for crash detection after this.
  double join_limit_s = 600;     ///< Give up waiting for join convergence after this.
  Config config = Config::lan(); ///< Protocol config every member uses.
};

/// Runs it and returns the report (field names as in docs/simulator.md).
nlohmann::json run_default(const DefaultRunOptions& options);

}  // namespace swell::sim
