// Every scenario file in sim/scenarios, run through the same code path as
// `swell-sim --scenario FILE` with the file's own seed. A failure prints the check's
// line, time and what was seen; reproduce it with the command in the message.
#include <doctest/doctest.h>

#include "scenario_files.h"
#include "scenario_runner.h"

namespace swell::sim {
namespace {

void run_file(const std::string& name) {
  const Scenario scenario = testing::scenario_file(name);
  const ScenarioReport report = run_scenario(scenario);
  INFO("reproduce: build/sim/swell-sim --scenario sim/scenarios/" << name << ".toml --seed " << scenario.seed);
  for (const std::string& failure : report.failures) MESSAGE(failure);
  CHECK(report.ok);
  CHECK(report.json["checks_failed"] == 0);
  CHECK(report.json["checks_passed"].get<std::size_t>() >= 2);
}

TEST_CASE("scenario: a crashed member is declared failed by everyone, and only it") { run_file("crash_detection"); }

TEST_CASE("scenario: false suspicions under 30% inbound loss are refuted") { run_file("false_suspicion_loss"); }

TEST_CASE("scenario: 50/50 partition for 60 s, then full membership within 60 s of the heal") {
  run_file("partition_heal");
}

// Regression: a suspicion's final check used to preempt the probe under way, which
// could be another suspect's final check, leaving that suspicion hanging forever.
TEST_CASE("scenario: 16/16 partition of 32 members, then full membership") { run_file("partition_heal_32"); }

TEST_CASE("scenario: a one-way partition isolates one member without condemning others") {
  run_file("one_way_partition");
}

TEST_CASE("scenario: a member that hears nothing cannot get the members it accuses declared failed") {
  run_file("one_way_partition_inbound");
}

TEST_CASE("scenario: a member slow for 10 minutes is held down, not flapping, and back within 30 s") {
  run_file("slow_member");
}

TEST_CASE("scenario: a member paused for 3 s is not declared failed") { run_file("pause"); }

TEST_CASE("scenario: WAN preset, a member paused for its 6 s stall_tolerance is not declared failed") {
  run_file("pause_wan");
}

TEST_CASE("scenario: 60% outbound loss at one member: held down once, nobody healthy failed, back within 30 s") { run_file("outbound_loss"); }
TEST_CASE("scenario: a 3 s pause at 200 members: nobody declared failed") { run_file("pause_200"); }
TEST_CASE("scenario: Rapid's egress loss: 2 of 200 members losing 80% of what they send are removed and kept out") {
  run_file("rapid_egress_loss");
}
TEST_CASE("scenario: Lifeguard's load: 4 of 64 members 1 s slow, nobody healthy failed, a crash still detected") {
  run_file("lifeguard_slow_members");
}

TEST_CASE("scenario: joins under 30% loss of datagrams and stream segments all succeed") {
  run_file("join_stream_loss");
}

TEST_CASE("scenario: a graceful leave is seen as left, never as failed") { run_file("graceful_leave"); }

TEST_CASE("scenario: a restarted member rejoins with a higher incarnation") { run_file("restart"); }

TEST_CASE("scenario: a PeerInfo update reaches every member") { run_file("peer_info_update"); }

TEST_CASE("scenario: forged alive claims and refutations for another member are rejected") {
  run_file("forged_claim");
}

TEST_CASE("scenario: clock skew of +-30 s changes nothing") { run_file("clock_skew"); }

TEST_CASE("scenario: a name re-used by a new key during a partition has one owner everywhere within 10 s of the heal") {
  run_file("name_conflict_partition");
}

TEST_CASE("a failed check is reported with its line, time and what was seen") {
  auto table = parse_scenario_text(R"(nodes = 4
seed = 2
[[step]]
at = 0
action = "join_all"
[[step]]
at = 5
action = "expect"
member = 1
state = "dead"
)",
                                   "inline.toml");
  REQUIRE(table.ok());
  auto report = run_scenario(table.value());
  REQUIRE(report.ok());
  CHECK_FALSE(report.value().ok);
  REQUIRE(report.value().failures.size() == 1);
  const std::string& failure = report.value().failures.front();
  CHECK(failure.find("line 6") != std::string::npos);  // the [[step]] header
  CHECK(failure.find("5.000 s") != std::string::npos);
  CHECK(failure.find("as alive") != std::string::npos);
  CHECK(failure.find("expected dead") != std::string::npos);
}

TEST_CASE("a check with `within` records when it first held, exactly") {
  auto table = parse_scenario_text(R"(nodes = 6
[[step]]
at = 0
action = "join_all"
[[step]]
at = 0
action = "expect_converged"
within = 10
[[step]]
at = 12
action = "end"
)",
                                   "inline.toml");
  REQUIRE(table.ok());
  auto report = run_scenario(table.value());
  REQUIRE(report.ok());
  CHECK(report.value().ok);
  const auto& entry = report.value().json["timeline"][1];
  CHECK(entry["ok"] == true);
  CHECK(entry["held_at_s"].get<double>() > 0.0);
  CHECK(entry["held_at_s"].get<double>() < 10.0);
  CHECK(report.value().json["duration_s"] == 12.0);
}

}  // namespace
}  // namespace swell::sim
