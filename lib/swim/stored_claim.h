// A verified claim as the core keeps it: the exact bytes to gossip and the decoded
// fields. Immutable and shared (between the member table, the dissemination queue,
// events, and in the simulator between nodes).
#pragma once

#include <memory>

#include "swell/events.h"
#include "wire/claims.h"

namespace swell::swim {

/// A claim whose signature has been checked.
struct StoredClaim {
  Bytes body;                 ///< Encoded signed claim body [payload, signature], gossiped as is.
  wire::MessageKind kind;     ///< alive, suspect, dead, leave or majority_view.
  NodeId author;              ///< Who signed it.
  NodeId subject;             ///< Whom it is about (the author for alive and leave).
  std::uint64_t incarnation;  ///< The subject's incarnation it speaks of (epoch for views).
  std::shared_ptr<const Announcement> announcement;  ///< For alive claims: what it announces.
};

/// Shared handle to a stored claim.
using ClaimRef = std::shared_ptr<const StoredClaim>;

}  // namespace swell::swim
