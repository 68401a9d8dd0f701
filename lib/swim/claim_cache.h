// ClaimCache: verifies each distinct signed claim once and hands out one shared,
// immutable StoredClaim for it. Gossip delivers the same claim many times; only the
// first costs an Ed25519 verification. Bounded: the oldest entries are forgotten
// first (holders keep their reference alive).
//
// Nodes of one process that share a cache (the simulator's) also derive each pairwise
// key once: both ends of a pair derive the same key, and converting a public key to
// X25519 is the larger half of the cost. A node with a cache of its own does not use
// this (its PeerKeys already keeps each key it derived).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>

#include "crypto/pairwise_key.h"
#include "swell/node.h"
#include "swim/stored_claim.h"
#include "wire/decode_limits.h"

namespace swell {

/// See the file comment; public only as an opaque type (swell/node.h).
class ClaimCache {
 public:
  /// Holds up to max_entries claims.
  explicit ClaimCache(std::size_t max_entries) : max_entries_(max_entries) {}

  /// Verifies (or finds) the signed claim in body; errors are typed (bad_signature, ...).
  Result<swim::ClaimRef> intern(ByteView body, const wire::DecodeLimits& limits);
  /// Stores a claim this process has just signed, without re-verifying it.
  swim::ClaimRef adopt(const wire::SignedClaim& claim, const wire::Claim& decoded);

  /// The pairwise datagram key of self and peer, derived at most once per pair while
  /// remembered; errors as crypto::derive_mac_key.
  Result<crypto::MacKey> pair_key(const Identity& self, const NodeId& peer);

  /// Entries held.
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  /// Pairwise keys derived (cache misses of pair_key).
  [[nodiscard]] std::uint64_t pair_derivations() const { return pair_derivations_; }
  /// Verifications performed (cache misses that verified).
  [[nodiscard]] std::uint64_t verifications() const { return verifications_; }

 private:
  struct Key {
    std::uint64_t a, b;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const { return k.a ^ (k.b * 0x9e3779b97f4a7c15ull); }
  };
  static Key key_of(ByteView signature);
  swim::ClaimRef insert(Key key, Bytes body, const wire::Claim& decoded);

  struct IdPair {
    NodeId lo, hi;
    bool operator==(const IdPair&) const = default;
  };
  struct IdPairHash {
    std::size_t operator()(const IdPair& p) const {
      return std::hash<NodeId>{}(p.lo) ^ (std::hash<NodeId>{}(p.hi) * 0x9e3779b97f4a7c15ull);
    }
  };

  std::size_t max_entries_;
  std::unordered_map<Key, swim::ClaimRef, KeyHash> entries_;
  std::deque<Key> order_;
  std::uint64_t verifications_ = 0;
  std::unordered_map<IdPair, crypto::MacKey, IdPairHash> pair_keys_;
  std::deque<IdPair> pair_order_;
  std::unordered_map<NodeId, X25519PublicKey> converted_;
  std::uint64_t pair_derivations_ = 0;
};

}  // namespace swell
