// The JSON answers of GET /v1/self (this node, its counters and the daemon's) and
// GET /v1/health (whether this node is in a cluster), built from one snapshot.
//
//   auto health = swell::agent::health_status(snap.get(), /*seeds_configured=*/true);
//   res.status = health.http_status;  res.body = health.body.dump();
#pragma once

#include <nlohmann/json.hpp>

#include "agent/daemon_counters.h"
#include "swell/agent.h"

namespace swell::agent {

/// NodeStats as an object keyed by field name.
nlohmann::json node_stats_json(const NodeStats& stats);
/// TransportStats as an object keyed by field name.
nlohmann::json transport_stats_json(const TransportStats& stats);
/// DaemonCounters as an object keyed by field name.
nlohmann::json daemon_counters_json(const DaemonCounters& counters);
/// GET /v1/self: member, swim_address, health_score, incarnation, counts, node, transport, daemon.
nlohmann::json self_json(const AgentSnapshot& snapshot, const DaemonCounters& counters);

/// An HTTP status and the JSON to answer with.
struct HealthStatus {
  int http_status = 503;  ///< 200 when joined, else 503.
  nlohmann::json body;    ///< {"status": ..., "alive_others": n, "seeds_configured": b}
};

/// GET /v1/health, by this rule (docs/agent.md): 503 "starting" (no snapshot yet),
/// "stopped", "leaving"; 200 "joined" when another member is alive, or when no seeds
/// were configured (a cluster of one); else 503 "isolated" if it knows other members
/// (none alive), or "joining" if it knows none.
HealthStatus health_status(const AgentSnapshot* snapshot, bool seeds_configured);

}  // namespace swell::agent
