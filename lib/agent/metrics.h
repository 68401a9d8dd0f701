// The agent's counters in the Prometheus text exposition format 0.0.4, served by
// GET /metrics. Every name starts with swell_, counters end in _total, and units are
// base units (bytes, seconds). docs/agent.md lists every metric and its meaning.
//
//   std::string body = swell::agent::prometheus_text(*agent.snapshot(), daemon_counters());
//   // Content-Type: text/plain; version=0.0.4
#pragma once

#include <string>

#include "agent/daemon_counters.h"
#include "swell/agent.h"

namespace swell::agent {

/// The Content-Type the exposition format 0.0.4 is served with.
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

/// Every metric of one agent and its daemon, with HELP and TYPE lines.
std::string prometheus_text(const AgentSnapshot& snapshot, const DaemonCounters& daemon);

}  // namespace swell::agent
