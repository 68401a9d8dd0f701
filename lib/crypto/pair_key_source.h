// Where a member's pairwise keys come from. An agent derives each key with X25519
// (DerivedPairKeys); the simulator, which runs thousands of members in one process,
// shares one source between them so each pair's key is derived once (SharedPairKeys),
// or, for its largest runs, hashes the two ids (HashedPairKeys).
//
// A source is bound to one KeyScope (cluster label and purpose) and derives every key
// in it: a node refuses a source of another scope (swim::NodeFactory), so a cache
// shared by two clusters of one simulation can never hand one cluster's key to the other.
//
//   crypto::DerivedPairKeys keys(KeyScope{"prod", KeyPurpose::mac});
//   Result<PairKey> k = keys.key(self, peer, nullptr);   // the same key peer derives for self
#pragma once

#include <utility>

#include "crypto/pairwise_key.h"

namespace swell::crypto {

/// A way of obtaining the key two members share; implementations may cache.
class PairKeySource {
 public:
  /// A source of keys in scope.
  explicit PairKeySource(KeyScope scope) : scope_(std::move(scope)) {}
  virtual ~PairKeySource() = default;
  /// The key of self and peer in scope(); errors as derive_pair_key (crypto for a bad
  /// public key, invalid_argument for peer == self). announced: the X25519 key peer
  /// signed in its alive claim, which spares the conversion; null converts peer's id.
  virtual Result<PairKey> key(const Identity& self, const NodeId& peer, const X25519PublicKey* announced) = 0;
  /// The label and purpose every key of this source is bound to.
  [[nodiscard]] const KeyScope& scope() const { return scope_; }

 private:
  KeyScope scope_;
};

/// Derives every key afresh with X25519; the caller (PeerKeys) keeps what it needs.
class DerivedPairKeys final : public PairKeySource {
 public:
  /// Keys in scope (default: the unnamed cluster's MAC keys).
  explicit DerivedPairKeys(KeyScope scope = {}) : PairKeySource(std::move(scope)) {}
  /// derive_pair_key, from the announced key when there is one.
  Result<PairKey> key(const Identity& self, const NodeId& peer, const X25519PublicKey* announced) override {
    return announced != nullptr ? derive_pair_key(self, peer, *announced, scope()) : derive_pair_key(self, peer, scope());
  }
};

}  // namespace swell::crypto
