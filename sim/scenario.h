// Scenario: a failure scenario written as a TOML file (docs/simulator.md gives the
// format), parsed into plain values. Parsing never throws: every mistake comes back as
// an Error whose message names the file, the line and the key.
//
//   auto table = swell::sim::load_scenario_file("sim/scenarios/crash_detection.toml");
//   if (!table.ok()) { std::cerr << table.error().message << "\n"; return 2; }
//   auto scenario = swell::sim::parse_scenario(table.value());
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "forgery.h"
#include "network_model.h"
#include "world.h"
#include "swell/config.h"
#include "swell/events.h"
#include "swell/peer_info.h"
#include "swell/result.h"

namespace swell::sim {

/// Which members a step names: a list of indices, or every (up) member.
struct Selector {
  /// How the set is chosen.
  enum class Kind : std::uint8_t {
    list,    ///< Exactly `members`.
    all,     ///< Every member, up or not.
    all_up,  ///< Every member up when the step runs (or, for a pending check, now).
  };
  Kind kind = Kind::list;              ///< How.
  std::vector<std::uint32_t> members;  ///< For list: ascending, no duplicates.
};

/// What a step does; docs/simulator.md describes each one's keys.
enum class Action : std::uint8_t {
  join_all,           ///< Every member joins through seed_member.
  join,               ///< `member` join through `seeds`.
  crash,              ///< `member` stop without a word.
  restart,            ///< Crashed `member` come back with the same identity.
  leave,              ///< `member` leave gracefully.
  set_info,           ///< `member` announce new PeerInfo.
  partition,          ///< Every pair of `sides` is cut off both ways.
  partition_one_way,  ///< Nothing from `from` reaches `to`.
  heal,               ///< Lift every partition.
  loss,               ///< Uniform datagram loss p.
  inbound_loss,       ///< Datagrams into `member` are lost with probability p.
  latency,            ///< One-way latency [min_ms, max_ms], for every link or from -> to.
  slow,               ///< `member` handle their inputs delay_ms late.
  skew,               ///< `member` clocks read skew_ms ahead (negative: behind).
  forge_alive,        ///< `attacker` sends `to` an alive claim for `member` it signed itself.
  expect,             ///< `observer` see `member` in `state` (now, or within `within` s).
  expect_converged,   ///< Every up member sees every up member alive (now or within).
  expect_events,      ///< Between `since` and now, events of `kind` count in [min, max].
  end,                ///< Nothing: the run ends here (or at `duration`, if later).
};

/// "join_all", "crash", ...
std::string_view to_string(Action action);

/// One [[step]]; only the fields its action uses are set.
struct Step {
  double at_s = 0;                       ///< When, in simulated seconds.
  Action action = Action::end;           ///< What.
  std::uint32_t line = 0;                ///< Where in the file (for reports).
  std::string note;                      ///< Optional free text, copied to the report.
  Selector member;                       ///< Subjects (most actions).
  Selector observer;                     ///< expect*: whose views.
  Selector from, to;                     ///< partition_one_way, latency.
  std::vector<Selector> sides;           ///< partition.
  std::vector<std::uint32_t> seeds;      ///< join, restart, join_all (one).
  double p = 0;                          ///< loss, inbound_loss.
  LatencyRange latency;                  ///< latency.
  bool per_link = false;                 ///< latency: from/to given (else every link).
  bool both = true;                      ///< latency with from/to: also to -> from.
  Duration delay{0};                     ///< slow.
  Duration skew{0};                      ///< skew.
  std::uint32_t attacker = 0;            ///< forge_alive.
  std::uint64_t incarnation_bump = 1;    ///< forge_alive: above the target's view.
  Forgery forgery = Forgery::resigned;   ///< forge_alive.
  // expect
  std::vector<std::optional<MemberState>> states;  ///< Any of these (nullopt: unknown).
  std::optional<double> within_s;        ///< Wait up to this long for it to hold.
  std::optional<std::string> metadata;   ///< expect: announced metadata (UTF-8 bytes).
  std::optional<std::uint64_t> min_incarnation;  ///< expect: incarnation at least.
  bool newer_than_crash = false;         ///< expect: incarnation above its own at its last crash.
  // expect_events
  std::vector<MembershipEvent::Kind> kinds;  ///< Which kinds count.
  double since_s = 0;                    ///< Window start.
  std::optional<std::uint64_t> min_count, max_count;  ///< Bounds (inclusive).
  // set_info
  std::optional<std::string> info_metadata, info_address, info_id;  ///< New values.
  std::optional<NodeType> info_node_type;   ///< New role.
  std::optional<bool> info_is_load_balancer;  ///< New flag.
  std::optional<std::uint16_t> info_metrics_port;  ///< New port.
};

/// A whole scenario file.
struct Scenario {
  std::string name;               ///< `name`, or the file's stem.
  std::uint64_t seed = 1;         ///< `seed` (the command line may override it).
  std::uint32_t nodes = 0;        ///< `nodes`, 2..100000.
  std::string preset = "lan";     ///< `preset`.
  Config config;                  ///< The preset plus [config] overrides, validated.
  PairKeys pair_keys = PairKeys::real;  ///< `auth = "real"` (default) or `"fast"` (hashed pair keys).
  LatencyRange latency;           ///< [network] latency_ms.
  double loss = 0;                ///< [network] loss.
  double inbound_loss = 0;        ///< [network] inbound_loss (every member).
  double duration_s = 0;          ///< `duration`, or the last step's time.
  bool transcript = false;        ///< `transcript`: list every membership event in the report.
  std::vector<Step> steps;        ///< Sorted by at_s; ties keep file order.
};

/// Reads and parses a TOML file; errors carry "path:line:column: what".
Result<toml::table> load_scenario_file(const std::string& path);
/// Parses TOML text (source_name is used in messages).
Result<toml::table> parse_scenario_text(std::string_view text, std::string source_name);
/// Checks and converts a parsed table; errors name the line and the key.
Result<Scenario> parse_scenario(const toml::table& table);

}  // namespace swell::sim
