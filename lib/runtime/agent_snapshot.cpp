// AgentSnapshot's queries, apart from the Agent that publishes snapshots: readers such
// as the HTTP API (and its fuzz target) need them without the loop behind them.
#include <algorithm>

#include "swell/agent.h"

namespace swell {

std::size_t AgentSnapshot::count(MemberState s) const {
  std::size_t n = 0;
  if (members) {
    for (const MemberSnapshot& m : *members) n += m.state == s ? 1 : 0;
  }
  return n;
}

const MemberSnapshot* AgentSnapshot::find(const NodeId& id) const {
  if (!members) return nullptr;
  auto it = std::lower_bound(members->begin(), members->end(), id,
                             [](const MemberSnapshot& m, const NodeId& key) { return m.id < key; });
  return it != members->end() && it->id == id ? &*it : nullptr;
}

}  // namespace swell
