#include <doctest/doctest.h>

#include "agent/bearer_token.h"

using swell::agent::bearer_matches;
using swell::agent::constant_time_equal;

TEST_CASE("constant_time_equal compares whole strings of any lengths") {
  CHECK(constant_time_equal("s3cret", "s3cret"));
  CHECK_FALSE(constant_time_equal("s3cret", "s3creT"));
  CHECK_FALSE(constant_time_equal("s3cret", "s3cre"));
  CHECK_FALSE(constant_time_equal("s3cret", "s3cret-and-more"));
  CHECK_FALSE(constant_time_equal("s3cret", ""));
  CHECK(constant_time_equal("", ""));
}

TEST_CASE("bearer_matches takes exactly 'Bearer TOKEN' (scheme in any case)") {
  CHECK(bearer_matches("s3cret", "Bearer s3cret"));
  CHECK(bearer_matches("s3cret", "bearer s3cret"));
  CHECK(bearer_matches("s3cret", "BEARER  s3cret "));
  CHECK_FALSE(bearer_matches("s3cret", ""));
  CHECK_FALSE(bearer_matches("s3cret", "s3cret"));
  CHECK_FALSE(bearer_matches("s3cret", "Bearer"));
  CHECK_FALSE(bearer_matches("s3cret", "Bearer "));
  CHECK_FALSE(bearer_matches("s3cret", "Basic s3cret"));
  CHECK_FALSE(bearer_matches("s3cret", "Bearers3cret"));
  CHECK_FALSE(bearer_matches("s3cret", "Bearer wrong"));
  CHECK_FALSE(bearer_matches("s3cret", "Bearer s3cret2"));
}
