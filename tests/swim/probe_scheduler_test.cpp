// ProbeScheduler: every member once per round, joiners in the rest of the round,
// "probe next" at the front, filtered members skipped.
#include "swim/probe_scheduler.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

namespace swell::swim {
namespace {

auto all = [](std::uint32_t) { return true; };

// Draws one full round from a fresh scheduler of a table of `size` (self at 0).
std::vector<std::uint32_t> one_round(ProbeScheduler& order, std::uint32_t size, Rng& rng) {
  std::vector<std::uint32_t> seen;
  for (std::uint32_t k = 0; k + 1 < size; ++k) seen.push_back(order.next(size, rng, all).value());
  return seen;
}

TEST_CASE("every member is probed exactly once per round, never ourselves") {
  Rng rng(7);
  ProbeScheduler order;
  for (int round = 0; round < 5; ++round) {
    std::vector<std::uint32_t> seen = one_round(order, 20, rng);
    std::sort(seen.begin(), seen.end());
    std::vector<std::uint32_t> expected(19);
    std::iota(expected.begin(), expected.end(), 1u);
    CHECK(seen == expected);
  }
}

TEST_CASE("rounds are reshuffled") {
  Rng rng(11);
  ProbeScheduler order;
  std::set<std::vector<std::uint32_t>> rounds;
  for (int round = 0; round < 6; ++round) rounds.insert(one_round(order, 12, rng));
  CHECK(rounds.size() > 1);
}

TEST_CASE("a joiner is placed in the rest of the current round, at varying places") {
  std::map<std::size_t, int> places;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    Rng rng(seed);
    ProbeScheduler order;
    for (int k = 0; k < 4; ++k) order.next(10, rng, all);  // 4 of 9 probed
    order.add(10, rng);                                    // the table grew to 11
    const std::vector<std::uint32_t> rest = order.remaining();
    REQUIRE(rest.size() == 6);
    const auto at = std::find(rest.begin(), rest.end(), 10u);
    REQUIRE(at != rest.end());
    ++places[static_cast<std::size_t>(at - rest.begin())];
    // The rest of the round still probes each remaining member once, joiner included.
    std::vector<std::uint32_t> drained;
    while (drained.size() < 6) drained.push_back(order.next(11, rng, all).value());
    std::sort(drained.begin(), drained.end());
    CHECK(std::adjacent_find(drained.begin(), drained.end()) == drained.end());
    CHECK(std::count(drained.begin(), drained.end(), 10u) == 1);
  }
  CHECK(places.size() == 6);  // every place among the six remaining is used
}

TEST_CASE("a member added before the first round simply joins the first shuffle") {
  Rng rng(3);
  ProbeScheduler order;
  order.add(5, rng);
  CHECK(order.remaining().empty());
  std::vector<std::uint32_t> seen = one_round(order, 6, rng);
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::uint32_t>{1, 2, 3, 4, 5});
}

TEST_CASE("probe_next puts a member at the front of the rest of the round") {
  Rng rng(5);
  ProbeScheduler order;
  order.next(8, rng, all);
  order.probe_next(6);
  CHECK(order.remaining().front() == 6);
  CHECK(order.next(8, rng, all) == 6u);
}

TEST_CASE("members that cannot be probed are skipped; none probeable gives nothing") {
  Rng rng(9);
  ProbeScheduler order;
  auto odd = [](std::uint32_t i) { return i % 2 == 1; };
  std::set<std::uint32_t> seen;
  for (int k = 0; k < 10; ++k) seen.insert(order.next(9, rng, odd).value());
  CHECK(seen == std::set<std::uint32_t>{1, 3, 5, 7});
  CHECK_FALSE(order.next(9, rng, [](std::uint32_t) { return false; }).has_value());
  CHECK_FALSE(order.next(1, rng, all).has_value());  // only ourselves
}

TEST_CASE("indices beyond a shrunken table are skipped, and reset starts a fresh round") {
  Rng rng(13);
  ProbeScheduler order;
  order.next(10, rng, all);
  for (int k = 0; k < 20; ++k) CHECK(order.next(5, rng, all).value() < 5);
  order.reset();
  CHECK(order.remaining().empty());
  std::vector<std::uint32_t> seen = one_round(order, 4, rng);
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::uint32_t>{1, 2, 3});
}

TEST_CASE("the order is a function of the seed") {
  Rng a(21), b(21);
  ProbeScheduler x, y;
  CHECK(one_round(x, 30, a) == one_round(y, 30, b));
}

}  // namespace
}  // namespace swell::swim
