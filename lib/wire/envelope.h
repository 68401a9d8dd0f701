// The envelope every datagram and stream message travels in:
//
//   msgpack [version, kind, sender, seq, body]  ||  16-byte authenticator
//
// kind is compound when body is a list of [kind, body] messages. sender is the
// 32-byte NodeId on first contact, or its first 8 bytes once the receiver knows us.
// decode_envelope() only splits; lib/crypto checks the authenticator.
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
  ByteView authenticated;             ///< Every byte the tag covers.
  ByteView tag;                       ///< The kTagSize-byte authenticator.
};

/// Splits bytes into envelope fields and messages; nothing is verified yet.
/// max_bytes is the datagram (or stream message) limit.
Result<void> decode_envelope(ByteView bytes, std::size_t max_bytes, const DecodeLimits& limits, EnvelopeView& out);

}  // namespace swell::wire
