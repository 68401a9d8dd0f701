// Membership events for lib/agent's event tests: backend-7 (9f1c04ab...) at 10.0.3.7:7946,
// tagged zone=eu-1 and rack.id=r7; failed events carry evidence suspected by 1a2b3c4d.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "agent/tags.h"
#include "swell/events.h"

namespace swell::agent::testing {

/// The NodeId whose hex starts with prefix and is zero after it.
inline NodeId id_with_prefix(std::string_view prefix) {
  return NodeId::from_hex(std::string(prefix) + std::string(64 - prefix.size(), '0')).value();
}

/// This agent's own id in the tests.
inline NodeId self_id() { return id_with_prefix("5e1f0001"); }

/// An event of kind about backend-7, incarnation 4; failed ones with evidence.
inline MembershipEvent sample_event(MembershipEvent::Kind kind) {
  auto a = std::make_shared<Announcement>();
  a->info.id = "backend-7";
  a->info.address = "10.0.3.7:3000";
  a->info.metrics_port = 9090;
  a->info.node_type = NodeType::backend;
  a->info.version = 4;
  a->info.last_updated_ms = 1700000000000;
  a->info.metadata = encode_tags({{"zone", "eu-1"}, {"rack.id", "r7"}});
  a->swim_address = "10.0.3.7:7946";
  MembershipEvent e{};
  e.kind = kind;
  e.member = id_with_prefix("9f1c04ab");
  e.incarnation = 4;
  e.announcement = std::move(a);
  if (kind == MembershipEvent::Kind::failed) {
    FailureEvidence ev;
    ev.first_suspected_by = id_with_prefix("1a2b3c4d");
    ev.confirmations = {id_with_prefix("2b3c4d5e"), id_with_prefix("3c4d5e6f")};
    ev.nacks_seen = 1;
    ev.declared_by = self_id();
    ev.timeout_used = std::chrono::milliseconds(2500);
    e.evidence = ev;
  }
  return e;
}

}  // namespace swell::agent::testing
