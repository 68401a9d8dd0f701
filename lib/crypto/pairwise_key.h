// The pairwise keys: both members derive the same 32-byte keys from their own secret
// and the other's public key, with no message exchanged (docs/wire.md). A key is bound
// to the cluster label too, so members of differently named clusters derive different
// keys and nothing one sends the other authenticates (docs/security.md).
//
//   KeyScope scope{"prod-eu", KeyPurpose::aead};
//   Result<PairKey> k = derive_pair_key(self, peer, scope);   // the same key peer derives
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "swell/identity.h"

namespace swell::crypto {

/// A 32-byte symmetric key two members share.
using PairKey = std::array<std::uint8_t, 32>;
/// Key for the point-to-point datagram authenticator between two members.
using MacKey = PairKey;

/// Which key of a pair: the BLAKE2b authenticator's or the AEAD's (Config::encrypt).
/// They come from one X25519 secret under different domain tags, so neither reveals
/// anything about the other.
enum class KeyPurpose : std::uint8_t { mac, aead };

/// What a pairwise key is bound to besides the two ids.
struct KeyScope {
  std::string cluster_label;             ///< Config::cluster_label; "" is the unnamed cluster.
  KeyPurpose purpose = KeyPurpose::mac;  ///< Which key of the pair.
  bool operator==(const KeyScope&) const = default;
};

/// BLAKE2b-256 keyed by X25519(self, peer) over the purpose's domain tag, both public
/// keys in ascending order (so self->peer and peer->self agree) and, for a named
/// cluster, the label's length and bytes. Errors: crypto (a bad public key),
/// invalid_argument (peer == self).
Result<PairKey> derive_pair_key(const Identity& self, const NodeId& peer, const KeyScope& scope);
/// The same, from the peer's X25519 key already converted (x25519_public_key).
Result<PairKey> derive_pair_key(const Identity& self, const NodeId& peer, const X25519PublicKey& peer_x25519,
                                const KeyScope& scope);
/// The MAC key of the unnamed cluster, or of scope's label (derive_pair_key).
Result<MacKey> derive_mac_key(const Identity& self, const NodeId& peer, const KeyScope& scope = {});
/// The same, from the peer's X25519 key already converted.
Result<MacKey> derive_mac_key(const Identity& self, const NodeId& peer, const X25519PublicKey& peer_x25519,
                              const KeyScope& scope = {});

}  // namespace swell::crypto
