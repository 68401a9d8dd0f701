// ProbeScheduler: round-robin (every member once per round, joiners in the rest of the
// round) and ring (the successor every period), "probe next" first, filtered members skipped.
#include "swim/probe_scheduler.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

namespace swell::swim {
namespace {

auto all = [](std::uint32_t) { return true; };
// Ring keys by index: member i's key is 1000 * i, so index order is ring order.
auto key_of = [](std::uint32_t i) { return std::uint64_t{1000} * i; };

ProbeScheduler round_robin() { return ProbeScheduler(ProbeOrder::round_robin, 0); }

template <class Probeable>
std::optional<std::uint32_t> next(ProbeScheduler& order, std::uint32_t size, Rng& rng, Probeable&& probeable) {
  return order.next(size, rng, probeable, key_of);
}

// Draws one full round from a fresh scheduler of a table of `size` (self at 0).
std::vector<std::uint32_t> one_round(ProbeScheduler& order, std::uint32_t size, Rng& rng) {
  std::vector<std::uint32_t> seen;
  for (std::uint32_t k = 0; k + 1 < size; ++k) seen.push_back(next(order, size, rng, all).value());
  return seen;
}

TEST_CASE("every member is probed exactly once per round, never ourselves") {
  Rng rng(7);
  ProbeScheduler order = round_robin();
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
  ProbeScheduler order = round_robin();
  std::set<std::vector<std::uint32_t>> rounds;
  for (int round = 0; round < 6; ++round) rounds.insert(one_round(order, 12, rng));
  CHECK(rounds.size() > 1);
}

TEST_CASE("a joiner is placed in the rest of the current round, at varying places") {
  std::map<std::size_t, int> places;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    Rng rng(seed);
    ProbeScheduler order = round_robin();
    for (int k = 0; k < 4; ++k) next(order, 10, rng, all);  // 4 of 9 probed
    order.add(10, key_of(10), rng);                                  // the table grew to 11
    const std::vector<std::uint32_t> rest = order.remaining();
    REQUIRE(rest.size() == 6);
    const auto at = std::find(rest.begin(), rest.end(), 10u);
    REQUIRE(at != rest.end());
    ++places[static_cast<std::size_t>(at - rest.begin())];
    // The rest of the round still probes each remaining member once, joiner included.
    std::vector<std::uint32_t> drained;
    while (drained.size() < 6) drained.push_back(next(order, 11, rng, all).value());
    std::sort(drained.begin(), drained.end());
    CHECK(std::adjacent_find(drained.begin(), drained.end()) == drained.end());
    CHECK(std::count(drained.begin(), drained.end(), 10u) == 1);
  }
  CHECK(places.size() == 6);  // every place among the six remaining is used
}

TEST_CASE("a member added before the first round simply joins the first shuffle") {
  Rng rng(3);
  ProbeScheduler order = round_robin();
  order.add(5, key_of(5), rng);
  CHECK(order.remaining().empty());
  std::vector<std::uint32_t> seen = one_round(order, 6, rng);
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::uint32_t>{1, 2, 3, 4, 5});
}

TEST_CASE("probe_next puts a member at the front of the rest of the round") {
  Rng rng(5);
  ProbeScheduler order = round_robin();
  next(order, 8, rng, all);
  order.probe_next(6);
  CHECK(order.remaining().front() == 6);
  CHECK(next(order, 8, rng, all) == 6u);
}

TEST_CASE("members that cannot be probed are skipped; none probeable gives nothing") {
  Rng rng(9);
  ProbeScheduler order = round_robin();
  auto odd = [](std::uint32_t i) { return i % 2 == 1; };
  std::set<std::uint32_t> seen;
  for (int k = 0; k < 10; ++k) seen.insert(next(order, 9, rng, odd).value());
  CHECK(seen == std::set<std::uint32_t>{1, 3, 5, 7});
  CHECK_FALSE(next(order, 9, rng, [](std::uint32_t) { return false; }).has_value());
  CHECK_FALSE(next(order, 1, rng, all).has_value());  // only ourselves
}

TEST_CASE("indices beyond a shrunken table are skipped, and reset starts a fresh round") {
  Rng rng(13);
  ProbeScheduler order = round_robin();
  next(order, 10, rng, all);
  for (int k = 0; k < 20; ++k) CHECK(next(order, 5, rng, all).value() < 5);
  order.reset();
  CHECK(order.remaining().empty());
  std::vector<std::uint32_t> seen = one_round(order, 4, rng);
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::uint32_t>{1, 2, 3});
}

TEST_CASE("the order is a function of the seed") {
  Rng a(21), b(21);
  ProbeScheduler x = round_robin(), y = round_robin();
  CHECK(one_round(x, 30, a) == one_round(y, 30, b));
}

TEST_CASE("ring order probes the successor every period, wrapping past the largest key") {
  Rng rng(1);
  ProbeScheduler order(ProbeOrder::ring, key_of(3) + 5);  // between members 3 and 4
  for (int k = 0; k < 5; ++k) CHECK(next(order, 8, rng, all) == 4u);
  ProbeScheduler last(ProbeOrder::ring, key_of(7) + 5);   // after every key: wraps to 1
  CHECK(next(last, 8, rng, all) == 1u);
}

TEST_CASE("ring order skips members that cannot be probed and follows one that joins between") {
  Rng rng(1);
  ProbeScheduler order(ProbeOrder::ring, key_of(3) + 5);
  auto not_four = [](std::uint32_t i) { return i != 4; };
  CHECK(next(order, 8, rng, not_four) == 5u);  // 4 is dead: the next one after it
  CHECK(next(order, 8, rng, all) == 5u);       // cached until a closer one becomes live
  order.became_live(4, key_of(4));             // 4 recovered
  CHECK(next(order, 8, rng, all) == 4u);
  // Joiners at indices 8 (right after us) and 9 (further on).
  auto joined_key = [](std::uint32_t i) { return i == 8 ? key_of(3) + 10 : i == 9 ? key_of(6) + 1 : key_of(i); };
  order.add(8, joined_key(8), rng);
  CHECK(order.next(9, rng, all, joined_key) == 8u);
  order.add(9, joined_key(9), rng);  // changes nothing
  CHECK(order.next(10, rng, all, joined_key) == 8u);
}

TEST_CASE("ring order notices a moved index and rescans") {
  Rng rng(1);
  ProbeScheduler order(ProbeOrder::ring, key_of(3) + 5);
  REQUIRE(next(order, 8, rng, all) == 4u);
  // The table removed a member: index 4 now holds what was member 7.
  auto moved_key = [](std::uint32_t i) { return i == 4 ? key_of(7) : key_of(i); };
  CHECK(order.next(7, rng, all, moved_key) == 5u);
  order.probe_next(2);  // a suspect to check comes first, in ring order too
  CHECK(next(order, 8, rng, all) == 2u);
  CHECK_FALSE(next(order, 1, rng, all).has_value());
}

}  // namespace
}  // namespace swell::swim
