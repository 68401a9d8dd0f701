// The pairwise datagram key: both members derive the same 32-byte key from their own
// secret and the other's public key, with no message exchanged (docs/wire.md).
#pragma once

#include <array>
#include <cstdint>

#include "swell/identity.h"

namespace swell::crypto {

/// Key for the point-to-point datagram authenticator between two members.
using MacKey = std::array<std::uint8_t, 32>;

/// BLAKE2b-256 keyed by X25519(self, peer) over a domain tag and both public keys in
/// ascending order, so self->peer and peer->self derive the same key.
Result<MacKey> derive_mac_key(const Identity& self, const NodeId& peer);
/// The same, from the peer's X25519 key already converted (x25519_public_key).
Result<MacKey> derive_mac_key(const Identity& self, const NodeId& peer, const X25519PublicKey& peer_x25519);

}  // namespace swell::crypto
