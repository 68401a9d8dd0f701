#include "reference_resolver.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

namespace swell::reference {
namespace {

// The first user's grouping key, formatted exactly as it formats it.
std::string key_of(const PeerInfo& info) {
  return info.address + "-" + std::to_string(info.metrics_port) + "-" + std::string(to_string(info.node_type)) +
         "-" + (info.is_load_balancer ? "true" : "false");
}

// Newer report first: timestamp, version, key, owner, metadata.
bool newer(const PeerInfo& a, const PeerInfo& b) {
  return std::make_tuple(b.last_updated_ms, b.version, key_of(a), a.owner, a.metadata) <
         std::make_tuple(a.last_updated_ms, a.version, key_of(b), b.owner, b.metadata);
}

}  // namespace

Answer resolve(std::span<const std::vector<PeerInfo>> views, const PeerInfoLimits& limits,
               const HealthScore& health) {
  Answer answer;
  ResolveMetrics& m = answer.metrics;
  m.peers = views.size();
  m.threshold = (views.size() + 1) / 2;
  // id -> peer -> that peer's newest valid report
  std::map<std::string, std::map<std::size_t, PeerInfo>> reports;
  for (std::size_t p = 0; p < views.size(); ++p) {
    for (const PeerInfo& info : views[p]) {
      if (!validate(info, limits).ok()) {
        ++m.invalid_entries;
        continue;
      }
      auto& by_peer = reports[info.id];
      auto it = by_peer.find(p);
      if (it == by_peer.end()) {
        by_peer.emplace(p, info);
        continue;
      }
      ++m.duplicate_reports;
      if (newer(info, it->second)) it->second = info;
    }
  }
  for (const auto& [id, by_peer] : reports) {
    ++m.nodes;
    if (by_peer.size() == 1) {
      answer.winners.push_back(by_peer.begin()->second);
      continue;
    }
    ++m.conflicts;
    std::map<std::string, std::vector<PeerInfo>> groups;
    for (const auto& [peer, info] : by_peer) groups[key_of(info)].push_back(info);
    struct Group {
      std::string key;
      std::size_t size;
      PeerInfo best;
    };
    std::vector<Group> all;
    for (auto& [key, members] : groups) {
      std::sort(members.begin(), members.end(), newer);
      all.push_back({key, members.size(), members.front()});
    }
    auto score = [&](const Group& g) { return health ? health(g.best) : 0; };
    // Preference among groups the count does not separate.
    auto preferred = [&](const Group& a, const Group& b) {
      if (score(a) != score(b)) return score(a) > score(b);
      if (a.best.last_updated_ms != b.best.last_updated_ms) return a.best.last_updated_ms > b.best.last_updated_ms;
      return a.key < b.key;
    };
    std::vector<Group> reaching;
    for (const Group& g : all) {
      if (g.size >= m.threshold) reaching.push_back(g);
    }
    if (!reaching.empty()) {
      if (reaching.size() > 1) ++m.ambiguous_majorities;
      std::sort(reaching.begin(), reaching.end(), [&](const Group& a, const Group& b) {
        if (a.size != b.size) return a.size > b.size;
        return preferred(a, b);
      });
      answer.winners.push_back(reaching.front().best);
    } else {
      ++m.tie_breaks;
      std::sort(all.begin(), all.end(), preferred);
      answer.winners.push_back(all.front().best);
    }
  }
  return answer;
}

}  // namespace swell::reference
