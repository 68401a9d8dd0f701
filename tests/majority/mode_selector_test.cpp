// ModeSelector: the thresholds, and no flapping inside the dead band.
#include <doctest/doctest.h>

#include "majority/mode_selector.h"

using namespace swell::majority;

TEST_CASE("the selector switches only when a threshold is crossed") {
  auto made = ModeSelector::create({.swim_at = 25, .majority_at = 20});
  REQUIRE(made.ok());
  const ModeSelector& s = made.value();
  CHECK(s.initial(5) == Mode::majority);
  CHECK(s.initial(25) == Mode::swim);
  CHECK(s.next(Mode::majority, 24) == Mode::majority);
  CHECK(s.next(Mode::majority, 25) == Mode::swim);
  CHECK(s.next(Mode::swim, 21) == Mode::swim);
  CHECK(s.next(Mode::swim, 20) == Mode::majority);
}

TEST_CASE("a size oscillating around one threshold never flaps the mode") {
  const ModeSelector s = ModeSelector::create({.swim_at = 25, .majority_at = 20}).value();
  Mode mode = Mode::majority;
  int switches = 0;
  for (int round = 0; round < 100; ++round) {
    const std::size_t live = round % 2 == 0 ? 24 : 26;  // around swim_at
    const Mode next = s.next(mode, live);
    switches += next != mode;
    mode = next;
  }
  CHECK(switches == 1);
}

TEST_CASE("thresholds without a dead band are refused") {
  CHECK_FALSE(ModeSelector::create({.swim_at = 20, .majority_at = 20}).ok());
  CHECK_FALSE(ModeSelector::create({.swim_at = 2, .majority_at = 1}).ok());
  CHECK(std::string(to_string(Mode::swim)) == "swim");
}
