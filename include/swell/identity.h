// Identity: this node's Ed25519 key pair, and its key file.
//
//   auto id = swell::Identity::load("/var/lib/swell/node.key");
//   if (!id.ok() && id.error().code == swell::ErrorCode::key_file_missing) {
//     id = swell::Identity::generate();
//     if (id.ok()) (void)id.value().save("/var/lib/swell/node.key");  // mode 0600
//   }
//
// The key file is 72 bytes: the magic "SWELLID1", the 32-byte secret seed and the
// 32-byte public key (a consistency check). It must not be readable by group or others.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "swell/bytes.h"
#include "swell/node_id.h"
#include "swell/result.h"

namespace swell {

/// An Ed25519 signature.
using Signature = std::array<std::uint8_t, 64>;
/// A 32-byte secret shared by two identities (X25519 of their converted keys).
using SharedSecret = std::array<std::uint8_t, 32>;
/// A public key in X25519 (Montgomery) form, converted from a NodeId.
using X25519PublicKey = std::array<std::uint8_t, 32>;

/// This node's key pair. Move-only; the secret is wiped on destruction.
class Identity {
 public:
  static constexpr std::size_t kSeedSize = 32;      ///< Bytes in a secret seed.
  static constexpr std::size_t kKeyFileSize = 72;   ///< Bytes in a key file.

  /// A fresh key pair from libsodium's CSPRNG.
  static Result<Identity> generate();
  /// The key pair for a 32-byte seed: deterministic, for the simulator and tests.
  static Result<Identity> from_seed(const std::array<std::uint8_t, kSeedSize>& seed);
  /// Reads a key file; errors say whether to generate, chmod or restore it.
  static Result<Identity> load(const std::string& path);
  /// Writes the key file atomically with mode 0600, replacing any file at path.
  [[nodiscard]] Result<void> save(const std::string& path) const;

  /// The public key, which is this node's NodeId.
  [[nodiscard]] const NodeId& id() const { return id_; }
  /// Signs message with the secret key.
  [[nodiscard]] Signature sign(ByteView message) const;
  /// The X25519 secret shared with peer; fails only for invalid (low-order) keys.
  [[nodiscard]] Result<SharedSecret> agree(const NodeId& peer) const;
  /// The same, from the peer's key already converted by x25519_public_key(): the
  /// conversion is the larger half of the cost, so a cache of them pays off.
  [[nodiscard]] Result<SharedSecret> agree_converted(const X25519PublicKey& peer) const;

  Identity(Identity&& other) noexcept;
  Identity& operator=(Identity&& other) noexcept;
  Identity(const Identity&) = delete;
  Identity& operator=(const Identity&) = delete;
  ~Identity();

 private:
  Identity() = default;
  NodeId id_;
  std::array<std::uint8_t, 64> secret_{};       // libsodium layout: seed || public key
  std::array<std::uint8_t, 32> x25519_secret_{};  // converted once; used by agree()
};

/// The X25519 form of an Ed25519 public key; fails for keys that are not valid points.
Result<X25519PublicKey> x25519_public_key(const NodeId& id);

/// Verifies an Ed25519 signature by author over message.
[[nodiscard]] bool verify_signature(const NodeId& author, ByteView message, const Signature& sig);

}  // namespace swell
