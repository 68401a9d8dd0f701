#include "crypto/pairwise_key.h"

#include <sodium.h>

namespace swell::crypto {
namespace {

// One domain tag per purpose: the MAC key and the AEAD key of a pair are independent
// outputs of one KDF, never the same key used by two primitives.
constexpr char kMacDomain[] = "swell-mac-v1";
constexpr char kAeadDomain[] = "swell-aead-v1";

}  // namespace

Result<PairKey> derive_pair_key(const Identity& self, const NodeId& peer, const KeyScope& scope) {
  auto converted = x25519_public_key(peer);
  if (!converted.ok()) return converted.error();
  return derive_pair_key(self, peer, converted.value(), scope);
}

Result<PairKey> derive_pair_key(const Identity& self, const NodeId& peer, const X25519PublicKey& peer_x25519,
                                const KeyScope& scope) {
  if (peer == self.id()) {
    return Error{ErrorCode::invalid_argument, "a member needs no key with itself"};
  }
  if (scope.cluster_label.size() > 255) {
    return Error{ErrorCode::invalid_argument, "cluster label longer than 255 bytes"};
  }
  auto shared = self.agree_converted(peer_x25519);
  if (!shared.ok()) return shared.error();
  const NodeId& lo = std::min(self.id(), peer);
  const NodeId& hi = std::max(self.id(), peer);
  const char* domain = scope.purpose == KeyPurpose::mac ? kMacDomain : kAeadDomain;
  const std::size_t domain_size = scope.purpose == KeyPurpose::mac ? sizeof kMacDomain - 1 : sizeof kAeadDomain - 1;
  crypto_generichash_state state;
  PairKey key{};
  crypto_generichash_init(&state, shared.value().data(), shared.value().size(), key.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(domain), domain_size);
  crypto_generichash_update(&state, lo.bytes().data(), lo.bytes().size());
  crypto_generichash_update(&state, hi.bytes().data(), hi.bytes().size());
  // The unnamed cluster hashes exactly what version 1 hashed, so its keys are unchanged;
  // a label follows its length byte, so no two labels (nor none) give the same input.
  if (!scope.cluster_label.empty()) {
    const auto length = static_cast<unsigned char>(scope.cluster_label.size());
    crypto_generichash_update(&state, &length, 1);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(scope.cluster_label.data()),
                              scope.cluster_label.size());
  }
  crypto_generichash_final(&state, key.data(), key.size());
  sodium_memzero(shared.value().data(), shared.value().size());
  return key;
}

Result<MacKey> derive_mac_key(const Identity& self, const NodeId& peer, const KeyScope& scope) {
  KeyScope mac = scope;
  mac.purpose = KeyPurpose::mac;
  return derive_pair_key(self, peer, mac);
}

Result<MacKey> derive_mac_key(const Identity& self, const NodeId& peer, const X25519PublicKey& peer_x25519,
                              const KeyScope& scope) {
  KeyScope mac = scope;
  mac.purpose = KeyPurpose::mac;
  return derive_pair_key(self, peer, peer_x25519, mac);
}

}  // namespace swell::crypto
