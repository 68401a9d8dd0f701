// The names and meanings of MemberState and MembershipEvent::Kind (swell/events.h), apart
// from Node: readers of events (the agent's JSON, the C ABI) need them without the core.
#include "swell/events.h"

namespace swell {

const char* to_string(MemberState state) {
  switch (state) {
    case MemberState::alive: return "alive";
    case MemberState::suspect: return "suspect";
    case MemberState::dead: return "dead";
    case MemberState::left: return "left";
  }
  return "unknown";
}

MemberState state_after(MembershipEvent::Kind kind) {
  switch (kind) {
    case MembershipEvent::Kind::suspected: return MemberState::suspect;
    case MembershipEvent::Kind::failed: return MemberState::dead;
    case MembershipEvent::Kind::left: return MemberState::left;
    case MembershipEvent::Kind::joined:
    case MembershipEvent::Kind::updated:  // only emitted for alive members
    case MembershipEvent::Kind::recovered:
    case MembershipEvent::Kind::name_conflict: return MemberState::alive;  // the loser stays live
    case MembershipEvent::Kind::rotated: return MemberState::alive;
  }
  return MemberState::alive;
}

const char* to_string(MembershipEvent::Kind kind) {
  switch (kind) {
    case MembershipEvent::Kind::joined: return "joined";
    case MembershipEvent::Kind::updated: return "updated";
    case MembershipEvent::Kind::suspected: return "suspected";
    case MembershipEvent::Kind::failed: return "failed";
    case MembershipEvent::Kind::left: return "left";
    case MembershipEvent::Kind::recovered: return "recovered";
    case MembershipEvent::Kind::name_conflict: return "name_conflict";
    case MembershipEvent::Kind::rotated: return "rotated";
  }
  return "unknown";
}

}  // namespace swell
