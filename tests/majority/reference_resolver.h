// A slow, plain restatement of the majority rule (docs/majority.md), written apart from
// lib/majority with string keys and std::map, as the first user's resolver is. Tests
// compare the Resolver with it on random inputs.
#pragma once

#include <span>
#include <vector>

#include "swell/peer_info.h"
#include "swell/resolver.h"

namespace swell::reference {

/// The reference answer: winners sorted by id, and the counters.
struct Answer {
  std::vector<PeerInfo> winners;  ///< One per node id with a valid report, sorted by id.
  ResolveMetrics metrics;         ///< Same meaning as the Resolver's.
};

/// Resolves views by the documented rule; health as in ResolverConfig (may be empty).
Answer resolve(std::span<const std::vector<PeerInfo>> views, const PeerInfoLimits& limits = {},
               const HealthScore& health = {});

}  // namespace swell::reference
