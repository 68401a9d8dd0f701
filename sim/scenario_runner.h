// ScenarioRunner: plays a Scenario on a World and reports every check. The doctest
// suite (tests/sim) and `swell-sim --scenario FILE` both call run_scenario, so each
// scenario file is at once a test and a reproducible command.
//
//   auto table = swell::sim::load_scenario_file("sim/scenarios/partition_heal.toml");
//   auto report = swell::sim::run_scenario(table.value());        // the file's seed
//   if (!report.ok()) { std::cerr << report.error().message; return 2; }
//   std::cout << report.value().json.dump() << "\n";               // ok, timeline, ...
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario.h"

namespace swell::sim {

/// The outcome of one scenario run.
struct ScenarioReport {
  bool ok = true;                     ///< Every check passed and every action succeeded.
  std::vector<std::string> failures;  ///< One line per failed check: where, when, what was seen.
  /// Everything docs/simulator.md lists (timeline, events by kind, traffic, digest, ...),
  /// wall-clock time excluded, so one seed always gives the same bytes.
  nlohmann::json json;
};

/// Runs scenario with seed (its own when nullopt).
ScenarioReport run_scenario(const Scenario& scenario, std::optional<std::uint64_t> seed = std::nullopt);
/// Parses table (errors name the line) and runs it.
Result<ScenarioReport> run_scenario(const toml::table& table, std::optional<std::uint64_t> seed = std::nullopt);

}  // namespace swell::sim
