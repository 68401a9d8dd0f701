// LoopbackRun: N swell agents in one process on real 127.0.0.1 sockets, one shared uv
// loop, measured exactly as the memberlist anchor harness measures
// (../shared/memberlist-harness/main.go): agents start one after another, each joining
// through the first, the next starting once the join was answered (memberlist's Join
// returns after its push-pull with the seed); join convergence is the time from the first start until every
// agent counts N members not dead or left (memberlist's NumMembers); the steady window
// opens at convergence; bytes are counted at send (UDP datagrams and TCP writes,
// length prefixes included), packets are UDP datagrams sent; CPU is getrusage over the
// window; inbound loss is injected at the transport; every failed or left verdict from
// the first start to the end of the window is a false one; then the last agent is
// stopped without a word and each other agent's first failed/left verdict about it is
// timed.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "swell/config.h"

namespace swell::bench {

/// What to run.
struct LoopbackOptions {
  std::size_t nodes = 50;        ///< Agents.
  double loss = 0;               ///< Inbound datagram loss at every agent, 0..1.
  double steady_s = 20;          ///< Steady window, seconds.
  std::uint64_t seed = 1;        ///< Seeds the loss injection.
  double join_limit_s = 300;     ///< Give up waiting for convergence after this.
  double detect_limit_s = 120;   ///< Give up waiting for detection after this (the anchor's 120 s).
  Config config = Config::lan(); ///< Every agent's Config.
  /// Loop threads the agents are spread over (0: one per hardware thread).
  std::size_t loops = 0;
};

/// Runs it; the report has the anchor's fields, plus the mean start interval (ms).
nlohmann::json run_loopback(const LoopbackOptions& options);

}  // namespace swell::bench
