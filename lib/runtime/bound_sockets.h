// BoundSockets: the agent's UDP socket and TCP listening socket, bound to one port
// number. Bound with plain socket calls before libuv adopts them, so that with port 0
// a pair whose TCP half is taken can be retried synchronously.
#pragma once

#include <cstdint>

#include "runtime/socket_address.h"
#include "swell/result.h"

namespace swell::runtime {

/// A UDP and a listening TCP socket on the same address and port.
struct BoundSockets {
  int udp_fd = -1;          ///< Non-blocking, close-on-exec UDP socket.
  int tcp_fd = -1;          ///< Non-blocking, close-on-exec TCP socket, already listening.
  std::uint16_t port = 0;   ///< The port both are bound to.
};

/// Binds both sockets to address (port 0: a free port, the same for both); the error
/// says what to do (port in use, address not on this host).
Result<BoundSockets> bind_sockets(const SocketAddress& address);

}  // namespace swell::runtime
