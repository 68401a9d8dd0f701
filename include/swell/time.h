// Time as the protocol core sees it: a monotonic count of microseconds from an origin
// the driver picks (uv_now() in the runtime, 0 in the simulator). The core never reads
// a clock; every input carries `now`.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>

namespace swell {

/// A duration, and a point in time measured from the driver's origin.
using Duration = std::chrono::microseconds;
/// A point in time: microseconds since the driver's origin.
using Time = std::chrono::microseconds;

/// "No deadline": what next_tick() returns when the core has nothing scheduled.
inline constexpr Time kNever = Time(std::numeric_limits<std::int64_t>::max());

/// Seconds as a double, for reports.
inline double to_seconds(Duration d) { return static_cast<double>(d.count()) / 1e6; }

}  // namespace swell
