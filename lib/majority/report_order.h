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

/// Word w (0 to 3) of a report's owner key; loaded on its own, as a whole-key copy would
/// go through the stack and stall the loads that read it back.
inline std::uint64_t owner_word(const PeerInfo& info, std::size_t w) {
  std::uint64_t word;
  std::memcpy(&word, info.owner.bytes().data() + 8 * w, sizeof word);
  return word;
}

/// True when the two owners' key bytes are equal; inline, as the resolver asks per entry.
inline bool same_owner(const PeerInfo& a, const PeerInfo& b) {
  static_assert(NodeId::kSize == 32);
  return ((owner_word(a, 0) ^ owner_word(b, 0)) | (owner_word(a, 1) ^ owner_word(b, 1)) |
          (owner_word(a, 2) ^ owner_word(b, 2)) | (owner_word(a, 3) ^ owner_word(b, 3))) == 0;
}

/// True when a report's owner is the all-zero "none" key; inline, unlike NodeId::is_zero.
inline bool zero_owner(const PeerInfo& info) {
  static_assert(NodeId::kSize == 32);
  return (owner_word(info, 0) | owner_word(info, 1) | owner_word(info, 2) | owner_word(info, 3)) == 0;
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
