// The simulator's promise: one seed, one run, byte for byte. A different seed gives a
// different run. Clock skew, which the core must never notice, leaves the run identical.
#include <doctest/doctest.h>

#include <algorithm>

#include "default_run.h"
#include "scenario_files.h"
#include "scenario_runner.h"

namespace swell::sim {
namespace {

std::string transcript_of(Scenario scenario, std::optional<std::uint64_t> seed = std::nullopt) {
  scenario.transcript = true;
  return run_scenario(scenario, seed).json.dump();
}

TEST_CASE("the same seed gives a byte-identical report and event transcript") {
  const Scenario scenario = testing::scenario_file("crash_detection");
  const std::string first = transcript_of(scenario);
  const std::string second = transcript_of(scenario);
  CHECK(first.size() > 1000);
  CHECK(first == second);
  CHECK(first.find("\"transcript\"") != std::string::npos);
}

TEST_CASE("a different seed gives a different transcript") {
  const Scenario scenario = testing::scenario_file("crash_detection");
  const auto a = run_scenario(scenario, 7).json;
  const auto b = run_scenario(scenario, 8).json;
  CHECK(a["digest"] != b["digest"]);
  CHECK(transcript_of(scenario, 7) != transcript_of(scenario, 8));
}

TEST_CASE("a scenario with loss, partitions and a restart is deterministic too") {
  for (const char* name : {"false_suspicion_loss", "partition_heal", "restart"}) {
    CAPTURE(name);
    const Scenario scenario = testing::scenario_file(name);
    CHECK(transcript_of(scenario) == transcript_of(scenario));
  }
}

TEST_CASE("the default run is deterministic, wall_s aside") {
  DefaultRunOptions options;
  options.nodes = 12;
  options.steady_s = 20;
  options.loss = 0.1;
  options.seed = 5;
  options.wall_time = false;
  const std::string first = run_default(options).dump();
  CHECK(first == run_default(options).dump());
  CHECK(first.find("wall_s") == std::string::npos);
  options.seed = 6;
  CHECK(first != run_default(options).dump());
}

TEST_CASE("the default run reports every anchor field") {
  DefaultRunOptions options;
  options.nodes = 10;
  options.steady_s = 10;
  options.wall_time = false;
  const auto report = run_default(options);
  for (const char* field : {"join_converge_s", "bytes_per_node_per_s", "packets_per_node_per_s", "false_dead_in_steady",
                            "detect_first_s", "detect_median_s", "detect_last_s", "detect_observers",
                            "dissemination_s", "events"}) {
    CAPTURE(field);
    CHECK(report.contains(field));
    CHECK_FALSE(report[field].is_null());
  }
  CHECK(report["detect_observers"] == 9);
  CHECK(report["false_dead_in_steady"] == 0);
  CHECK(report["detect_first_s"].get<double>() <= report["detect_median_s"].get<double>());
  CHECK(report["detect_median_s"].get<double>() <= report["detect_last_s"].get<double>());
}

TEST_CASE("clock skew of +-30 s leaves the run identical, event for event") {
  const Scenario skewed = testing::scenario_file("clock_skew");
  Scenario plain = skewed;
  std::erase_if(plain.steps, [](const Step& s) { return std::holds_alternative<action::Skew>(s.action); });
  REQUIRE(plain.steps.size() + 2 == skewed.steps.size());
  Scenario skewed_t = skewed, plain_t = plain;
  skewed_t.transcript = plain_t.transcript = true;
  const auto a = run_scenario(skewed_t).json;
  const auto b = run_scenario(plain_t).json;
  CHECK(a["ok"] == true);
  CHECK(b["ok"] == true);
  // The digest covers every byte sent and every event, with world times.
  CHECK(a["digest"] == b["digest"]);
  CHECK(a["transcript"] == b["transcript"]);
  CHECK(a["events"] == b["events"]);
}

}  // namespace
}  // namespace swell::sim
