// The protocol's formulas (lib/swim/formulas.h), each checked against a table of
// inputs and expected outputs worked out by hand from the formula in the header's
// comment (memberlist's TestSuspicion_remainingSuspicionTime style), edge cases included.
#include <doctest/doctest.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <limits>

#include "swim/formulas.h"

namespace swell::swim {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::size_t kHugeN = std::numeric_limits<std::size_t>::max();

TEST_CASE("retransmit_limit is mult * ceil(log10(n + 1)), at least 1") {
  struct Case {
    int mult;
    std::size_t n;
    int expected;
  };
  // ceil(log10(n + 1)): 0 for n = 0, 1 for 1..9, 2 for 10..99, 3 for 100..999, ...
  const Case cases[] = {
      {4, 0, 1},       // log10(1) = 0: no one to tell, but a queued update still goes once
      {4, 1, 4},       // log10(2) = 0.30 -> 1
      {4, 9, 4},       // log10(10) = 1 exactly -> 1
      {4, 10, 8},      // log10(11) = 1.04 -> 2
      {3, 99, 6},      // log10(100) = 2 exactly -> 2 (memberlist's table: 6)
      {3, 100, 9},     // log10(101) = 2.004 -> 3
      {4, 999, 12},    // log10(1000) = 3 -> 3
      {4, 1000, 16},   // log10(1001) = 3.0004 -> 4
      {1, 10000, 5},   // log10(10001) = 4.00004 -> 5
      {16, 65536, 80}, // log10(65537) = 4.82 -> 5
      {0, 100, 1},     // mult 0 still sends once
      {-2, 100, 1},    // nonsense mult: still once, never negative
      {16, kHugeN, 320},  // log10(1.8e19) = 19.27 -> 20
  };
  for (const Case& c : cases) {
    CAPTURE(c.mult);
    CAPTURE(c.n);
    CHECK(retransmit_limit(c.mult, c.n) == c.expected);
  }
}

TEST_CASE("suspicion_min_timeout is mult * max(1, log10(n)) * probe_interval") {
  struct Case {
    double mult;
    std::size_t n;
    Duration interval;
    Duration expected;
  };
  const Case cases[] = {
      {1.0, 0, milliseconds(500), milliseconds(500)},   // n = 0 counts as 1: log10(1) = 0 -> scale 1
      {1.0, 1, milliseconds(500), milliseconds(500)},
      {2.0, 5, seconds(3), seconds(6)},                  // log10(5) = 0.7 < 1 -> scale 1
      {1.0, 10, milliseconds(500), milliseconds(500)},   // log10(10) = 1
      {1.0, 50, seconds(1), Duration(1'698'970)},        // log10(50) = 1.698970004 s, truncated to us
      {4.0, 100, milliseconds(500), seconds(4)},         // 4 * 2 * 0.5 s
      {5.0, 1000, seconds(1), seconds(15)},              // 5 * 3 * 1 s
      {0.5, 10000, seconds(1), seconds(2)},              // 0.5 * 4 * 1 s
      {1.0, 100, Duration(0), Duration(0)},              // a zero interval stays zero
      {1.0, kHugeN, milliseconds(1), Duration(19'265)},  // log10(1.8447e19) = 19.2659 ms
      {2.0, 100, hours(1), hours(4)},                    // large durations stay exact
  };
  for (const Case& c : cases) {
    CAPTURE(c.mult);
    CAPTURE(c.n);
    CAPTURE(c.interval.count());
    CHECK(suspicion_min_timeout(c.mult, c.n, c.interval).count() == c.expected.count());
  }
}

TEST_CASE("suspicion_timeout shrinks from max to min as log(confirmations + 1) / log(expected + 1)") {
  struct Case {
    Duration min, max;
    int confirmations, expected;
    Duration timeout;
  };
  const Duration lo = seconds(2), hi = seconds(30);
  // memberlist's TestSuspicion_remainingSuspicionTime table with elapsed = 0:
  // 28 s of span, fraction log(c + 1) / log(4).
  const Case cases[] = {
      {lo, hi, 0, 3, seconds(30)},            // log(1) = 0: no confirmation, the full max
      {lo, hi, 1, 3, seconds(16)},            // log 2 / log 4 = 1/2: 30 - 14
      {lo, hi, 2, 3, Duration(7'810'525)},    // log 3 / log 4 = 0.792481: 30 - 22.189475 s
      {lo, hi, 3, 3, seconds(2)},             // all expected confirmations: the min
      {lo, hi, 4, 3, seconds(2)},             // more than expected: still the min, never below
      {lo, hi, 100, 3, seconds(2)},
      {lo, hi, -1, 3, seconds(30)},           // a negative count counts as none
      {lo, hi, 0, 0, seconds(2)},             // no confirmations possible: the min at once
      {lo, hi, 5, 0, seconds(2)},
      {lo, hi, 0, -4, seconds(2)},            // nonsense expected: the min
      {lo, hi, 1, 1, seconds(2)},             // log 2 / log 2 = 1
      {lo, lo, 0, 3, seconds(2)},             // max == min
      {seconds(5), seconds(1), 0, 3, seconds(5)},  // max < min: the min wins
      {lo, hi, 1, INT_MAX, Duration(29'096'775)},  // log 2 / log 2^31 = 1/31: 30 s - 903225 us
      {lo, hi, INT_MAX, INT_MAX, seconds(2)},
      {hours(1), hours(10), 1, 3, Duration(hours(5)) + std::chrono::minutes(30)},  // 10 h - 9 h / 2
  };
  for (const Case& c : cases) {
    CAPTURE(c.min.count());
    CAPTURE(c.max.count());
    CAPTURE(c.confirmations);
    CAPTURE(c.expected);
    CHECK(suspicion_timeout(c.min, c.max, c.confirmations, c.expected).count() == c.timeout.count());
  }
}

TEST_CASE("suspicion_timeout never grows with a confirmation and stays within [min, max]") {
  for (int expected = 1; expected <= 16; ++expected) {
    Duration previous = seconds(60);
    for (int confirmations = 0; confirmations <= expected + 2; ++confirmations) {
      CAPTURE(expected);
      CAPTURE(confirmations);
      const Duration t = suspicion_timeout(seconds(6), seconds(60), confirmations, expected);
      CHECK(t <= previous);
      CHECK(t >= seconds(6));
      if (confirmations < expected) CHECK(t > seconds(6));  // min only once all arrived
      previous = t;
    }
  }
}

TEST_CASE("push_pull_interval is the base up to 256 members, then one more base per doubling") {
  struct Case {
    Duration base;
    std::size_t n;
    Duration expected;
  };
  // base * (ceil(log2(n) - 8) + 1) beyond 256.
  const Case cases[] = {
      {seconds(30), 0, seconds(30)},
      {seconds(30), 1, seconds(30)},
      {seconds(30), 256, seconds(30)},
      {seconds(30), 257, seconds(60)},      // log2(257) - 8 = 0.0056 -> 1
      {seconds(30), 512, seconds(60)},      // exactly one doubling
      {seconds(30), 513, seconds(90)},      // 9.0028 - 8 -> 2
      {seconds(30), 1024, seconds(90)},
      {seconds(30), 10000, seconds(210)},   // log2(10000) = 13.29 -> 6, times 7
      {seconds(30), 65536, seconds(270)},   // 16 - 8 = 8, times 9
      {Duration(0), 10000, Duration(0)},    // 0 disables, at any size
      {seconds(30), kHugeN, seconds(1710)}, // log2(2^64) = 64 -> 56, times 57
  };
  for (const Case& c : cases) {
    CAPTURE(c.base.count());
    CAPTURE(c.n);
    CHECK(push_pull_interval(c.base, c.n).count() == c.expected.count());
  }
}

TEST_CASE("catch_up_interval is 1 s per 256 members, rounded up") {
  struct Case {
    std::size_t n;
    Duration expected;
  };
  const Case cases[] = {
      {0, seconds(1)},   {1, seconds(1)},    {200, seconds(1)},     {256, seconds(1)},
      {257, seconds(2)}, {2000, seconds(8)}, {10000, seconds(40)},
  };
  for (const Case& c : cases) {
    CAPTURE(c.n);
    CHECK(catch_up_interval(c.n).count() == c.expected.count());
  }
}

TEST_CASE("scale_by_health multiplies a timeout by health + 1") {
  struct Case {
    Duration timeout;
    int health;
    Duration expected;
  };
  const Case cases[] = {
      {milliseconds(500), 0, milliseconds(500)},  // healthy: unchanged
      {milliseconds(500), 1, seconds(1)},
      {milliseconds(500), 7, seconds(4)},          // the default max multiplier, 8
      {milliseconds(250), 15, seconds(4)},         // the largest allowed max multiplier, 16
      {milliseconds(500), -3, milliseconds(500)},  // a negative score counts as healthy
      {Duration(0), 5, Duration(0)},
      {hours(6), 15, hours(96)},
  };
  for (const Case& c : cases) {
    CAPTURE(c.timeout.count());
    CAPTURE(c.health);
    CHECK(scale_by_health(c.timeout, c.health).count() == c.expected.count());
  }
}

// health + 1 in int would overflow at INT_MAX although the result, 2^31 timeouts,
// fits a Duration easily: the sum is done in Duration's 64-bit rep.
TEST_CASE("scale_by_health does not overflow for the largest int health") {
  CHECK(scale_by_health(seconds(1), INT_MAX).count() == Duration(seconds(2'147'483'648LL)).count());
}

}  // namespace
}  // namespace swell::swim
