// MembershipEvent -> swell_event (member in the state the event leaves it, evidence).
#include "capi/capi_event.h"

#include <cstring>

#include "capi/capi_member.h"

namespace swell::capi {
namespace {

swell_event_kind c_kind(MembershipEvent::Kind kind) noexcept {
  switch (kind) {
    case MembershipEvent::Kind::joined: return SWELL_EVENT_JOINED;
    case MembershipEvent::Kind::updated: return SWELL_EVENT_UPDATED;
    case MembershipEvent::Kind::suspected: return SWELL_EVENT_SUSPECTED;
    case MembershipEvent::Kind::failed: return SWELL_EVENT_FAILED;
    case MembershipEvent::Kind::left: return SWELL_EVENT_LEFT;
    case MembershipEvent::Kind::recovered: return SWELL_EVENT_RECOVERED;
    case MembershipEvent::Kind::name_conflict: return SWELL_EVENT_NAME_CONFLICT;
    case MembershipEvent::Kind::rotated: return SWELL_EVENT_ROTATED;
  }
  return SWELL_EVENT_UPDATED;
}

void fill_evidence(const FailureEvidence& evidence, swell_evidence* out) noexcept {
  write_hex(evidence.first_suspected_by, out->first_suspected_by_hex);
  out->confirmations = evidence.confirmations.size();
  out->nacks_seen = evidence.nacks_seen;
  out->probed_by_us = evidence.probed_by_us ? 1 : 0;
  write_hex(evidence.declared_by, out->declared_by_hex);
  out->timeout_s = to_seconds(evidence.timeout_used);
  out->local_health = evidence.local_health;
  out->flapping = evidence.flapping ? 1 : 0;
  out->degraded = evidence.degraded ? 1 : 0;
}

}  // namespace

void fill_event(const MembershipEvent& event, swell_event* out) noexcept {
  std::memset(out, 0, sizeof *out);
  out->kind = c_kind(event.kind);
  fill_member(event.member, state_after(event.kind), event.incarnation, event.announcement.get(), &out->member);
  if (event.evidence) {
    out->has_evidence = 1;
    fill_evidence(*event.evidence, &out->evidence);
  }
  if (event.kind == MembershipEvent::Kind::rotated) write_hex(event.previous, out->previous_hex);
}

}  // namespace swell::capi
