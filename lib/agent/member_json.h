// The JSON forms of members and membership events: one shape for the HTTP API, the
// event lines on stdout, event handlers' stdin and the data directory's member list.
// docs/agent.md documents every field.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "swell/events.h"

namespace swell::agent {

/// A member: id (hex), name, address, swim_address, state, incarnation, node_type,
/// metrics_port, is_load_balancer, last_updated_ms, and tags (or metadata_hex when the
/// metadata is not tags).
nlohmann::json member_json(const MemberSnapshot& member);
/// Why a member was declared failed (FailureEvidence), ids in hex, times in seconds.
nlohmann::json evidence_json(const FailureEvidence& evidence);
/// An event: kind, time (Unix ms, wall clock when emitted), member (as member_json, with
/// the state the event leaves it in) and, for failed, evidence.
nlohmann::json event_json(const MembershipEvent& event, std::uint64_t unix_ms);

}  // namespace swell::agent
