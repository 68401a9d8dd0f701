// Scenario parsing: the format of docs/simulator.md, and errors that name the line.
#include <doctest/doctest.h>

#include <string>

#include "scenario.h"

namespace swell::sim {
namespace {

Result<Scenario> parse(const std::string& text) {
  auto table = parse_scenario_text(text, "test.toml");
  if (!table.ok()) return table.error();
  return parse_scenario(table.value());
}

// The error message for text, which must fail to parse.
std::string error_of(const std::string& text) {
  auto scenario = parse(text);
  REQUIRE_FALSE(scenario.ok());
  return scenario.error().message;
}

TEST_CASE("a full scenario parses into steps sorted by time") {
  auto sc = parse(R"(
name = "example"
seed = 7
nodes = 16
preset = "wan"
duration = 100
auth = "fast"
[config]
probe_interval = 2500
suspicion_mult = 3
peer_info.max_metadata_bytes = 200
[network]
latency_ms = [0.2, 0.6]
loss = 0.01
inbound_loss = 0.02
[[step]]
at = 40
action = "expect"
observer = "all_up"
member = 3
state = ["dead", "left"]
within = 5
[[step]]
at = 0
action = "join_all"
seed_member = 2
[[step]]
at = 10
action = "partition"
sides = ["0..7", [8, 9, 10], "11..15"]
[[step]]
at = 10
action = "latency"
min_ms = 50
max_ms = 80
from = "0..3"
to = 12
both = false
)");
  REQUIRE_MESSAGE(sc.ok(), (sc.ok() ? "" : sc.error().message));
  const Scenario& s = sc.value();
  CHECK(s.name == "example");
  CHECK(s.seed == 7);
  CHECK(s.nodes == 16);
  CHECK(s.config.probe_interval == std::chrono::milliseconds(2500));
  CHECK(s.config.probe_timeout == Config::wan().probe_timeout);
  CHECK(s.config.suspicion_mult == 3.0);
  CHECK(s.config.peer_info.max_metadata_bytes == 200);
  CHECK(s.pair_keys == PairKeys::hashed);
  CHECK(s.latency.min == std::chrono::microseconds(200));
  CHECK(s.loss == 0.01);
  CHECK(s.inbound_loss == 0.02);
  CHECK(s.duration_s == 100);
  REQUIRE(s.steps.size() == 4);
  const auto* join_all = std::get_if<action::JoinAll>(&s.steps[0].action);
  REQUIRE(join_all != nullptr);
  CHECK(join_all->seed_member == 2);
  const auto* partition = std::get_if<action::Partition>(&s.steps[1].action);  // same time: file order kept
  REQUIRE(partition != nullptr);
  REQUIRE(partition->sides.size() == 3);
  CHECK(partition->sides[1].members == std::vector<std::uint32_t>{8, 9, 10});
  const auto* latency = std::get_if<action::Latency>(&s.steps[2].action);
  REQUIRE(latency != nullptr);
  CHECK(latency->per_link);
  CHECK_FALSE(latency->both);
  CHECK(latency->from.members == std::vector<std::uint32_t>{0, 1, 2, 3});
  const auto* expect = std::get_if<action::Expect>(&s.steps[3].action);
  REQUIRE(expect != nullptr);
  CHECK(expect->observer.kind == Selector::Kind::all_up);
  CHECK(expect->states.size() == 2);
  CHECK(expect->within_s == 5.0);
  CHECK(s.steps[3].line == 16);  // its [[step]] header
}

TEST_CASE("selectors: index, list, ranges, all, all_up") {
  auto sc = parse(R"(nodes = 12
[[step]]
at = 1
action = "crash"
member = "0..2, 5, 9..11"
[[step]]
at = 2
action = "crash"
member = [4, 3, 4]
[[step]]
at = 3
action = "restart"
member = "all"
)");
  REQUIRE(sc.ok());
  CHECK(std::get<action::Crash>(sc.value().steps[0].action).member.members ==
        std::vector<std::uint32_t>{0, 1, 2, 5, 9, 10, 11});
  CHECK(std::get<action::Crash>(sc.value().steps[1].action).member.members == std::vector<std::uint32_t>{3, 4});
  CHECK(std::get<action::Restart>(sc.value().steps[2].action).member.kind == Selector::Kind::all);
  CHECK(sc.value().duration_s == 3.0);
}

TEST_CASE("slow_input parses a delay and an optional end, and refuses bad values") {
  auto sc = parse(R"(nodes = 8
[[step]]
at = 5
action = "slow_input"
member = [1, 3]
delay_ms = 1500
until = 65.5
[[step]]
at = 70
action = "slow_input"
member = 1
delay_ms = 0
)");
  REQUIRE_MESSAGE(sc.ok(), (sc.ok() ? "" : sc.error().message));
  const auto& late = std::get<action::SlowInput>(sc.value().steps[0].action);
  CHECK(late.member.members == std::vector<std::uint32_t>{1, 3});
  CHECK(late.delay == std::chrono::milliseconds(1500));
  CHECK(late.until_s == 65.5);
  const auto& lifted = std::get<action::SlowInput>(sc.value().steps[1].action);
  CHECK(lifted.delay.count() == 0);
  CHECK_FALSE(lifted.until_s.has_value());

  const std::string head = "nodes = 4\n[[step]]\nat = 10\naction = \"slow_input\"\nmember = 1\n";
  CHECK(error_of(head + "delay_ms = -1\n").find("test.toml:6") == 0);
  CHECK(error_of(head + "delay_ms = -1\n").find("'delay_ms' must be 0..60000") != std::string::npos);
  CHECK(error_of(head + "delay_ms = 60001\n").find("'delay_ms' must be 0..60000") != std::string::npos);
  CHECK(error_of(head + "delay_ms = \"slow\"\n").find("delay_ms") != std::string::npos);
  CHECK(error_of(head).find("delay_ms") != std::string::npos);  // required
  CHECK(error_of(head + "delay_ms = 500\nuntil = 10\n").find("'until' must be after 'at'") != std::string::npos);
  CHECK(error_of(head + "delay_ms = 500\nuntil = 10\n").find("test.toml:7") == 0);
  CHECK(error_of(head + "delay_ms = 500\ntimers = false\n").find("unknown key 'timers'") != std::string::npos);
}

TEST_CASE("errors name the file, the line and the problem") {
  struct Case {
    const char* text;
    const char* line;
    const char* says;
  };
  const Case cases[] = {
      {"nodes = 4\n[[step]]\nat = 1\naction = \"crash\"\nmember = 9\n", "test.toml:5", "member index"},
      {"nodes = 4\n[[step]]\nat = 1\naction = \"crush\"\n", "test.toml:4", "unknown action 'crush'"},
      {"nodes = 4\n[[step]]\nat = 1\naction = \"crash\"\nmember = 1\ncolour = 2\n", "test.toml:6", "unknown key 'colour'"},
      {"nodes = 4\n[[step]\nat = 1\n", "test.toml:2", ""},  // TOML syntax error
      {"nodes = 4\n[config]\nprobe_intervall = 100\n", "test.toml:3", "unknown config field 'probe_intervall'"},
      {"nodes = 4\n[config]\nprobe_timeout = 5000\n", "test.toml:2", "probe_interval"},
      {"nodes = 1\n", "test.toml:1", "'nodes'"},
      {"seed = 3\n", "test.toml", "missing 'nodes'"},
      {"nodes = 4\nnodez = 3\n", "test.toml:2", "unknown key 'nodez'"},
      {"nodes = 4\n[network]\nloss = 2\n", "test.toml:3", "loss"},
      {"nodes = 4\n[[step]]\nat = -1\naction = \"heal\"\n", "test.toml:3", "'at'"},
      {"nodes = 4\n[[step]]\nat = 1\naction = \"expect\"\nmember = 1\nstate = \"zombie\"\n", "test.toml:6", "state"},
      {"nodes = 4\n[[step]]\nat = 1\naction = \"partition\"\nsides = [\"0..2\", \"2..3\"]\n", "test.toml:5",
       "two sides"},
      {"nodes = 4\n[[step]]\nat = 1\naction = \"expect_events\"\nkind = \"failed\"\n", "test.toml:2", "'min', 'max'"},
      {"nodes = 4\n[[step]]\nat = 1\naction = \"crash\"\nmember = \"3..1\"\n", "test.toml:5", "member"},
      {"nodes = 4\n[[step]]\nat = 1\naction = \"forge_alive\"\nattacker = 1\nmember = 1\nto = 0\n", "test.toml:2",
       "three different"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const std::string message = error_of(c.text);
    CAPTURE(message);
    CHECK(message.find(c.line) == 0);
    CHECK(message.find(c.says) != std::string::npos);
  }
}

TEST_CASE("a missing file is an io error, not an exception") {
  auto table = load_scenario_file("/nonexistent/scenario.toml");
  REQUIRE_FALSE(table.ok());
  CHECK(table.error().code == ErrorCode::io);
}

}  // namespace
}  // namespace swell::sim
