// ClaimCache: verifies each distinct signed claim once and hands out one shared,
// immutable StoredClaim for it. Gossip delivers the same claim many times; only the
// first costs an Ed25519 verification. Bounded: the oldest entries are forgotten
// first (holders keep their reference alive). Each node has its own; the simulator
// may give many nodes one (swim/shared_caches.h).
//
// A cache verifies under one cluster label, fixed at construction, and a node refuses
// a cache of another label (swim::NodeFactory): keyed by signature alone, a cache shared
// by two clusters would otherwise let a claim one cluster verified pass in the other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <utility>

#include "swim/stored_claim.h"
#include "wire/decode_limits.h"

namespace swell::swim {

/// Verified claims by signature; see the file comment.
class ClaimCache {
 public:
  /// Holds up to max_entries claims, verified as signed in the cluster named label.
  explicit ClaimCache(std::size_t max_entries, std::string label = {})
      : max_entries_(max_entries), label_(std::move(label)) {}

  /// Verifies (or finds) the signed claim in body under label(); errors are typed
  /// (bad_signature, ...).
  Result<ClaimRef> intern(ByteView body, const wire::DecodeLimits& limits);
  /// Stores a claim this process has just signed, without re-verifying it.
  ClaimRef adopt(const wire::SignedClaim& claim, const wire::Claim& decoded);

  /// The cluster label every claim here was verified under ("" the unnamed cluster).
  [[nodiscard]] const std::string& label() const { return label_; }
  /// Entries held.
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
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
  ClaimRef insert(Key key, Bytes body, const wire::Claim& decoded);

  std::size_t max_entries_;
  std::string label_;
  std::unordered_map<Key, ClaimRef, KeyHash> entries_;
  std::deque<Key> order_;
  std::uint64_t verifications_ = 0;
};

}  // namespace swell::swim
