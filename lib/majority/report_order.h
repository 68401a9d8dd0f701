// The orders the resolver decides by when counts alone do not: between grouping keys
// (the first user's formatted key), and between two reports of one node.
#pragma once

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

/// newer_report() for two reports with the same grouping key, which it does not compare.
inline bool newer_in_group(const PeerInfo& a, const PeerInfo& b) {
  if (a.last_updated_ms != b.last_updated_ms) return a.last_updated_ms > b.last_updated_ms;
  if (a.version != b.version) return a.version > b.version;
  if (a.owner != b.owner) return a.owner < b.owner;
  return a.metadata < b.metadata;
}

}  // namespace swell::majority
