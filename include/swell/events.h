// What the protocol core tells its driver about the membership.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "swell/admission.h"
#include "swell/node_id.h"
#include "swell/peer_info.h"
#include "swell/time.h"

namespace swell {

/// A member's state in this node's view.
enum class MemberState : std::uint8_t {
  alive = 0,    ///< Answering probes, or refuted the last suspicion.
  suspect = 1,  ///< Someone failed to reach it; it has until the suspicion timeout to refute.
  dead = 2,     ///< Declared failed; remembered for the reconnect window.
  left = 3,     ///< Left gracefully.
};

/// "alive", "suspect", "dead" or "left".
const char* to_string(MemberState state);

/// What a member announces, shared (immutable) between the table, events and snapshots.
struct Announcement {
  PeerInfo info;             ///< The member's PeerInfo; info.version is its incarnation.
  std::string swim_address;  ///< host:port where it speaks swell.
};

/// Why a member was declared failed: enough for an operator to tell a crash from a
/// flaky link.
struct FailureEvidence {
  NodeId first_suspected_by;          ///< Who raised the suspicion this node acted on.
  std::vector<NodeId> confirmations;  ///< Distinct other members that also suspected it.
  int nacks_seen = 0;                 ///< Nacks our own indirect probe got (relays reached us, target did not answer).
  bool probed_by_us = false;          ///< True if our own probe failed too.
  NodeId declared_by;                 ///< Who declared it dead (this node, or the signer of the dead claim we accepted).
  Duration timeout_used{0};           ///< The suspicion timeout when it fired (0 if we accepted someone's verdict).
  int local_health = 0;               ///< Our Lifeguard health score then (0 = healthy).
  Time suspected_at{0};               ///< When we started suspecting.
  bool flapping = false;              ///< Held down: it refuted confirmed suspicions Config::flap_limit times within flap_window.
  bool degraded = false;              ///< Held down: it answered too few of our direct pings, against what our other members answer (Config::degraded_ratio).
  /// Not a failure of the member but of its admission: revoked (declared_by is then the
  /// CA), its certificate expired, or it left the allow-list. It cannot come back.
  AdmissionRefusal removed_for = AdmissionRefusal::none;
};

/// A change in this node's view of the membership.
struct MembershipEvent {
  /// What happened.
  enum class Kind : std::uint8_t {
    joined,     ///< A member appeared.
    updated,    ///< A member announced new PeerInfo.
    suspected,  ///< A member became suspect.
    failed,     ///< A member was declared failed (evidence attached).
    left,       ///< A member left gracefully.
    recovered,  ///< A suspect, failed or left member is alive again.
    /// A live member lost its PeerInfo id (name) to another key that claims it too
    /// (docs/protocol.md, "Name conflicts"): name_owner is the winner. The loser stays a
    /// member; queries by name return the winner. Also reported by the loser itself.
    name_conflict,
    rotated,    ///< A member moved to a new key: `member` is the new key, `previous` the old (no longer a member).
  };
  Kind kind;                                            ///< What happened.
  NodeId member;                                        ///< To whom.
  std::uint64_t incarnation = 0;                        ///< Its incarnation after the change.
  std::shared_ptr<const Announcement> announcement;     ///< Its latest announcement.
  std::optional<FailureEvidence> evidence;              ///< Set for failed.
  Time at{0};                                           ///< When this node saw it.
  bool majority_mode = false;                           ///< The failure detector then: majority (true) or SWIM.
  std::optional<NodeId> name_owner;                     ///< Set for name_conflict: the key that owns the name.
  NodeId previous;                                      ///< For rotated: the key the member moved from.
};

/// "joined", "updated", ...
const char* to_string(MembershipEvent::Kind kind);
/// The state a member is in after an event of this kind (events carry no state field).
MemberState state_after(MembershipEvent::Kind kind);

/// One member as a snapshot reports it.
struct MemberSnapshot {
  NodeId id;                                         ///< The member.
  MemberState state = MemberState::alive;            ///< Its state in this view.
  std::uint64_t incarnation = 0;                     ///< Its incarnation.
  std::shared_ptr<const Announcement> announcement;  ///< What it announces.
  /// Set while another live key owns this member's PeerInfo id (a name_conflict it lost).
  std::optional<NodeId> name_lost_to;
};

}  // namespace swell
