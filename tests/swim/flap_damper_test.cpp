// FlapDamper: flaps within the window, hold-downs and probation, and trials of members
// named by another member's hold-down verdict.
#include "swim/flap_damper.h"

#include <doctest/doctest.h>

#include "fixtures/sample_messages.h"

namespace swell::swim {
namespace {

using std::chrono::seconds;
using Result = FlapDamper::TrialResult;

NodeId id(std::uint8_t n) { return fixtures::identity(n).id(); }
Time at(int s) { return Time(std::chrono::duration_cast<Duration>(seconds(s))); }

FlapLimits limits() {
  return FlapLimits{.limit = 3, .window = seconds(120), .hold = seconds(20), .probation_interval = seconds(4),
                    .passes = 3, .trials = 2, .trial_bad_below = 0.4, .trial_interval = seconds(1), .max_tracked = 4};
}

TEST_CASE("three flaps within the window hold a member down; probation lets it back") {
  FlapDamper d(limits());
  CHECK_FALSE(d.record_flap(id(2), at(0)));
  CHECK_FALSE(d.record_flap(id(2), at(10)));
  CHECK_FALSE(d.record_flap(id(2), at(200)));  // the first two left the window
  CHECK_FALSE(d.record_flap(id(2), at(210)));
  REQUIRE(d.record_flap(id(2), at(220)));
  d.hold(id(2), at(220));
  CHECK(d.held(id(2)));
  CHECK_FALSE(d.due(at(230)));  // hold time first
  auto due = d.due(at(240));
  REQUIRE(due);
  CHECK(due->member == id(2));
  CHECK_FALSE(due->trial);
  d.check_started(id(2), at(240));
  CHECK_FALSE(d.due(at(243)));
  CHECK_FALSE(d.record_probation(id(2), true));
  CHECK_FALSE(d.record_probation(id(2), false));  // a bad check starts the count again
  CHECK_FALSE(d.record_probation(id(2), true));
  CHECK_FALSE(d.record_probation(id(2), true));
  CHECK(d.record_probation(id(2), true));
  CHECK_FALSE(d.held(id(2)));
}

TEST_CASE("a trial holds a member down only when its checks together find it bad") {
  FlapDamper d(limits());
  REQUIRE(d.put_on_trial(id(3), at(0), false));
  CHECK(d.on_trial(id(3)));
  CHECK_FALSE(d.put_on_trial(id(3), at(0), false));  // one trial at a time
  auto due = d.due(at(0));
  REQUIRE(due);
  CHECK(due->trial);
  d.check_started(id(3), at(0));
  CHECK_FALSE(d.due(at(0)));
  CHECK(d.due(at(1)));  // the next check of a trial comes a trial interval later
  // 96 pings, 19 answered, controls answered all: 19 < 0.4 * 96 after both checks.
  CHECK(d.record_trial(id(3), 48, 10, 1.0, at(0)) == Result::pending);
  CHECK(d.record_trial(id(3), 48, 9, 1.0, at(1)) == Result::held);
  CHECK(d.held(id(3)));
  CHECK_FALSE(d.on_trial(id(3)));
}

TEST_CASE("a member answering as its controls do is acquitted, and not tried again at once") {
  FlapDamper d(limits());
  REQUIRE(d.put_on_trial(id(4), at(0), true));
  CHECK(d.record_trial(id(4), 48, 20, 0.5, at(0)) == Result::pending);
  CHECK(d.record_trial(id(4), 48, 26, 0.5, at(1)) == Result::acquitted);
  CHECK_FALSE(d.held(id(4)));
  CHECK_FALSE(d.put_on_trial(id(4), at(10), false));  // copies of the verdict still arriving
  CHECK(d.put_on_trial(id(4), at(30), false));        // after the hold time: a new verdict
}

TEST_CASE("our own finding, confirmed, is ours to announce; no control answer acquits") {
  FlapDamper d(limits());
  REQUIRE(d.put_on_trial(id(5), at(0), true));
  d.record_trial(id(5), 48, 1, 1.0, at(0));
  CHECK(d.record_trial(id(5), 48, 0, 1.0, at(1)) == Result::held_ours);
  REQUIRE(d.put_on_trial(id(6), at(0), false));
  d.record_trial(id(6), 48, 0, 0.0, at(0));
  CHECK(d.record_trial(id(6), 48, 0, 0.0, at(1)) == Result::acquitted);
}

TEST_CASE("tracking is bounded: the member changed longest ago is forgotten") {
  FlapDamper d(limits());
  for (std::uint8_t n = 2; n < 8; ++n) d.record_flap(id(n), at(n));
  CHECK(d.size() == 4);
  d.forget(id(7));
  CHECK(d.size() == 3);
}

}  // namespace
}  // namespace swell::swim
