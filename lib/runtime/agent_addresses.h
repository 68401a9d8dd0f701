// The address rules of AgentOptions: what to bind, and what to advertise to peers
// (required when bound to 0.0.0.0 or ::; port 0 means the bound port).
#pragma once

#include <cstdint>
#include <string>

#include "runtime/socket_address.h"
#include "swell/agent.h"

namespace swell::runtime {

/// The parsed bind address, after checking that an advertise address is given where needed.
Result<SocketAddress> bind_target(const AgentOptions& options);

/// The host:port peers are told: advertise_address (its port 0 replaced by port), or
/// the bind address with the bound port.
Result<std::string> advertised_address(const AgentOptions& options, std::uint16_t port);

}  // namespace swell::runtime
