#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "agent/seed_names.h"

using swell::agent::resolve_seed_names;

TEST_CASE("numeric seeds pass through, names resolve, duplicates go, unresolvable ones are reported") {
  std::vector<std::string> problems;
  const auto out = resolve_seed_names({"10.0.0.1:7946", "[::1]:7946", "localhost:7000", "10.0.0.1:7946",
                                       "no-such-host.invalid:7946", "nohostport"},
                                      &problems);
  REQUIRE(out.size() >= 3);
  CHECK(out[0] == "10.0.0.1:7946");
  CHECK(out[1] == "[::1]:7946");
  CHECK(out[2] == "127.0.0.1:7000");  // localhost, IPv4 first
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].find("no-such-host.invalid:7946") != std::string::npos);
  CHECK(problems[1].find("nohostport") != std::string::npos);
}
