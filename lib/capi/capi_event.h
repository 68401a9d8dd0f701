// A MembershipEvent as a swell_event whose pointers point into the event.
#pragma once

#include "swell/events.h"
#include "swell/swell.h"

namespace swell::capi {

/// Fills *out from event; its strings stay valid while event (and its announcement) lives.
void fill_event(const MembershipEvent& event, swell_event* out) noexcept;

}  // namespace swell::capi
