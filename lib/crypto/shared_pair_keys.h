// SharedPairKeys: one pairwise-key source for many members of one process (the
// simulator). Both ends of a pair derive the same key, and converting a public key to
// X25519 is the larger half of the cost, so each conversion and each pair's
// derivation happens once while remembered. Bounded: the oldest pairs go first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <utility>

#include "crypto/pair_key_source.h"

namespace swell::crypto {

/// A caching PairKeySource shared by the members of one process.
class SharedPairKeys final : public PairKeySource {
 public:
  /// Remembers up to max_entries pair keys of scope and as many converted public keys.
  explicit SharedPairKeys(std::size_t max_entries, KeyScope scope = {})
      : PairKeySource(std::move(scope)), max_entries_(max_entries) {}
  /// The key of self and peer, derived at most once per pair while remembered.
  Result<PairKey> key(const Identity& self, const NodeId& peer, const X25519PublicKey* announced) override;
  /// Pair keys derived (cache misses).
  [[nodiscard]] std::uint64_t derivations() const { return derivations_; }

 private:
  struct IdPair {
    NodeId lo, hi;
    bool operator==(const IdPair&) const = default;
  };
  struct IdPairHash {
    std::size_t operator()(const IdPair& p) const {
      return std::hash<NodeId>{}(p.lo) ^ (std::hash<NodeId>{}(p.hi) * 0x9e3779b97f4a7c15ull);
    }
  };
  /// Keeps a freshly derived key (bounded: the oldest pairs go first).
  Result<PairKey> remember(const IdPair& pair, Result<PairKey> key);

  std::size_t max_entries_;
  std::unordered_map<IdPair, PairKey, IdPairHash> keys_;
  std::deque<IdPair> order_;
  std::unordered_map<NodeId, X25519PublicKey> converted_;
  std::uint64_t derivations_ = 0;
};

/// SIMULATION ONLY, insecure: the key is a hash of the scope and the two public ids,
/// which anyone can compute. Claim signatures stay real. The simulator's largest runs use it, where a
/// key agreement per pair of members would dominate the run time; never in an agent.
class HashedPairKeys final : public PairKeySource {
 public:
  /// Keys of scope (the label and purpose are hashed in, so scopes still differ).
  explicit HashedPairKeys(KeyScope scope = {}) : PairKeySource(std::move(scope)) {}
  /// BLAKE2b-256 of the scope and both ids in ascending order; announced is not needed.
  Result<PairKey> key(const Identity& self, const NodeId& peer, const X25519PublicKey* announced) override;
};

}  // namespace swell::crypto
