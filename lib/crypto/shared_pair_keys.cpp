#include "crypto/shared_pair_keys.h"

#include <sodium.h>

#include <algorithm>
#include <string>

namespace swell::crypto {

Result<PairKey> SharedPairKeys::key(const Identity& self, const NodeId& peer, const X25519PublicKey* announced) {
  const IdPair pair{std::min(self.id(), peer), std::max(self.id(), peer)};
  if (auto it = keys_.find(pair); it != keys_.end()) return it->second;
  if (announced != nullptr) return remember(pair, derive_pair_key(self, peer, *announced, scope()));
  auto converted = converted_.find(peer);
  if (converted == converted_.end()) {
    auto x = x25519_public_key(peer);
    if (!x.ok()) return x.error();
    // Bounded by forgetting all: at most one conversion per member again.
    if (converted_.size() >= max_entries_) converted_.clear();
    converted = converted_.emplace(peer, x.value()).first;
  }
  return remember(pair, derive_pair_key(self, peer, converted->second, scope()));
}

Result<PairKey> SharedPairKeys::remember(const IdPair& pair, Result<PairKey> key) {
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

Result<PairKey> HashedPairKeys::key(const Identity& self, const NodeId& peer, const X25519PublicKey*) {
  if (peer == self.id()) return Error{ErrorCode::invalid_argument, "a member needs no key with itself"};
  const NodeId& lo = std::min(self.id(), peer);
  const NodeId& hi = std::max(self.id(), peer);
  std::uint8_t ids[2 * NodeId::kSize];
  std::copy(lo.bytes().begin(), lo.bytes().end(), ids);
  std::copy(hi.bytes().begin(), hi.bytes().end(), ids + NodeId::kSize);
  PairKey key{};
  // The scope is hashed in, so two clusters (or purposes) of one simulation still derive
  // different keys and stay apart, as with real keys; the unnamed cluster's MAC keys
  // hash the ids alone, as before labels existed.
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, key.size());
  crypto_generichash_update(&state, ids, sizeof ids);
  if (scope() != KeyScope{}) {
    const std::string scope_key = std::to_string(static_cast<int>(scope().purpose)) + ":" + scope().cluster_label;
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(scope_key.data()), scope_key.size());
  }
  crypto_generichash_final(&state, key.data(), key.size());
  return key;
}

}  // namespace swell::crypto
