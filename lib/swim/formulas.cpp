#include "swim/formulas.h"

#include <algorithm>
#include <cmath>

namespace swell::swim {

int retransmit_limit(int mult, std::size_t n) {
  const double scale = std::ceil(std::log10(static_cast<double>(n) + 1.0));
  return std::max(1, mult * static_cast<int>(scale));
}

Duration suspicion_min_timeout(double mult, std::size_t n, Duration probe_interval) {
  const double scale = std::max(1.0, std::log10(static_cast<double>(std::max<std::size_t>(n, 1))));
  return Duration(static_cast<std::int64_t>(mult * scale * static_cast<double>(probe_interval.count())));
}

Duration suspicion_timeout(Duration min, Duration max, int confirmations, int expected) {
  if (expected <= 0 || max <= min) return min;
  const double fraction =
      std::log(static_cast<double>(std::max(confirmations, 0)) + 1.0) / std::log(static_cast<double>(expected) + 1.0);
  const double span = static_cast<double>((max - min).count());
  const auto timeout = max - Duration(static_cast<std::int64_t>(span * std::min(fraction, 1.0)));
  return std::max(timeout, min);
}

Duration stall_floor(Duration stall_tolerance, Duration probe_interval) {
  return std::max(Duration{0}, stall_tolerance - probe_interval / 2);
}

Duration push_pull_interval(Duration base, std::size_t n) {
  // memberlist scales from 32 members because its every exchange carries the whole
  // table. Ours carry a digest when tables agree and a 17-byte-per-member summary when
  // they differ, so the base interval holds up to 256 members (a missed update is
  // repaired within ~30 s there instead of 2 minutes).
  constexpr double kScaleFrom = 256;
  if (static_cast<double>(n) <= kScaleFrom) return base;
  const double doublings = std::ceil(std::log2(static_cast<double>(n)) - std::log2(kScaleFrom));
  return base * static_cast<std::int64_t>(doublings + 1.0);
}

Duration catch_up_interval(std::size_t n) {
  constexpr std::size_t kMembersPerStep = 256;
  const std::size_t steps = std::max<std::size_t>(1, (n + kMembersPerStep - 1) / kMembersPerStep);
  return std::chrono::milliseconds(1000) * static_cast<std::int64_t>(steps);
}

Duration scale_by_health(Duration timeout, int health) {
  // In the Duration's 64-bit rep: health + 1 overflows int at INT_MAX.
  return timeout * (static_cast<Duration::rep>(std::max(health, 0)) + 1);
}

}  // namespace swell::swim
