// Which members a request asks for: the filters of GET /v1/members (state=, node_type=,
// each a comma-separated list) and the member a path names in /v1/members/{key} and
// /v1/force-leave/{key} (full id, 8-hex-digit short id, or PeerInfo name).
//
//   auto filter = swell::agent::parse_member_filter(req.params);   // 400 on error
//   for (const auto& m : *snap->members) if (filter.value().matches(m)) out.push_back(member_json(m));
//   auto found = swell::agent::lookup_member(*snap, "9f1c04ab");    // or "backend-7"
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "swell/agent.h"
#include "swell/result.h"

namespace swell::agent {

/// The filters of GET /v1/members; an empty set lets every value through.
struct MemberFilter {
  std::set<MemberState> states;   ///< From state=alive,suspect,...
  std::set<NodeType> node_types;  ///< From node_type=backend,proxy,...

  /// True when m passes every filter.
  [[nodiscard]] bool matches(const MemberSnapshot& m) const;
};

/// Parses the query parameters; invalid_argument names an unknown filter or a bad value.
Result<MemberFilter> parse_member_filter(const std::multimap<std::string, std::string>& query);

/// The members a key names; exactly one match means found.
struct MemberLookup {
  std::vector<const MemberSnapshot*> matches;  ///< Valid while the snapshot is held.

  /// The one member named, or null when none or several match.
  [[nodiscard]] const MemberSnapshot* found() const { return matches.size() == 1 ? matches.front() : nullptr; }
};

/// Finds the member key names: 64 hex digits (its id), else 8 hex digits (an id prefix,
/// as logs print), else a PeerInfo name. A short id that matches nobody is tried as a name.
MemberLookup lookup_member(const AgentSnapshot& snapshot, std::string_view key);

}  // namespace swell::agent
