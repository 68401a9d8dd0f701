#include "crypto/shared_pair_keys.h"

#include <sodium.h>

#include <algorithm>

namespace swell::crypto {

Result<MacKey> SharedPairKeys::key(const Identity& self, const NodeId& peer, const X25519PublicKey* announced) {
  const IdPair pair{std::min(self.id(), peer), std::max(self.id(), peer)};
  if (auto it = keys_.find(pair); it != keys_.end()) return it->second;
  if (announced != nullptr) return remember(pair, derive_mac_key(self, peer, *announced));
  auto converted = converted_.find(peer);
  if (converted == converted_.end()) {
    auto x = x25519_public_key(peer);
    if (!x.ok()) return x.error();
    // Bounded by forgetting all: at most one conversion per member again.
    if (converted_.size() >= max_entries_) converted_.clear();
    converted = converted_.emplace(peer, x.value()).first;
  }
  return remember(pair, derive_mac_key(self, peer, converted->second));
}

Result<MacKey> SharedPairKeys::remember(const IdPair& pair, Result<MacKey> key) {
  if (!key.ok()) return key.error();
  ++derivations_;
  keys_.emplace(pair, key.value());
  order_.push_back(pair);
  while (keys_.size() > max_entries_ && !order_.empty()) {
    keys_.erase(order_.front());
    order_.pop_front();
  }
  return key;
}

Result<MacKey> HashedPairKeys::key(const Identity& self, const NodeId& peer, const X25519PublicKey*) {
  if (peer == self.id()) return Error{ErrorCode::invalid_argument, "a member needs no key with itself"};
  const NodeId& lo = std::min(self.id(), peer);
  const NodeId& hi = std::max(self.id(), peer);
  std::uint8_t ids[2 * NodeId::kSize];
  std::copy(lo.bytes().begin(), lo.bytes().end(), ids);
  std::copy(hi.bytes().begin(), hi.bytes().end(), ids + NodeId::kSize);
  MacKey key{};
  crypto_generichash(key.data(), key.size(), ids, sizeof ids, nullptr, 0);
  return key;
}

}  // namespace swell::crypto
