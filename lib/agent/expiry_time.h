// Expiry times as operators write them for `swell-agent ca sign --expires`: a duration
// from now ("90d", "12h", "30m", "45s") or a UTC date ("2027-01-31", midnight) or time
// ("2027-01-31T12:00:00Z"); and Unix milliseconds printed back the same way.
//
//   auto expires = parse_expiry("90d", unix_now_ms());   // Unix ms, 90 days on
//   std::cout << format_unix_ms(expires.value());         // "2027-03-02T10:04:05Z"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "swell/result.h"

namespace swell::agent {

/// The Unix time in ms that text names, durations counted from now_unix_ms. Errors:
/// invalid_argument (not one of the forms; a duration of 0 or beyond 100 years).
Result<std::uint64_t> parse_expiry(std::string_view text, std::uint64_t now_unix_ms);

/// "YYYY-MM-DDTHH:MM:SSZ" (UTC, seconds).
std::string format_unix_ms(std::uint64_t unix_ms);

}  // namespace swell::agent
