// Bounds every decoder enforces, so no input can make swell allocate more than these.
#pragma once

#include <cstddef>

#include "swell/peer_info.h"

namespace swell::wire {

/// Upper bounds on what one datagram or stream message may carry.
struct DecodeLimits {
  std::size_t max_datagram_bytes = 1400;     ///< Largest datagram accepted (and built).
  std::size_t max_stream_bytes = 8u << 20;   ///< Largest push-pull stream message.
  std::size_t max_messages = 255;            ///< Messages in one compound.
  std::size_t max_members = 65536;           ///< Member records in one push-pull.
  std::size_t max_view_entries = 1024;       ///< PeerInfo records in one majority view.
  PeerInfoLimits peer_info;                  ///< Per-PeerInfo bounds (metadata, id, address).
};

}  // namespace swell::wire
