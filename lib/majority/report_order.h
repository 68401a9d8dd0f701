// The orders the resolver decides by when counts alone do not: between grouping keys
// (the first user's formatted key), and between two reports of one node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "swell/peer_info.h"

namespace swell::majority {

/// Orders the grouping keys (address, metrics_port, node_type, is_load_balancer) of a and b
/// exactly as the first user's formatted key "address-port-type-bool" compares bytewise
/// (so port 10000 sorts before 9090, and false before true): negative, zero or positive.
int compare_grouping_keys(const PeerInfo& a, const PeerInfo& b);

/// True when a is the better of two reports of one node: newer last_updated_ms, then
/// higher version, then smaller grouping key, then smaller owner, then smaller metadata.
/// A total order on everything but the id, so the choice never depends on input order.
bool newer_report(const PeerInfo& a, const PeerInfo& b);

/// True when the two owners' key bytes are equal; inline, as the resolver asks per entry.
inline bool same_owner(const PeerInfo& a, const PeerInfo& b) {
  const auto& x = a.owner.bytes();
  const auto& y = b.owner.bytes();
  std::uint64_t diff = 0;
  for (std::size_t i = 0; i < NodeId::kSize; i += 8) {
    std::uint64_t u;
    std::uint64_t v;
    std::memcpy(&u, x.data() + i, 8);
    std::memcpy(&v, y.data() + i, 8);
    diff |= u ^ v;
  }
  return diff == 0;
}

/// True when two reports of one id agree on all that newer_in_group() compares after the
/// timestamp; the usual case within a group, so it is inline and branch-light.
inline bool same_record(const PeerInfo& a, const PeerInfo& b) {
  return a.version == b.version && a.metadata.empty() && b.metadata.empty() && same_owner(a, b);
}

/// newer_report() for two reports with the same grouping key, which it does not compare.
/// Reports of one group usually agree on everything, so that case is decided first.
inline bool newer_in_group(const PeerInfo& a, const PeerInfo& b) {
  if (a.last_updated_ms != b.last_updated_ms) return a.last_updated_ms > b.last_updated_ms;
  if (a.version != b.version) return a.version > b.version;
  if (!same_owner(a, b)) return a.owner < b.owner;
  if (a.metadata.empty() && b.metadata.empty()) return false;
  return a.metadata < b.metadata;
}

}  // namespace swell::majority
