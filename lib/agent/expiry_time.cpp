#include "agent/expiry_time.h"

#include <charconv>
#include <ctime>

namespace swell::agent {
namespace {

// Beyond any sane certificate, and far from overflowing milliseconds.
constexpr std::uint64_t kMaxSeconds = 100ull * 366 * 24 * 3600;

Error bad(std::string_view text) {
  return Error{ErrorCode::invalid_argument,
               "--expires \"" + std::string(text.substr(0, 64)) +
                   "\": give a duration from now (90d, 12h, 30m, 45s) or a UTC date 2027-01-31 or time "
                   "2027-01-31T12:00:00Z"};
}

Result<std::uint64_t> parse_duration_s(std::string_view text) {
  std::uint64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 24 * 3600; break;
    default: return bad(text);
  }
  std::uint64_t n = 0;
  const std::string_view digits = text.substr(0, text.size() - 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) return bad(text);
  if (n == 0 || n > kMaxSeconds / unit) return bad(text);
  return n * unit;
}

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ", checked field by field (timegm normalises
// 2027-02-31 silently, so the result is formatted back and compared).
Result<std::uint64_t> parse_utc(std::string_view text) {
  std::tm tm{};
  const std::string s(text);
  const char* end = nullptr;
  if (s.size() == 10) end = ::strptime(s.c_str(), "%Y-%m-%d", &tm);
  if (s.size() == 20) end = ::strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') return bad(text);
  const std::time_t t = ::timegm(&tm);
  if (t < 0) return bad(text);
  const std::string back = format_unix_ms(static_cast<std::uint64_t>(t) * 1000);
  if (back.substr(0, s.size() == 10 ? 10 : 20) != s) return bad(text);
  return static_cast<std::uint64_t>(t) * 1000;
}

}  // namespace

Result<std::uint64_t> parse_expiry(std::string_view text, std::uint64_t now_unix_ms) {
  if (text.empty()) return bad(text);
  if (text.find('-') != std::string_view::npos) return parse_utc(text);
  auto seconds = parse_duration_s(text);
  if (!seconds.ok()) return seconds.error();
  return now_unix_ms + seconds.value() * 1000;
}

std::string format_unix_ms(std::uint64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char out[32] = {};
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

}  // namespace swell::agent
