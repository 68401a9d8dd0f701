// AccuserBudget: refuted and dropped accusations cost points, points decay, and an
// accuser at its budget is silenced until enough have decayed.
#include "swim/accuser_budget.h"

#include <doctest/doctest.h>

#include "fixtures/sample_messages.h"

namespace swell::swim {
namespace {

using std::chrono::seconds;

NodeId id(std::uint8_t n) { return fixtures::identity(n).id(); }
Time at(int s) { return Time(std::chrono::duration_cast<Duration>(seconds(s))); }

AccuserLimits limits() { return AccuserLimits{.budget = 4, .half_life = seconds(60), .max_tracked = 3}; }

TEST_CASE("an accuser is believed until its refuted accusations reach the budget") {
  AccuserBudget b(limits());
  CHECK_FALSE(b.exhausted(id(1), at(0)));
  for (int i = 0; i < 3; ++i) b.charge(id(1), at(0));
  CHECK(b.points(id(1), at(0)) == doctest::Approx(3));
  CHECK_FALSE(b.exhausted(id(1), at(0)));
  b.charge(id(1), at(0));
  CHECK(b.exhausted(id(1), at(0)));
  CHECK_FALSE(b.exhausted(id(2), at(0)));  // one accuser's lies cost no one else
}

TEST_CASE("points halve every half-life, so a quiet accuser is believed again") {
  AccuserBudget b(limits());
  for (int i = 0; i < 8; ++i) b.charge(id(1), at(0));
  CHECK(b.points(id(1), at(60)) == doctest::Approx(4));
  CHECK(b.exhausted(id(1), at(59)));
  CHECK_FALSE(b.exhausted(id(1), at(61)));
  CHECK(b.points(id(1), at(120)) == doctest::Approx(2));
}

TEST_CASE("an accuser that keeps accusing while silenced stays silenced") {
  AccuserBudget b(limits());
  for (int i = 0; i < 5; ++i) b.charge(id(1), at(0));
  // One dropped accusation every 10 s: each is charged, so the points never decay
  // below the budget (they climb towards 8.2, where a point every 10 s equals the decay).
  for (int t = 10; t <= 600; t += 10) {
    CHECK(b.exhausted(id(1), at(t)));
    b.charge(id(1), at(t));
  }
}

TEST_CASE("a zero budget never silences anyone") {
  AccuserBudget b(AccuserLimits{.budget = 0, .half_life = seconds(60), .max_tracked = 3});
  for (int i = 0; i < 100; ++i) b.charge(id(1), at(0));
  CHECK_FALSE(b.exhausted(id(1), at(0)));
}

TEST_CASE("memory is bounded: the most believed accuser is forgotten first") {
  AccuserBudget b(limits());
  b.charge(id(1), at(0));
  for (int i = 0; i < 5; ++i) b.charge(id(2), at(0));
  for (int i = 0; i < 3; ++i) b.charge(id(3), at(0));
  b.charge(id(4), at(0));
  CHECK(b.size() == 3);
  CHECK(b.points(id(1), at(0)) == 0);
  CHECK(b.exhausted(id(2), at(0)));
  b.forget(id(2));
  CHECK_FALSE(b.exhausted(id(2), at(0)));
}

}  // namespace
}  // namespace swell::swim
