// Awareness: Lifeguard's local health score stays within [0, max - 1] and stretches
// timeouts by score + 1 (memberlist's awareness_test.go table).
#include <doctest/doctest.h>

#include <chrono>
#include <climits>

#include "swim/awareness.h"
#include "swim/formulas.h"

namespace swell::swim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("a new score is healthy") {
  CHECK(Awareness(8).score() == 0);
  CHECK(Awareness(1).score() == 0);
}

TEST_CASE("apply_delta moves the score and clamps it to [0, max - 1], timeouts scaling with it") {
  struct Step {
    int delta;
    int score;
    Duration timeout;  // a 1 s timeout scaled by health
  };
  // memberlist's TestAwareness with max 8.
  const Step steps[] = {
      {0, 0, seconds(1)},  {-1, 0, seconds(1)}, {-10, 0, seconds(1)}, {1, 1, seconds(2)},
      {-1, 0, seconds(1)}, {10, 7, seconds(8)}, {-1, 6, seconds(7)},  {-1, 5, seconds(6)},
      {-1, 4, seconds(5)}, {-1, 3, seconds(4)}, {-1, 2, seconds(3)},  {-1, 1, seconds(2)},
      {-1, 0, seconds(1)}, {-1, 0, seconds(1)},
  };
  Awareness a(8);
  int i = 0;
  for (const Step& s : steps) {
    CAPTURE(i++);
    CAPTURE(s.delta);
    a.apply_delta(s.delta);
    CHECK(a.score() == s.score);
    CHECK(scale_by_health(seconds(1), a.score()).count() == s.timeout.count());
  }
}

TEST_CASE("the score's bounds follow max_multiplier") {
  SUBCASE("max 1: always healthy, timeouts never stretch") {
    Awareness a(1);
    a.apply_delta(1);
    CHECK(a.score() == 0);
    a.apply_delta(100);
    CHECK(a.score() == 0);
    CHECK(scale_by_health(milliseconds(500), a.score()) == milliseconds(500));
  }
  SUBCASE("max 16: up to 15, a timeout at most 16 times as long") {
    Awareness a(16);
    a.apply_delta(14);
    CHECK(a.score() == 14);
    a.apply_delta(1);
    CHECK(a.score() == 15);
    a.apply_delta(1);
    CHECK(a.score() == 15);
    CHECK(scale_by_health(milliseconds(250), a.score()) == seconds(4));
    a.apply_delta(-15);
    CHECK(a.score() == 0);
  }
  SUBCASE("huge deltas from a healthy score") {
    Awareness a(8);
    a.apply_delta(INT_MAX);
    CHECK(a.score() == 7);
    a.apply_delta(INT_MIN);
    CHECK(a.score() == 0);
  }
}

// Adding before clamping in int would overflow on a non-zero score (in practice wrap
// negative and clamp to 0, the opposite of the bad news it was told).
TEST_CASE("a huge positive delta on an unhealthy score clamps to the top") {
  Awareness a(8);
  a.apply_delta(3);
  a.apply_delta(INT_MAX);
  CHECK(a.score() == 7);
}

}  // namespace
}  // namespace swell::swim
