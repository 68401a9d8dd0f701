#include "swell/identity.h"

#include <sodium.h>

#include "sodium_runtime.h"

namespace swell {

Result<Identity> Identity::generate() {
  require_sodium();
  std::array<std::uint8_t, kSeedSize> seed{};
  randombytes_buf(seed.data(), seed.size());
  auto identity = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return identity;
}

Result<Identity> Identity::from_seed(const std::array<std::uint8_t, kSeedSize>& seed) {
  require_sodium();
  Identity identity;
  std::array<std::uint8_t, 32> pk{};
  if (crypto_sign_seed_keypair(pk.data(), identity.secret_.data(), seed.data()) != 0 ||
      crypto_sign_ed25519_sk_to_curve25519(identity.x25519_secret_.data(), identity.secret_.data()) != 0) {
    return Error{ErrorCode::crypto, "libsodium could not derive a key pair from the seed"};
  }
  identity.id_ = NodeId(pk);
  return identity;
}

Identity::Identity(Identity&& other) noexcept
    : id_(other.id_), secret_(other.secret_), x25519_secret_(other.x25519_secret_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
  sodium_memzero(other.x25519_secret_.data(), other.x25519_secret_.size());
}

Identity& Identity::operator=(Identity&& other) noexcept {
  if (this != &other) {
    id_ = other.id_;
    secret_ = other.secret_;
    x25519_secret_ = other.x25519_secret_;
    sodium_memzero(other.secret_.data(), other.secret_.size());
    sodium_memzero(other.x25519_secret_.data(), other.x25519_secret_.size());
  }
  return *this;
}

Identity::~Identity() {
  sodium_memzero(secret_.data(), secret_.size());
  sodium_memzero(x25519_secret_.data(), x25519_secret_.size());
}

Signature Identity::sign(ByteView message) const {
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

Result<X25519PublicKey> x25519_public_key(const NodeId& id) {
  require_sodium();
  X25519PublicKey out{};
  if (crypto_sign_ed25519_pk_to_curve25519(out.data(), id.bytes().data()) != 0) {
    return Error{ErrorCode::crypto, "cannot agree a key with " + id.short_hex() +
                                        ": its public key is not a valid Ed25519 point"};
  }
  return out;
}

Result<SharedSecret> Identity::agree(const NodeId& peer) const {
  auto converted = x25519_public_key(peer);
  if (!converted.ok()) return converted.error();
  return agree_converted(converted.value());
}

Result<SharedSecret> Identity::agree_converted(const X25519PublicKey& peer) const {
  SharedSecret shared{};
  if (crypto_scalarmult(shared.data(), x25519_secret_.data(), peer.data()) != 0) {
    return Error{ErrorCode::crypto, "cannot agree a key: the peer's public key is a low-order point"};
  }
  return shared;
}

bool verify_signature(const NodeId& author, ByteView message, const Signature& sig) {
  require_sodium();
  return crypto_sign_verify_detached(sig.data(), message.data(), message.size(),
                                     author.bytes().data()) == 0;
}

}  // namespace swell
