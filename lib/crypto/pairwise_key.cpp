#include "crypto/pairwise_key.h"

#include <sodium.h>

namespace swell::crypto {
namespace {

constexpr char kDomain[] = "swell-mac-v1";

}  // namespace

Result<MacKey> derive_mac_key(const Identity& self, const NodeId& peer) {
  auto converted = x25519_public_key(peer);
  if (!converted.ok()) return converted.error();
  return derive_mac_key(self, peer, converted.value());
}

Result<MacKey> derive_mac_key(const Identity& self, const NodeId& peer, const X25519PublicKey& peer_x25519) {
  if (peer == self.id()) {
    return Error{ErrorCode::invalid_argument, "a member needs no key with itself"};
  }
  auto shared = self.agree_converted(peer_x25519);
  if (!shared.ok()) return shared.error();
  const NodeId& lo = std::min(self.id(), peer);
  const NodeId& hi = std::max(self.id(), peer);
  crypto_generichash_state state;
  MacKey key{};
  crypto_generichash_init(&state, shared.value().data(), shared.value().size(), key.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kDomain), sizeof kDomain - 1);
  crypto_generichash_update(&state, lo.bytes().data(), lo.bytes().size());
  crypto_generichash_update(&state, hi.bytes().data(), hi.bytes().size());
  crypto_generichash_final(&state, key.data(), key.size());
  sodium_memzero(shared.value().data(), shared.value().size());
  return key;
}

}  // namespace swell::crypto
