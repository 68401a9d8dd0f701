// swell_agent, the opaque handle behind the C ABI: the C++ Agent, the caller's callback,
// the strings swell_agent_id/address return, and the storage of the last polled event.
#pragma once

#include <optional>
#include <string>

#include "swell/agent.h"
#include "swell/swell.h"

/// What a swell_agent* points to. Created by swell_agent_start, freed by swell_agent_free.
struct swell_agent {
  swell_event_callback on_event = nullptr;  ///< Set before the Agent starts; immutable after.
  void* on_event_user_data = nullptr;       ///< Passed to on_event.
  std::optional<swell::Agent> agent;        ///< Set once Agent::start succeeded.
  std::string id_hex;                       ///< swell_agent_id's string.
  swell::PeerInfoLimits info_limits;        ///< The preset's bounds, checked before copying set_local_info's metadata.
  /// Keeps the strings of the event swell_agent_poll_event returned last alive until
  /// the next poll (or free), so the caller gets pointers without owning anything.
  std::optional<swell::MembershipEvent> last_polled;
};
