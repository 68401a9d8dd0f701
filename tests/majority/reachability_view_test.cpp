// ReachabilityView and majority mode's failure rule.
#include <doctest/doctest.h>

#include "majority/reachability_view.h"

using swell::majority::majority_unreachable;
using swell::majority::ReachabilityView;

TEST_CASE("a view's digest is 0 exactly when nobody is listed, and order-free") {
  ReachabilityView view;
  CHECK(view.digest() == 0);
  CHECK(view.set(7, true));
  CHECK_FALSE(view.set(7, true));  // no change
  CHECK(view.digest() != 0);
  CHECK(view.set(3, true));
  const ReachabilityView same({3, 7, 7});
  CHECK(same.digest() == view.digest());
  CHECK(same.list() == std::vector<std::uint64_t>{3, 7});
  CHECK(view.erase(7));
  CHECK(view.erase(3));
  CHECK_FALSE(view.erase(3));
  CHECK(view.digest() == 0);
  CHECK(view.size() == 0);
}

TEST_CASE("different small views have different digests") {
  CHECK(ReachabilityView({1}).digest() != ReachabilityView({2}).digest());
  CHECK(ReachabilityView({1, 2}).digest() != ReachabilityView({3}).digest());
  CHECK(ReachabilityView({1, 2}).digest() != ReachabilityView({1}).digest());
}

TEST_CASE("failed needs strictly more than half of the voters") {
  struct Case {
    std::size_t votes, voters;
    bool failed;
  };
  for (const Case c : {Case{0, 0, false}, Case{1, 1, true}, Case{1, 2, false}, Case{2, 2, true},
                       Case{9, 19, false}, Case{10, 19, true}, Case{10, 20, false}, Case{11, 20, true}}) {
    CAPTURE(c.votes);
    CAPTURE(c.voters);
    CHECK(majority_unreachable(c.votes, c.voters) == c.failed);
  }
}
