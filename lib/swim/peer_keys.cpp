#include "swim/peer_keys.h"

#include <sodium.h>

#include <algorithm>

namespace swell::swim {

Freshness record_sequence(PeerSession& session, std::uint64_t seq) {
  constexpr std::uint64_t kWindow = 64;
  if (!session.any_seen) {
    session.any_seen = true;
    session.highest_seq = seq;
    session.window = 1;
    return Freshness::fresh;
  }
  if (seq > session.highest_seq) {
    const std::uint64_t shift = seq - session.highest_seq;
    session.window = shift >= kWindow ? 1 : (session.window << shift) | 1;
    session.highest_seq = seq;
    return Freshness::fresh;
  }
  const std::uint64_t age = session.highest_seq - seq;
  if (age >= kWindow) return Freshness::stale;
  const std::uint64_t bit = std::uint64_t{1} << age;
  if ((session.window & bit) != 0) return Freshness::replayed;
  session.window |= bit;
  return Freshness::fresh;
}

PeerSession* PeerKeys::session(const NodeId& peer) {
  if (auto it = index_.find(peer); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return &it->second->second;
  }
  PeerSession session;
  ++derivations_;
  if (simulated_) {
    if (peer == self_->id()) return nullptr;
    const NodeId& lo = std::min(self_->id(), peer);
    const NodeId& hi = std::max(self_->id(), peer);
    std::uint8_t ids[2 * NodeId::kSize];
    std::copy(lo.bytes().begin(), lo.bytes().end(), ids);
    std::copy(hi.bytes().begin(), hi.bytes().end(), ids + NodeId::kSize);
    crypto_generichash(session.key.data(), session.key.size(), ids, sizeof ids, nullptr, 0);
  } else {
    auto key = crypto::derive_mac_key(*self_, peer);
    if (!key.ok()) return nullptr;
    session.key = key.value();
  }
  lru_.emplace_front(peer, session);
  index_[peer] = lru_.begin();
  while (lru_.size() > max_entries_) {
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
  return &lru_.front().second;
}

void PeerKeys::reset_window(const NodeId& peer) {
  if (auto it = index_.find(peer); it != index_.end()) {
    it->second->second.any_seen = false;
    it->second->second.window = 0;
  }
}

}  // namespace swell::swim
