#include <doctest/doctest.h>

#include <string>

#include "agent/expiry_time.h"

using namespace swell;
using namespace swell::agent;

TEST_CASE("parse_expiry: durations from now and UTC dates") {
  const std::uint64_t now = 1'800'000'000'000;  // 2027-01-15T08:00:00Z
  struct Case {
    const char* text;
    std::uint64_t want;
  };
  const Case cases[] = {
      {"45s", now + 45'000},
      {"30m", now + 30 * 60'000},
      {"12h", now + 12 * 3'600'000ull},
      {"90d", now + 90 * 86'400'000ull},
      {"2027-01-31", 1'801'353'600'000},
      {"2027-01-31T12:00:00Z", 1'801'396'800'000},
      {"1970-01-01", 0},
  };
  for (const Case& c : cases) {
    auto got = parse_expiry(c.text, now);
    INFO(c.text);
    REQUIRE_MESSAGE(got.ok(), got.error().message);
    CHECK(got.value() == c.want);
  }
}

TEST_CASE("parse_expiry refuses what is not a duration or a date, saying which forms work") {
  for (const char* text : {"", "d", "0d", "-5d", "5", "5w", "5 d", "1.5d", "99999999999999999999d", "40000d",
                           "2027-02-31", "2027-13-01", "2027-1-5", "2027-01-31T25:00:00Z", "2027-01-31 12:00:00",
                           "2027-01-31T12:00:00", "tomorrow"}) {
    auto got = parse_expiry(text, 1'800'000'000'000);
    INFO(text);
    REQUIRE_FALSE(got.ok());
    CHECK(got.error().code == ErrorCode::invalid_argument);
    CHECK(got.error().message.find("90d") != std::string::npos);
  }
}

TEST_CASE("format_unix_ms prints UTC to the second") {
  CHECK(format_unix_ms(0) == "1970-01-01T00:00:00Z");
  CHECK(format_unix_ms(1'801'396'800'999) == "2027-01-31T12:00:00Z");
}
