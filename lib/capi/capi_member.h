// One member (from a snapshot or an event) as a swell_member whose strings point into
// the immutable Announcement: nothing is copied, and the pointers live as long as it.
#pragma once

#include <cstdint>

#include "swell/events.h"
#include "swell/swell.h"

namespace swell::capi {

/// Writes id as 64 lowercase hex digits and a NUL into out; never allocates.
void write_hex(const NodeId& id, char (&out)[65]) noexcept;

/// The C value of a member state.
swell_member_state c_state(MemberState state) noexcept;

/// Fills *out; the strings and metadata point into announcement (empty when it is null).
void fill_member(const NodeId& id, MemberState state, std::uint64_t incarnation, const Announcement* announcement,
                 swell_member* out) noexcept;

}  // namespace swell::capi
