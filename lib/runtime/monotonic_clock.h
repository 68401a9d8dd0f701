// The runtime's clock: libuv's high-resolution monotonic clock in microseconds, the
// `now` every input to the core carries.
#pragma once

#include <uv.h>

#include "swell/time.h"

namespace swell::runtime {

/// Microseconds on the monotonic clock (origin: an arbitrary point before start).
inline Time monotonic_now() { return Time(static_cast<std::int64_t>(uv_hrtime() / 1000)); }

}  // namespace swell::runtime
