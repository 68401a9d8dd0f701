// The envelope every datagram and stream message travels in:
//
//   msgpack [version, kind, sender, seq, body]  ||  16-byte authenticator
//
// kind is compound when body is a list of [kind, body] messages. sender is the
// 32-byte NodeId on first contact, or its first 8 bytes once the receiver knows us.
// decode_envelope() only splits; lib/crypto checks the authenticator.
//
// With Config::encrypt the envelope is version 2 (docs/wire.md, "Encrypted envelope"):
//
//   msgpack [2, sender, seq, nonce: bin24]  ||  ciphertext of (kind || body)  ||  16-byte AEAD tag
//
// decode_encrypted_header() splits it; lib/crypto decrypts, then decode_plaintext()
// splits the messages exactly as in version 1.
#pragma once

#include <cstdint>
#include <vector>

#include "swell/node_id.h"
#include "wire/decode_limits.h"
#include "wire/message_kind.h"

namespace swell::wire {

/// Bytes of the point-to-point authenticator at the end of each datagram.
inline constexpr std::size_t kTagSize = 16;
/// Bytes of the compact sender name.
inline constexpr std::size_t kCompactSenderSize = 8;
/// The envelope version of encrypted envelopes (version 1 is authenticated only).
inline constexpr std::uint8_t kEncryptedVersion = 2;
/// Bytes of the XChaCha20-Poly1305 nonce an encrypted envelope carries.
inline constexpr std::size_t kNonceSize = 24;
/// Bytes an encrypted envelope adds to the same messages sent authenticated only: the
/// nonce and its bin header (the AEAD tag takes the authenticator's 16 bytes).
inline constexpr std::size_t kEncryptionOverhead = 2 + kNonceSize;

/// How the envelope names its sender.
struct SenderName {
  bool full = true;          ///< True: id holds the whole key. False: only prefix is known.
  NodeId id;                 ///< The sender's key, when full.
  std::uint64_t prefix = 0;  ///< First 8 key bytes, big-endian (always set).
};

/// One message inside an envelope, borrowed from the received buffer.
struct MessageView {
  MessageKind kind;  ///< What the body is.
  ByteView body;     ///< One msgpack value, decoded by the kind's decoder.
};

/// A split envelope; reuse one across calls so its vector keeps its capacity.
struct EnvelopeView {
  std::uint8_t version = 0;           ///< Always kProtocolVersion after a successful decode.
  MessageKind kind = MessageKind::ping;  ///< compound, or the single message's kind.
  SenderName sender;                  ///< Who claims to have sent it (unverified).
  std::uint64_t seq = 0;              ///< Per-sender sequence number.
  std::vector<MessageView> messages;  ///< At least one.
  ByteView authenticated;             ///< Every byte the tag covers (encrypted: the clear header).
  ByteView tag;                       ///< The kTagSize-byte authenticator (or AEAD tag).
  bool encrypted = false;             ///< A version 2 envelope.
  ByteView nonce;                     ///< Encrypted: the kNonceSize-byte nonce.
  ByteView ciphertext;                ///< Encrypted: the sealed kind and body.
  /// Encrypted: the decrypted kind and body, which messages then point into; its
  /// capacity is kept across calls.
  Bytes plaintext;
};

/// True when bytes begin as an encrypted (version 2) envelope does; only a peek.
[[nodiscard]] bool is_encrypted_envelope(ByteView bytes);

/// Splits bytes into envelope fields and messages; nothing is verified yet.
/// max_bytes is the datagram (or stream message) limit.
Result<void> decode_envelope(ByteView bytes, std::size_t max_bytes, const DecodeLimits& limits, EnvelopeView& out);
/// Splits an encrypted envelope into its clear header (sender, seq, nonce), ciphertext
/// and tag; the messages stay empty until decode_plaintext. Errors as decode_envelope.
Result<void> decode_encrypted_header(ByteView bytes, std::size_t max_bytes, EnvelopeView& out);
/// Splits out.plaintext (kind || body, as decrypted) into out.kind and out.messages.
/// Errors: unknown_kind, bad_field_type, oversized, truncated, malformed.
Result<void> decode_plaintext(const DecodeLimits& limits, EnvelopeView& out);

}  // namespace swell::wire
