#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "agent/recent_events.h"

using swell::agent::RecentEvents;

TEST_CASE("RecentEvents keeps the newest capacity events, newest first") {
  RecentEvents ring(3);
  CHECK(ring.newest_first().empty());
  for (int i = 0; i < 5; ++i) ring.push({{"n", i}});
  const auto events = ring.newest_first();
  REQUIRE(events.size() == 3);
  CHECK((*events[0])["n"] == 4);
  CHECK((*events[1])["n"] == 3);
  CHECK((*events[2])["n"] == 2);
  CHECK(ring.total_pushed() == 5);
  CHECK(ring.capacity() == 3);
}

TEST_CASE("RecentEvents defaults to 200 and never has capacity 0") {
  CHECK(RecentEvents().capacity() == 200);
  RecentEvents one(0);
  one.push({{"n", 1}});
  one.push({{"n", 2}});
  REQUIRE(one.newest_first().size() == 1);
  CHECK((*one.newest_first()[0])["n"] == 2);
}

TEST_CASE("RecentEvents: a reader's entries stay valid while a writer overwrites the ring") {
  RecentEvents ring(8);
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 20000; ++i) ring.push({{"n", i}});
    done = true;
  });
  std::size_t reads = 0;
  bool ordered = true;
  while (!done || reads == 0) {
    const auto events = ring.newest_first();
    for (std::size_t k = 1; k < events.size(); ++k) {
      ordered = ordered && (*events[k - 1])["n"].get<int>() > (*events[k])["n"].get<int>();
    }
    ++reads;
  }
  writer.join();
  CHECK(ordered);
  CHECK(ring.total_pushed() == 20000);
  CHECK((*ring.newest_first().front())["n"] == 19999);
}
