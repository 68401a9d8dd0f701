#include <doctest/doctest.h>

#include <sstream>

#include "agent/wire_demo.h"

TEST_CASE("the main demo authenticates every kind and refuses the tampered copy") {
  std::ostringstream transcript;
  CHECK(swell::agent::run_wire_demo(transcript) == 0);
  const std::string text = transcript.str();
  for (const char* kind : {"ping ", "ack ", "ping-req ", "nack ", "alive ", "suspect ", "dead ", "leave ",
                           "push-pull-request ", "push-pull-response ", "majority-view ", "compound "}) {
    CHECK_MESSAGE(text.find(std::string("\n") + kind) != std::string::npos, kind);
  }
  CHECK(text.find("rejected, bad_mac") != std::string::npos);
  CHECK(text.find("REJECTED") == std::string::npos);
}
