// LinkQuality: windows of direct-ping outcomes, the baseline of the other members (30-60
// s old at most), and what counts as degraded.
#include "swim/link_quality.h"

#include <doctest/doctest.h>

#include "fixtures/sample_messages.h"

namespace swell::swim {
namespace {

using std::chrono::seconds;

NodeId id(std::uint8_t n) { return fixtures::identity(n).id(); }

Time at(int s) { return Time(std::chrono::duration_cast<Duration>(seconds(s))); }

// Fills member's window with `pings` outcomes at the given answered fraction, one probe
// of four pings a second from `start`.
void feed(LinkQuality& q, const NodeId& member, int pings, double answered_fraction, int start) {
  for (int i = 0; i < pings / 4; ++i) q.record(member, 4, static_cast<int>(4 * answered_fraction + 0.5), at(start + i));
}

TEST_CASE("a member answering a fifth of its pings is degraded against others answering all") {
  LinkQuality q;
  feed(q, id(2), 32, 1.0, 0);   // the others: every ping answered
  feed(q, id(3), 48, 0.25, 0);  // the lossy one
  CHECK(q.degraded(id(3), 0.5, at(12)));
  CHECK_FALSE(q.degraded(id(2), 0.5, at(12)));
  CHECK_FALSE(q.degraded(id(3), 0, at(12)));  // 0 turns it off
}

TEST_CASE("under loss everywhere no member stands out") {
  LinkQuality q;
  feed(q, id(2), 48, 0.5, 0);
  feed(q, id(3), 48, 0.5, 0);
  CHECK_FALSE(q.degraded(id(3), 0.5, at(12)));
  const auto relative = q.window_relative(id(3), at(12));
  REQUIRE(relative);
  CHECK(*relative == doctest::Approx(1.0));
}

TEST_CASE("a window must be full before it condemns") {
  LinkQuality q;
  feed(q, id(2), 32, 1.0, 0);
  feed(q, id(3), LinkQuality::kWindow - 4, 0.0, 0);
  CHECK_FALSE(q.degraded(id(3), 0.5, at(12)));
  q.record(id(3), 4, 0, at(12));
  CHECK(q.degraded(id(3), 0.5, at(12)));
}

TEST_CASE("the baseline forgets outcomes older than two buckets, and needs kMinBaseline of them") {
  LinkQuality q;
  CHECK_FALSE(q.baseline_without(id(3), at(0)));
  feed(q, id(2), LinkQuality::kMinBaseline - 4, 1.0, 0);
  CHECK_FALSE(q.baseline_without(id(3), at(5)));  // too few
  q.record(id(2), 4, 2, at(5));
  const auto baseline = q.baseline_without(id(3), at(5));
  REQUIRE(baseline);
  CHECK(*baseline == doctest::Approx((LinkQuality::kMinBaseline - 2.0) / LinkQuality::kMinBaseline));
  CHECK_FALSE(q.baseline_without(id(2), at(5)));  // its own outcomes never count
  CHECK_FALSE(q.baseline_without(id(3), at(5) + 2 * LinkQuality::kBucket));  // gone stale
  // Without a baseline, a full window is compared with every ping answered.
  feed(q, id(3), LinkQuality::kWindow, 0.25, 200);
  CHECK(q.degraded(id(3), 0.5, at(300)));
  CHECK_FALSE(q.relative(id(3), 1, 4, at(300)));
}

TEST_CASE("answers beyond what was sent are clamped, and tracking is bounded") {
  LinkQuality q(2);
  q.record(id(2), 4, 9, at(0));
  q.record(id(3), 0, 0, at(0));  // nothing sent: nothing recorded
  CHECK(q.size() == 1);
  q.record(id(3), 4, 4, at(1));
  q.record(id(4), 4, 4, at(2));  // forgets id(2), the least recently probed
  CHECK(q.size() == 2);
  feed(q, id(3), 16, 1.0, 3);
  const auto baseline = q.baseline_without(id(4), at(10));
  REQUIRE(baseline);
  CHECK(*baseline == doctest::Approx(1.0));
  q.forget(id(3));
  CHECK(q.size() == 1);
}

}  // namespace
}  // namespace swell::swim
