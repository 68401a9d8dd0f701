// Hand-built AgentSnapshots for the unit tests of the HTTP API's parts: members with
// chosen ids, names, states and node types, and no agent or socket behind them.
#pragma once

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "swell/agent.h"

namespace swell::test {

/// A NodeId whose first byte is first and second byte second (the rest zero).
inline NodeId id_with(std::uint8_t first, std::uint8_t second = 0) {
  std::array<std::uint8_t, NodeId::kSize> raw{};
  raw[0] = first;
  raw[1] = second;
  raw[31] = 1;  // never the all-zero "none" id
  return NodeId(raw);
}

/// Collects members, then builds a snapshot (members sorted by id, as the agent does).
class SnapshotBuilder {
 public:
  /// Adds a member; returns *this for chaining.
  SnapshotBuilder& add(const NodeId& id, const std::string& name, MemberState state,
                       NodeType type = NodeType::backend, std::uint64_t incarnation = 1) {
    MemberSnapshot m;
    m.id = id;
    m.state = state;
    m.incarnation = incarnation;
    auto a = std::make_shared<Announcement>();
    a->info.id = name;
    a->info.address = "10.0.0.1:3000";
    a->info.node_type = type;
    a->info.version = incarnation;
    a->swim_address = "10.0.0.1:7946";
    m.announcement = std::move(a);
    members_.push_back(std::move(m));
    return *this;
  }
  /// The snapshot, with self as this node.
  [[nodiscard]] AgentSnapshot build(const NodeId& self) const {
    AgentSnapshot s;
    s.self = self;
    s.running = true;
    s.swim_address = "10.0.0.1:7946";
    auto sorted = members_;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    s.members = std::make_shared<const std::vector<MemberSnapshot>>(std::move(sorted));
    return s;
  }

 private:
  std::vector<MemberSnapshot> members_;
};

}  // namespace swell::test
