// counters_of: every counter of NodeStats and TransportStats, once, under its field's name.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "swell/counters.h"

namespace swell {
namespace {

// Gives field i the value i + 1, so each listed value names the field it was read from.
template <class Stats>
Stats numbered() {
  static_assert(sizeof(Stats) % sizeof(std::uint64_t) == 0, "only uint64_t counters");
  Stats s;
  auto* raw = reinterpret_cast<std::uint64_t*>(&s);
  for (std::size_t i = 0; i < sizeof(Stats) / sizeof(std::uint64_t); ++i) raw[i] = i + 1;
  return s;
}

template <class Stats>
void check_every_field_once() {
  const std::vector<Counter> listed = counters_of(numbered<Stats>());
  // If this fails, a counter was added to the struct: add it to lib/runtime/counters.cpp.
  REQUIRE(listed.size() == sizeof(Stats) / sizeof(std::uint64_t));
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < listed.size(); ++i) {
    CAPTURE(listed[i].name);
    CHECK(listed[i].value == i + 1);  // declaration order, each read from its own field
    CHECK(names.insert(listed[i].name).second);
    CHECK(listed[i].name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos);
  }
}

TEST_CASE("counters_of lists every NodeStats and TransportStats counter once, in order") {
  check_every_field_once<NodeStats>();
  check_every_field_once<TransportStats>();
  NodeStats s;
  s.joins_refused = 7;
  bool found = false;
  for (const Counter& c : counters_of(s)) found = found || (c.name == "joins_refused" && c.value == 7);
  CHECK(found);
}

}  // namespace
}  // namespace swell
