// Sealing and opening envelopes, the one protection path for datagrams and stream
// messages alike: the envelope codec plus the pairwise tag, or, with Config::encrypt,
// XChaCha20-Poly1305 under the pairwise AEAD key (docs/wire.md, "Encrypted envelope").
//
//   builder.begin(false, me, seq); builder.add(MessageKind::ping, ping_body);
//   seal_envelope(builder, key_with_peer, out);                    // authenticated
//   seal_envelope(builder, aead_key_with_peer, out, &nonces);      // encrypted
//   auto opened = open_envelope(bytes, max_bytes, limits, key_for, env, ZeroTag::reject, Protection::aead);
//   if (opened.ok()) use(opened.value().sender, env.messages);
#pragma once

#include <algorithm>
#include <array>

#include "crypto/datagram_auth.h"
#include "wire/datagram_builder.h"
#include "wire/envelope.h"

namespace swell::crypto {

/// What a key lookup found for an envelope's sender name.
struct SenderKey {
  NodeId id;                     ///< The sender's full id (a compact name resolved).
  const PairKey* key = nullptr;  ///< Our pairwise key with it; nullptr: sender unknown.
};

/// Who sent an envelope that opened, and whether its tag proved it.
struct OpenedEnvelope {
  NodeId sender;               ///< The sender, as the key lookup resolved it.
  bool authenticated = true;   ///< False only for an all-zero tag accepted by ZeroTag::accept.
};

/// Whether an all-zero tag is accepted unverified. Only a join request to a seed
/// whose key the joiner cannot know yet carries one, and everything in it is signed.
/// Such a request is never encrypted: the joiner has no key to encrypt it under.
enum class ZeroTag : std::uint8_t { reject, accept };

/// How this member protects envelopes; both ends must agree (Config::encrypt).
enum class Protection : std::uint8_t {
  mac,   ///< Version 1: clear, with the 16-byte BLAKE2b tag under the MAC key.
  aead,  ///< Version 2: kind and body encrypted, 16-byte Poly1305 tag under the AEAD key.
};

/// The nonces of one member's encrypted envelopes: a 16-byte prefix fixed per start and
/// a 64-bit counter, so no two envelopes of one start share a nonce, and starts differ
/// by their prefix (docs/security.md, "Nonces").
class NonceSequence {
 public:
  /// A sequence whose prefix is BLAKE2b-128 of seed (the driver's randomness, drawn once
  /// per start) and the member's id: the prefix reveals nothing of the seed.
  NonceSequence(std::uint64_t seed_a, std::uint64_t seed_b, const NodeId& self);
  /// The next nonce: prefix || counter (big-endian); the counter never repeats.
  std::array<std::uint8_t, wire::kNonceSize> next();

 private:
  std::array<std::uint8_t, 16> prefix_{};
  std::uint64_t counter_ = 0;
};

/// Finishes builder into out and protects it under key: with nonces null, the MAC tag
/// (version 1); otherwise encrypted with the next nonce (version 2, and builder must have
/// been made with encrypted).
void seal_envelope(const wire::DatagramBuilder& builder, const PairKey& key, Bytes& out,
                   NonceSequence* nonces = nullptr);
/// Finishes builder into out with an all-zero tag (a join request to an unknown seed).
void seal_unauthenticated(const wire::DatagramBuilder& builder, Bytes& out);
/// Decrypts env (split by decode_encrypted_header) under key into env.plaintext and
/// splits its messages. Errors: bad_mac (wrong key, or any byte changed), and those of
/// decode_plaintext.
Result<void> open_encrypted(const PairKey& key, const wire::DecodeLimits& limits, wire::EnvelopeView& env);

/// Splits bytes, asks key_for(const wire::SenderName&) -> SenderKey for the sender's
/// pairwise key, and checks the authenticator (decrypting, with Protection::aead).
/// Errors: those of decode_envelope and decode_encrypted_header, wrong_protection (an
/// envelope of the other protection; a zero-tagged join request is accepted by
/// ZeroTag::accept under either), unknown_sender (no key), bad_mac (the tag does not
/// verify); out.messages is empty after any error.
template <class KeyLookup>
Result<OpenedEnvelope> open_envelope(ByteView bytes, std::size_t max_bytes, const wire::DecodeLimits& limits,
                                     KeyLookup&& key_for, wire::EnvelopeView& out, ZeroTag zero_tag = ZeroTag::reject,
                                     Protection protection = Protection::mac) {
  if (protection == Protection::aead && wire::is_encrypted_envelope(bytes)) {
    if (auto split = wire::decode_encrypted_header(bytes, max_bytes, out); !split.ok()) return split.error();
    const SenderKey found = key_for(out.sender);
    if (found.key == nullptr) {
      return Error{ErrorCode::unknown_sender, "envelope names a sender this member has no key for; dropped"};
    }
    if (auto opened = open_encrypted(*found.key, limits, out); !opened.ok()) return opened.error();
    return OpenedEnvelope{found.id, true};
  }
  if (auto split = wire::decode_envelope(bytes, max_bytes, limits, out); !split.ok()) return split.error();
  const bool zero = std::all_of(out.tag.begin(), out.tag.end(), [](std::uint8_t b) { return b == 0; });
  // Checked before the key lookup, which may cost an X25519 for a stranger.
  if (protection == Protection::aead && !(zero_tag == ZeroTag::accept && zero)) {
    out.messages.clear();
    return Error{ErrorCode::wrong_protection, "envelope is not encrypted and this member encrypts; set "
                                              "Config::encrypt alike on every member; dropped"};
  }
  const SenderKey found = key_for(out.sender);
  if (found.key == nullptr) {
    out.messages.clear();
    return Error{ErrorCode::unknown_sender, "envelope names a sender this member has no key for; dropped"};
  }
  if (zero_tag == ZeroTag::accept && zero) return OpenedEnvelope{found.id, false};
  if (!verify_tag(*found.key, out.authenticated, out.tag)) {
    out.messages.clear();
    return Error{ErrorCode::bad_mac, "envelope authenticator does not verify; dropped"};
  }
  return OpenedEnvelope{found.id, true};
}

}  // namespace swell::crypto
