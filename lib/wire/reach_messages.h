// Bodies of majority mode's two unsigned messages (docs/majority.md, "Messages"): the
// heartbeat every member sends every other, and the reachability view it sends when the
// receiver's copy is out of date. Neither is relayed, so the datagram's pairwise
// authenticator names the author and no signature is needed.
//
//   Bytes body;
//   wire::encode_heartbeat({.view_digest = d, .wants_view = false, .mode_epoch = 2}, body);
//   auto hb = wire::decode_heartbeat(body);  // Result<Heartbeat>
#pragma once

#include <cstdint>
#include <vector>

#include "swell/bytes.h"
#include "swell/result.h"
#include "wire/decode_limits.h"

namespace swell::wire {

/// "I am alive; my reachability view has this digest; (maybe) send me yours."
struct Heartbeat {
  std::uint64_t view_digest = 0;  ///< Digest of the sender's reachability view (0: nobody unreachable).
  bool wants_view = false;        ///< The sender's copy of the receiver's view has another digest.
  std::uint64_t mode_epoch = 0;   ///< Epoch of the sender's mode decision, so a member that missed one catches up.
  friend bool operator==(const Heartbeat&, const Heartbeat&) = default;
};

/// The sender's whole reachability view: the members it has not heard from lately.
struct ReachView {
  std::uint64_t view_digest = 0;          ///< Digest of the set below, as the sender computed it.
  std::vector<std::uint64_t> unreachable;  ///< Id prefixes (first 8 bytes, big-endian), ascending.
  friend bool operator==(const ReachView&, const ReachView&) = default;
};

/// [digest uint, wants_view bool, mode_epoch uint].
void encode_heartbeat(const Heartbeat& heartbeat, Bytes& out);
/// Decodes a heartbeat body. Errors: truncated, bad_field_type, malformed.
Result<Heartbeat> decode_heartbeat(ByteView body);
/// [digest uint, unreachable bin (8-byte prefixes)].
void encode_reach_view(const ReachView& view, Bytes& out);
/// Decodes a view body; more than limits.max_view_entries prefixes is oversized.
/// Errors: truncated, bad_field_type, malformed, oversized.
Result<ReachView> decode_reach_view(ByteView body, const DecodeLimits& limits);

}  // namespace swell::wire
