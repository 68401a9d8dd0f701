// swell_agent_options -> AgentOptions and PeerInfo: the size check (older and newer
// callers), the NULL and range checks, with messages that name the C field.
#pragma once

#include "swell/agent.h"
#include "swell/swell.h"

namespace swell::capi {

/// The caller's options as this library's struct: size checked (0, absurd, or a newer
/// caller's non-zero unknown fields: SWELL_EINVAL); fields past a smaller size keep
/// their defaults. Failures are recorded and returned as the status.
swell_status complete_options(const swell_agent_options& caller, swell_agent_options* out) noexcept;

/// Everything Agent::start needs except on_event, from completed options.
Result<AgentOptions> to_agent_options(const swell_agent_options& options);

/// The PeerInfo fields of completed options (id, address, metrics_port, node_type,
/// is_load_balancer, metadata); a NULL address becomes default_address.
Result<PeerInfo> to_peer_info(const swell_agent_options& options, const PeerInfoLimits& limits,
                              const std::string& default_address);

}  // namespace swell::capi
