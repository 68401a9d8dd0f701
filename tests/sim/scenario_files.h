// Loads a scenario file from sim/scenarios for the tests.
#pragma once

#include <string>

#include <doctest/doctest.h>

#include "scenario.h"

namespace swell::sim::testing {

/// sim/scenarios/<name>.toml, parsed; fails the test if it does not parse.
inline Scenario scenario_file(const std::string& name) {
  const std::string path = std::string(SWELL_SCENARIO_DIR) + "/" + name + ".toml";
  auto table = load_scenario_file(path);
  REQUIRE_MESSAGE(table.ok(), (table.ok() ? std::string() : table.error().message));
  auto scenario = parse_scenario(table.value());
  REQUIRE_MESSAGE(scenario.ok(), (scenario.ok() ? std::string() : scenario.error().message));
  return scenario.value();
}

}  // namespace swell::sim::testing
