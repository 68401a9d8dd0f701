// What the members of one process may share, and the way to build a Node that shares
// it. Only the simulator does (one set of caches per cluster label and encrypt setting): it runs thousands of members in one process, where
// verifying each signature once and deriving each pair key once is most of its speed.
// An embedder never needs this: swell::Node::create gives every node its own caches.
//
//   swim::SharedCaches shared{std::make_shared<swim::ClaimCache>(1u << 22),
//                             std::make_shared<crypto::SharedPairKeys>(1u << 22)};
//   auto node = swim::NodeFactory::create(std::move(id), config, info, address, rng, now, shared);
#pragma once

#include <memory>

#include "crypto/pair_key_source.h"
#include "swell/node.h"
#include "swim/claim_cache.h"

namespace swell::swim {

/// The pairwise-key scope a node with config needs: its label, and the AEAD key when
/// it encrypts, else the MAC key.
inline crypto::KeyScope key_scope_of(const Config& config) {
  return crypto::KeyScope{config.cluster_label, config.encrypt ? crypto::KeyPurpose::aead : crypto::KeyPurpose::mac};
}

/// Caches a node may share with others of its process; a null member means its own.
/// A shared cache must be of the node's scope (ClaimCache::label, PairKeySource::scope).
struct SharedCaches {
  std::shared_ptr<ClaimCache> claims;                ///< Verified claims; null: the node's own.
  std::shared_ptr<crypto::PairKeySource> pair_keys;  ///< Pairwise keys; null: X25519 per peer.
};

/// Builds Nodes that share caches (friend of swell::Node).
struct NodeFactory {
  /// As Node::create, with the given shared caches. Errors as Node::create, and
  /// invalid_argument when a shared cache is bound to another label or key purpose.
  static Result<Node> create(Identity identity, const Config& config, PeerInfo info, std::string swim_address,
                             Rng rng, Time now, SharedCaches shared);
};

}  // namespace swell::swim
