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
#include <variant>
#include <vector>

#include <toml++/toml.h>

#include "byzantine.h"
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

/// The actions a [[step]] can take, one struct each: its TOML name (kName) and the
/// values its keys set. docs/simulator.md describes each one's keys; adding an action
/// is a struct here, its entry in Action, a parse_fields() in scenario_actions.cpp and
/// an apply() in scenario_runner.cpp.
namespace action {

/// Every member joins through seed_member, which starts alone.
struct JoinAll {
  static constexpr std::string_view kName = "join_all";  ///< TOML name.
  std::uint32_t seed_member = 0;                          ///< The first member.
};
/// `member` join through `seeds`.
struct Join {
  static constexpr std::string_view kName = "join";  ///< TOML name.
  Selector member;                                    ///< Who joins.
  std::vector<std::uint32_t> seeds;                   ///< Through whom ([0] by default).
};
/// `member` stop without a word.
struct Crash {
  static constexpr std::string_view kName = "crash";  ///< TOML name.
  Selector member;                                     ///< Who crashes.
};
/// Crashed `member` come back with the same identity.
struct Restart {
  static constexpr std::string_view kName = "restart";  ///< TOML name.
  Selector member;                                       ///< Who restarts.
  std::vector<std::uint32_t> seeds;  ///< Empty: the lowest-numbered up member not restarting.
};
/// `member`'s backend is re-created under member `as`'s key (a fresh identity, the old
/// name): `as`, not joined yet, announces member's PeerInfo and joins through `seeds`.
/// `member` runs on unless crashed first, so two live keys claim one name.
struct Recreate {
  static constexpr std::string_view kName = "recreate";  ///< TOML name.
  std::uint32_t member = 0;                               ///< Whose name is re-used.
  std::uint32_t as = 0;                                   ///< The member with the new key.
  std::vector<std::uint32_t> seeds;                       ///< Through whom ([0] by default).
};
/// `member` leave gracefully.
struct Leave {
  static constexpr std::string_view kName = "leave";  ///< TOML name.
  Selector member;                                     ///< Who leaves.
};
/// `member` announce their PeerInfo with the given fields changed.
struct SetInfo {
  static constexpr std::string_view kName = "set_info";  ///< TOML name.
  Selector member;                                        ///< Who announces.
  std::optional<std::string> metadata, address, id;       ///< New values (metadata: UTF-8 bytes).
  std::optional<NodeType> node_type;                      ///< New role.
  std::optional<bool> is_load_balancer;                   ///< New flag.
  std::optional<std::uint16_t> metrics_port;              ///< New port.
};
/// Every pair of `sides` is cut off both ways.
struct Partition {
  static constexpr std::string_view kName = "partition";  ///< TOML name.
  std::vector<Selector> sides;                             ///< Disjoint member lists, two or more.
};
/// Nothing from `from` reaches `to`.
struct PartitionOneWay {
  static constexpr std::string_view kName = "partition_one_way";  ///< TOML name.
  Selector from, to;                                               ///< Senders, receivers.
};
/// Lift every partition.
struct Heal {
  static constexpr std::string_view kName = "heal";  ///< TOML name.
};
/// Uniform datagram loss p.
struct Loss {
  static constexpr std::string_view kName = "loss";  ///< TOML name.
  double p = 0;                                       ///< Probability 0..1.
};
/// Datagrams into `member` are lost with probability p.
struct InboundLoss {
  static constexpr std::string_view kName = "inbound_loss";  ///< TOML name.
  Selector member;                                            ///< Receivers.
  double p = 0;                                               ///< Probability 0..1.
};
/// Datagrams sent by `member` are lost with probability p.
struct OutboundLoss {
  static constexpr std::string_view kName = "outbound_loss";  ///< TOML name.
  Selector member;                                             ///< Senders.
  double p = 0;                                                ///< Probability 0..1.
};
/// `member` freeze for duration_ms, as stopped processes (World::pause).
struct Pause {
  static constexpr std::string_view kName = "pause";  ///< TOML name.
  Selector member;                                     ///< Who is stopped.
  Duration duration{0};                                ///< For how long (> 0).
};
/// One-way latency [min_ms, max_ms], for every link or from -> to.
struct Latency {
  static constexpr std::string_view kName = "latency";  ///< TOML name.
  LatencyRange latency;                                  ///< The range.
  bool per_link = false;                                 ///< from/to given (else every link).
  Selector from, to;                                     ///< With per_link: the links.
  bool both = true;                                      ///< With per_link: also to -> from.
};
/// `member` handle their inputs delay_ms late.
struct Slow {
  static constexpr std::string_view kName = "slow";  ///< TOML name.
  Selector member;                                    ///< Who is slow.
  Duration delay{0};                                  ///< 0 restores normal handling.
};
/// `member` handle their messages delay_ms late while their timers fire on time.
struct SlowInput {
  static constexpr std::string_view kName = "slow_input";  ///< TOML name.
  Selector member;                                          ///< Whose input is late.
  Duration delay{0};                                        ///< 0 lifts it.
  std::optional<double> until_s;                            ///< Messages arriving from then on are not delayed.
};
/// `member` clocks read skew_ms ahead (negative: behind).
struct Skew {
  static constexpr std::string_view kName = "skew";  ///< TOML name.
  Selector member;                                    ///< Whose clocks.
  Duration skew{0};                                   ///< Offset from world time.
};
/// `attacker` sends `to` an alive claim for `member` that it signed itself.
struct ForgeAlive {
  static constexpr std::string_view kName = "forge_alive";  ///< TOML name.
  std::uint32_t attacker = 0;                                ///< Holds only its own key.
  std::uint32_t member = 0;                                  ///< Whose claim is forged.
  std::uint32_t to = 0;                                      ///< Who is lied to.
  std::uint64_t incarnation_bump = 1;                        ///< Above the target's view.
  Forgery forgery = Forgery::resigned;                       ///< How it lies.
};
/// `member` turn Byzantine: from this step on, every `every` s until `until`, each
/// does what `does` lists (ByzantineMember), while its node goes on as before.
struct Byzantine {
  static constexpr std::string_view kName = "byzantine";  ///< TOML name.
  Selector member;                                         ///< Who lies.
  Misbehaviour does;                                       ///< What (all four by default).
  Duration every{std::chrono::seconds(5)};                 ///< Time between acts (> 0).
  std::optional<double> until_s;                           ///< Last act no later than this (default: the run's end).
};
/// A trusted CA (the scenario's [admission] CA) revokes `member`'s key; `via` applies
/// it first and gossip does the rest.
struct Revoke {
  static constexpr std::string_view kName = "revoke";  ///< TOML name.
  Selector member;                                      ///< Whose keys.
  std::uint32_t via = 0;                                ///< The member given the revocation.
};
/// `member` moves to a new key (Node::rotate_key): in allowlist mode the new key is first
/// added to every member's list, in ca mode the scenario's CA certifies it.
struct RotateKey {
  static constexpr std::string_view kName = "rotate_key";  ///< TOML name.
  Selector member;                                          ///< Who rotates.
};
/// What expect and expect_converged check: `observer` see `member` in `states`.
struct ViewCheck {
  Selector observer;                               ///< Whose views ("all_up" by default).
  Selector member;                                 ///< About whom.
  std::vector<std::optional<MemberState>> states;  ///< Any of these (nullopt: unknown).
  std::optional<double> within_s;                  ///< Wait up to this long for it to hold.
  std::optional<std::string> metadata;             ///< Announced metadata (UTF-8 bytes).
  std::optional<std::uint64_t> min_incarnation;    ///< Incarnation at least.
  bool newer_than_crash = false;                   ///< Incarnation above its own at its last crash.
  /// The member whose key owns each subject's name (PeerInfo id) in the observer's view:
  /// name conflicts settled the same at every observer (the subject itself included).
  std::optional<std::uint32_t> name_owner;
};
/// `observer` see `member` in `state` (now, or within `within` s).
struct Expect : ViewCheck {
  static constexpr std::string_view kName = "expect";  ///< TOML name.
};
/// Every up member sees every up member alive (now or within).
struct ExpectConverged : ViewCheck {
  static constexpr std::string_view kName = "expect_converged";  ///< TOML name.
};
/// Between `since` and now, events of `kind` count in [min, max].
struct ExpectEvents {
  static constexpr std::string_view kName = "expect_events";  ///< TOML name.
  std::vector<MembershipEvent::Kind> kinds;                    ///< Which kinds count.
  Selector observer, member;                                   ///< Reported by whom, about whom.
  double since_s = 0;                                          ///< Window start.
  std::optional<std::uint64_t> min_count, max_count;           ///< Bounds (inclusive).
  /// The bounds hold for each selected observer's own count, not for the sum.
  bool per_observer = false;
};
/// Nothing: the run ends here (or at `duration`, if later).
struct End {
  static constexpr std::string_view kName = "end";  ///< TOML name.
};

}  // namespace action

