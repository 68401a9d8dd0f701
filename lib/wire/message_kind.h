// The protocol version and the message kinds of swell's wire format (docs/wire.md).
#pragma once

#include <cstdint>
#include <string_view>

namespace swell::wire {

/// The only protocol version this build speaks; a datagram with another is dropped.
inline constexpr std::uint8_t kProtocolVersion = 1;

/// What a message is. The numbers are on the wire and never change.
enum class MessageKind : std::uint8_t {
  ping = 1,                 ///< SWIM direct probe; body nil; the envelope seq names it.
  ping_req = 2,             ///< Ask a member to probe a target on our behalf.
  ack = 3,                  ///< Reply to a ping (or relayed reply to a ping-req).
  nack = 4,                 ///< Lifeguard: the relay got no ack from the target in time.
  suspect = 5,              ///< Signed claim: author suspects subject at an incarnation.
  alive = 6,                ///< Signed claim: a member announces itself (join, refute, update).
  dead = 7,                 ///< Signed claim: author declares subject failed.
  leave = 8,                ///< Signed claim: a member leaves gracefully.
  push_pull_request = 9,    ///< Full state sent on a stream, asking for the peer's.
  push_pull_response = 10,  ///< Full state sent back on the same stream.
  compound = 11,            ///< Several messages in one datagram under one authenticator.
  majority_view = 12,       ///< Signed claim: author's PeerInfo view for majority mode.
  heartbeat = 13,           ///< Majority mode: sender alive, digest of its reachability view.
  reach_view = 14,          ///< Majority mode: the sender's reachability view, sent on a digest mismatch.
  mode_decision = 15,       ///< The selector's signed, epoch-numbered mode decision (not a claim).
  // 16..19 are unassigned; decoders treat them as unknown kinds.
  revocation = 20,          ///< Signed claim: a cluster CA revokes a member's key.
  rotation = 21,            ///< Signed claim: a member moves to a new key (docs/security.md, "Key rotation").
};

/// The highest kind number this build knows (is_known says which below it are).
inline constexpr std::uint8_t kMaxMessageKind = 21;

/// "ping", "ack", ...
std::string_view to_string(MessageKind kind);
/// True for kinds whose body is a signed claim that third parties verify.
bool is_claim(MessageKind kind);
/// True for the kind numbers this build knows (1..15, 20 and 21; 16..19 are unassigned).
bool is_known(std::uint64_t kind);

}  // namespace swell::wire
