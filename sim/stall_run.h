// The stall check of `swell-sim compare`: a cluster joins, one member is paused (a
// SIGSTOP, a long GC) for `pause`, and after it resumes nobody may hold anyone failed.
// It also counts, at the end, how many (observer, member) states differ from what most
// live observers hold about that member (disagreements).
//
//   swell::sim::StallOptions o; o.nodes = 20; o.loss = 0.2; o.config.mode = ClusterMode::majority;
//   StallResult r = swell::sim::run_stall(o);  // r.tolerated, r.failed_events, r.disagreements
#pragma once

#include <cstdint>

#include "swell/config.h"
#include "swell/time.h"

namespace swell::sim {

/// What to run.
struct StallOptions {
  std::size_t nodes = 20;                           ///< Cluster size.
  double loss = 0;                                   ///< Inbound loss at every member.
  std::uint64_t seed = 1;                            ///< World seed.
  Duration pause = std::chrono::seconds(3);          ///< How long member 1 is stopped.
  Duration settle = std::chrono::seconds(20);        ///< From the start to the pause.
  Duration after = std::chrono::seconds(15);         ///< From the resume to the verdict.
  Config config = Config::lan();                     ///< Every member's config.
};

/// What it found.
struct StallResult {
  bool tolerated = false;          ///< No failed event at all after the pause began.
  std::uint64_t failed_events = 0; ///< Failed events (any observer, any member) since the pause.
  std::uint64_t disagreements = 0; ///< (observer, member) states off the live majority's, at the end.
};

/// Runs it; the same options always give the same result.
StallResult run_stall(const StallOptions& options);

}  // namespace swell::sim