/// What a step does: exactly one of the action structs.
using Action = std::variant<action::JoinAll, action::Join, action::Crash, action::Restart, action::Recreate, action::Leave,
                            action::SetInfo, action::Partition, action::PartitionOneWay, action::Heal,
                            action::Loss, action::InboundLoss, action::OutboundLoss, action::Latency,
                            action::Slow, action::SlowInput, action::Pause, action::Skew, action::ForgeAlive, action::Byzantine, action::Revoke, action::RotateKey, action::Expect,
                            action::ExpectConverged, action::ExpectEvents, action::End>;

/// The TOML name of the action ("join_all", "crash", ...).
std::string_view to_string(const Action& action);
/// How long after its step a check may wait (`within`); 0 for every other action.
double within_of(const Action& action);

/// One [[step]].
struct Step {
  double at_s = 0;           ///< When, in simulated seconds.
  std::uint32_t line = 0;    ///< Where in the file (for reports).
  std::string note;          ///< Optional free text, copied to the report.
  Action action;             ///< What.
};

/// [admission]: who may be a member (docs/simulator.md, "Admission"). With the table,
/// every member also trusts the scenario's CA for revocations, in any mode.
struct ScenarioAdmission {
  bool present = false;                     ///< The file has an [admission] table.
  AdmissionMode mode = AdmissionMode::open; ///< `mode`: "open", "allowlist" or "ca".
  std::vector<std::uint32_t> outsiders;     ///< `outsiders`: not listed, or certified by another CA.
  std::uint64_t ca_seed = 1;                ///< `ca_seed`: the CA key's seed (sim::ClusterCa).
  double certificates_expire_s = 0;         ///< `certificates_expire`: virtual time (0: ten years).
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
  NetworkOptions network;         ///< [network] bursty loss, duplication, reordering, stream links.
  ScenarioAdmission admission;    ///< [admission].
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
