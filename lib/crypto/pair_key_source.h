// Where a member's pairwise datagram keys come from. An agent derives each key with
// X25519 (DerivedPairKeys); the simulator, which runs thousands of members in one
// process, shares one source between them so each pair's key is derived once
// (SharedPairKeys), or, for its largest runs, hashes the two ids (HashedPairKeys).
//
//   crypto::DerivedPairKeys keys;
//   Result<MacKey> k = keys.key(self, peer, nullptr);   // the same key peer derives for self
#pragma once

#include "crypto/pairwise_key.h"

namespace swell::crypto {

/// A way of obtaining the key two members share; implementations may cache.
class PairKeySource {
 public:
  virtual ~PairKeySource() = default;
  /// The key of self and peer; errors as derive_mac_key (crypto for a bad public key,
  /// invalid_argument for peer == self). announced: the X25519 key peer signed in its
  /// alive claim, which spares the conversion; null converts peer's id.
  virtual Result<MacKey> key(const Identity& self, const NodeId& peer, const X25519PublicKey* announced) = 0;
};

/// Derives every key afresh with X25519; the caller (PeerKeys) keeps what it needs.
class DerivedPairKeys final : public PairKeySource {
 public:
  /// derive_mac_key, from the announced key when there is one.
  Result<MacKey> key(const Identity& self, const NodeId& peer, const X25519PublicKey* announced) override {
    return announced != nullptr ? derive_mac_key(self, peer, *announced) : derive_mac_key(self, peer);
  }
};

}  // namespace swell::crypto
