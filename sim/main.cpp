// swell-sim: runs swell clusters in the deterministic simulator and prints one JSON
// object. docs/simulator.md lists every flag and field.
//
//   swell-sim --nodes 200 --loss 0.2 --steady 600 --seed 1     # the default run
//   swell-sim --scenario sim/scenarios/partition_heal.toml      # a scenario file
//   swell-sim compare --sizes 5,20,50 --loss 0,0.2 --seeds 3    # majority vs SWIM table
//
// Exit codes: 0 success; 1 a scenario check failed; 2 bad flags or a bad scenario file.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "compare_run.h"
#include "config_fields.h"
#include "default_run.h"
#include "report_fields.h"
#include "scenario_runner.h"

namespace {

constexpr int kUsageError = 2;

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int usage_error(const std::string& message) {
  std::cerr << "swell-sim: " << message << "\nRun swell-sim --help for usage.\n";
  return kUsageError;
}

std::string field_list() {
  std::string out;
  for (const auto& f : swell::sim::config_fields()) {
    out += "\n    " + std::string(f.name);
    if (f.unit == swell::sim::FieldUnit::milliseconds) out += " (ms)";
    if (f.unit == swell::sim::FieldUnit::boolean) out += " (0 or 1)";
  }
  return out;
}

// `swell-sim compare`'s own flags.
struct CompareFlags {
  swell::sim::CompareOptions options;
  std::string format = "both";
};

// Adds the compare subcommand (docs/decision.md).
CLI::App* add_compare(CLI::App& app, CompareFlags& c) {
  CLI::App* sub = app.add_subcommand("compare", "Run majority and SWIM mode at each size and loss; print the table "
                                                "(JSON, then Markdown)");
  swell::sim::CompareOptions& o = c.options;
  sub->add_option("--sizes", o.sizes, "Cluster sizes, comma-separated (5,10,20,25,50,100,200)")
      ->delimiter(',')
      ->check(CLI::Range(3, 100000));
  sub->add_option("--loss", o.losses, "Inbound loss levels, comma-separated (0,0.2)")
      ->delimiter(',')
      ->check(CLI::Range(0.0, 0.95));
  sub->add_option("--seeds", o.seeds, "Seeds per cell (3)")->check(CLI::Range(1, 1000));
  sub->add_option("--first-seed", o.first_seed, "The first seed (1)");
  sub->add_option("--steady", o.steady_s, "Steady window of each default run, simulated s (60)")
      ->check(CLI::Range(1.0, 1e6));
  sub->add_option("--format", c.format, "json, markdown or both (default both: one JSON line, then the table)")
      ->check(CLI::IsMember({"json", "markdown", "both"}));
  return sub;
}

// Everything the command line sets.
struct Flags {
  swell::sim::DefaultRunOptions options;
  std::string scenario_path;
  std::string seed_text;
  bool transcript = false, no_wall = false;
  std::string preset = "lan";
  std::string auth = "real";
  std::string mode = "auto";
  std::string mode_given;  // --mode as given (empty: not given), for --scenario
  std::optional<bool> private_caches;
  std::vector<std::string> sets;
  // Shorthands kept for tuning scripts; each is the same as --set.
  double probe_interval_ms = 0, probe_timeout_ms = 0, gossip_interval_ms = 0, push_pull_s = -1;
  // Network options written in friendlier units than NetworkOptions holds.
  double bandwidth_mbps = 1000, rto_ms = 200, reorder_ms = 1;
};

std::string check_seed(std::string& text) {
  const bool digits = !text.empty() && text.size() <= 20 && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || (text.size() == 20 && text > "18446744073709551615")) {
    return std::string("must be a whole number 0..18446744073709551615");
  }
  return std::string();
}

// The default run's own flags; returns them, for grouping and exclusion.
std::vector<CLI::Option*> add_default_run_flags(CLI::App& app, Flags& f) {
  swell::sim::DefaultRunOptions& o = f.options;
  return {
      app.add_option("--nodes", o.nodes, "Default run: cluster size (default 200)")->check(CLI::Range(3, 100000)),
      app.add_option("--loss", o.loss, "Default run: inbound datagram loss at every member, 0..0.95")
          ->check(CLI::Range(0.0, 0.95)),
      app.add_option("--steady", o.steady_s, "Default run: steady window, simulated seconds (default 240)")
          ->check(CLI::Range(0.001, 1e6)),
      app.add_option("--join-limit", o.join_limit_s,
                     "Default run: give up waiting for join convergence after this many s (600)")
          ->check(CLI::Range(0.001, 1e6)),
      app.add_option("--detect-limit", o.detect_limit_s,
                     "Default run: give up waiting for crash detection after this many s (120)")
          ->check(CLI::Range(0.001, 1e6)),
      app.add_option("--join-interval-ms", o.join_interval_ms,
                     "Default run: member i starts joining at i times this many ms (0.1)")
          ->check(CLI::Range(0.0, 1000.0)),
      app.add_option("--preset", f.preset, "Default run: Config preset lan, wan or local (default lan)")
          ->check(CLI::IsMember({"lan", "wan", "local"})),
      app.add_option("--set", f.sets,
                     "Default run: override a Config field, NAME=VALUE (repeatable; durations in ms). Fields:" +
                         field_list()),
      app.add_option("--auth", f.auth,
                     "Default run: 'real' (X25519 pair keys, Ed25519 claims) or 'fast' (pair keys hashed from the "
                     "two ids, for runs of thousands; claims stay Ed25519)")
          ->check(CLI::IsMember({"real", "fast"})),
  };
}

// Shorthands for single Config fields, kept for tuning scripts.
std::vector<CLI::Option*> add_knob_flags(CLI::App& app, Flags& f) {
  swell::Config& c = f.options.config;
  return {
      app.add_option("--probe-interval-ms", f.probe_interval_ms, "Same as --set probe_interval=MS")
          ->check(CLI::PositiveNumber),
      app.add_option("--probe-timeout-ms", f.probe_timeout_ms, "Same as --set probe_timeout=MS")
          ->check(CLI::PositiveNumber),
      app.add_option("--ping-attempts", c.ping_attempts, "Same as --set ping_attempts=N"),
      app.add_option("--indirect-checks", c.indirect_checks, "Same as --set indirect_checks=N"),
      app.add_option("--suspicion-mult", c.suspicion_mult, "Same as --set suspicion_mult=X"),
      app.add_option("--suspicion-max-mult", c.suspicion_max_mult, "Same as --set suspicion_max_mult=X"),
      app.add_option("--retransmit-mult", c.retransmit_mult, "Same as --set retransmit_mult=N"),
      app.add_option("--gossip-interval-ms", f.gossip_interval_ms, "Same as --set gossip_interval=MS")
          ->check(CLI::PositiveNumber),
      app.add_option("--gossip-nodes", c.gossip_nodes, "Same as --set gossip_nodes=N"),
      app.add_option("--push-pull-s", f.push_pull_s, "Same as --set push_pull_interval=S*1000 (0 disables)")
          ->check(CLI::NonNegativeNumber),
  };
}

// The network's optional faults and stream model (docs/simulator.md, "Network model").
std::vector<CLI::Option*> add_network_flags(CLI::App& app, Flags& f) {
  swell::sim::NetworkOptions& n = f.options.network;
  const auto p = CLI::Range(0.0, 1.0);
  return {
      app.add_option("--bandwidth-mbps", f.bandwidth_mbps, "Default run: each member's uplink, Mb/s (1000)")
          ->check(CLI::PositiveNumber),
      app.add_option("--rto-ms", f.rto_ms, "Default run: first retransmission timeout of a lost stream segment (200)")
          ->check(CLI::PositiveNumber),
      app.add_option("--burst-to-bad", n.burst.to_bad,
                     "Default run: bursty (Gilbert-Elliott) loss, P(good -> bad) per datagram (0: off)")
          ->check(p),
      app.add_option("--burst-to-good", n.burst.to_good, "Default run: bursty loss, P(bad -> good) (0.5)")->check(p),
      app.add_option("--burst-loss-bad", n.burst.loss_bad, "Default run: bursty loss, loss in the bad state (1)")
          ->check(p),
      app.add_option("--burst-loss-good", n.burst.loss_good, "Default run: bursty loss, loss in the good state (0)")
          ->check(p),
      app.add_option("--duplicate", n.duplicate, "Default run: P(a datagram is delivered twice) (0)")->check(p),
      app.add_option("--reorder", n.reorder, "Default run: P(a datagram is held back up to --reorder-ms) (0)")
          ->check(p),
      app.add_flag("--stream-loss", n.streams.segment_loss,
                   "Default run: stream segments are lost with the datagram loss too (the anchor's TCP is lossless; "
                   "off by default)"),
      app.add_option("--reorder-ms", f.reorder_ms, "Default run: longest hold-back of a reordered datagram (1)")
          ->check(CLI::NonNegativeNumber),
  };
}

void add_flags(CLI::App& app, Flags& f) {
  auto* scenario = app.add_option("--scenario", f.scenario_path,
                                  "Run this scenario file (TOML, format in docs/simulator.md) instead of the "
                                  "default run")
                       ->check(CLI::ExistingFile);
  app.add_option("--mode", f.mode,
                 "Failure detector: majority, swim or auto (default auto: majority below Config "
                 "swim_at_members live members, docs/majority.md); for --scenario, overrides the file's mode")
      ->check(CLI::IsMember({"majority", "swim", "auto"}));
  app.add_option("--seed", f.seed_text, "World seed, 0..2^64-1 (default 1; for --scenario, the file's seed)")
      ->check(CLI::Validator(check_seed, "UINT64"));
  auto* transcript_flag =
      app.add_flag("--transcript", f.transcript, "With --scenario: list every membership event in the report");
  app.add_flag("--no-wall-time", f.no_wall,
               "Leave out wall_s, peak_rss_mib and cpu_ms_per_node_per_s, so that the output is byte-identical "
               "per seed");
  std::vector<CLI::Option*> default_only = add_default_run_flags(app, f);
  default_only.push_back(app.add_option("--private-caches", f.private_caches,
                                        "Default run: every member verifies every signature itself (true), or one "
                                        "claim cache is shared by the World (false); default true up to 1000 "
                                        "members"));
  for (const auto& more : {add_knob_flags(app, f), add_network_flags(app, f)}) {
    default_only.insert(default_only.end(), more.begin(), more.end());
  }
  for (CLI::Option* o : default_only) {
    scenario->excludes(o);
    o->group("Default run (without --scenario)");
  }
  transcript_flag->needs(scenario);
}

int run_scenario_file(const Flags& f, std::optional<std::uint64_t> seed) {
  auto table = swell::sim::load_scenario_file(f.scenario_path);
  if (!table.ok()) return usage_error(table.error().message);
  auto parsed = swell::sim::parse_scenario(table.value());
  if (!parsed.ok()) return usage_error(parsed.error().message);
  swell::sim::Scenario sc = std::move(parsed.value());
  if (f.transcript) sc.transcript = true;
  if (!f.mode_given.empty()) sc.config.mode = f.mode_given == "swim" ? swell::ClusterMode::swim
                                              : f.mode_given == "majority" ? swell::ClusterMode::majority
                                                                           : swell::ClusterMode::automatic;
  const auto wall_start = std::chrono::steady_clock::now();
  auto report = swell::sim::run_scenario(sc, seed);
  if (!f.no_wall) swell::sim::add_wall_fields(report.json, wall_start);
  std::cout << dump(report.json) << std::endl;
  for (const std::string& failure : report.failures) std::cerr << "swell-sim: FAILED " << failure << "\n";
  return report.ok ? 0 : 1;
}

// The preset, then the shorthand knobs given on the command line, then every --set,
// then --auth; an error message, or empty if the config is valid.
std::string build_config(const CLI::App& app, Flags& f) {
  swell::Config& c = f.options.config;
  const swell::Config knob_values = c;
  c = swell::sim::config_preset(f.preset).value();
  if (app.count("--ping-attempts")) c.ping_attempts = knob_values.ping_attempts;
  if (app.count("--indirect-checks")) c.indirect_checks = knob_values.indirect_checks;
  if (app.count("--suspicion-mult")) c.suspicion_mult = knob_values.suspicion_mult;
  if (app.count("--suspicion-max-mult")) c.suspicion_max_mult = knob_values.suspicion_max_mult;
  if (app.count("--retransmit-mult")) c.retransmit_mult = knob_values.retransmit_mult;
  if (app.count("--gossip-nodes")) c.gossip_nodes = knob_values.gossip_nodes;
  using std::chrono::microseconds;
  auto ms = [](double v) { return microseconds(static_cast<std::int64_t>(v * 1000.0)); };
  if (f.probe_interval_ms > 0) c.probe_interval = ms(f.probe_interval_ms);
  if (f.probe_timeout_ms > 0) c.probe_timeout = ms(f.probe_timeout_ms);
  if (f.gossip_interval_ms > 0) c.gossip_interval = ms(f.gossip_interval_ms);
  if (f.push_pull_s >= 0) c.push_pull_interval = ms(f.push_pull_s * 1000.0);
  for (const std::string& set : f.sets) {
    const auto eq = set.find('=');
    if (eq == std::string::npos) return "--set " + set + ": expected NAME=VALUE";
    const std::string name = set.substr(0, eq), text = set.substr(eq + 1);
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) return "--set " + set + ": VALUE must be a number";
    if (auto ok = swell::sim::set_config_field(c, name, value); !ok.ok()) {
      return "--set " + set + ": " + ok.error().message;
    }
  }
  c.mode = f.mode == "swim" ? swell::ClusterMode::swim
           : f.mode == "majority" ? swell::ClusterMode::majority : swell::ClusterMode::automatic;
  f.options.pair_keys = f.auth == "fast" ? swell::sim::PairKeys::hashed : swell::sim::PairKeys::real;
  if (auto valid = c.validate(); !valid.ok()) return valid.error().message;
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "swell-sim: deterministic simulation of a swell cluster; prints one JSON object.\n"
      "Without --scenario it runs the default measurement: all --nodes members join through\n"
      "member 0, a --steady window, then the last member crashes and a PeerInfo update is\n"
      "timed (fields: docs/simulator.md). The same flags and seed always print the same\n"
      "JSON, wall_s aside. Exit codes: 0 ok, 1 a scenario check failed, 2 bad flags or file."};
  app.get_formatter()->column_width(34);
  Flags f;
  add_flags(app, f);
  CompareFlags compare_flags;
  CLI::App* compare = add_compare(app, compare_flags);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }
  const std::uint64_t seed = f.seed_text.empty() ? 1 : std::strtoull(f.seed_text.c_str(), nullptr, 10);
  try {
    if (compare->parsed()) {
      compare_flags.options.wall_time = !f.no_wall;
      if (const std::string bad = build_config(app, f); !bad.empty()) return usage_error(bad);
      compare_flags.options.config = f.options.config;
      const nlohmann::json table = swell::sim::run_compare(compare_flags.options);
      if (compare_flags.format != "markdown") std::cout << dump(table) << std::endl;
      if (compare_flags.format == "both") std::cout << "\n";
      if (compare_flags.format != "json") std::cout << swell::sim::compare_markdown(table);
      return 0;
    }
    if (!f.scenario_path.empty()) {
      if (app.count("--mode") > 0) f.mode_given = f.mode;
      return run_scenario_file(f, app.count("--seed") > 0 ? std::optional(seed) : std::nullopt);
    }
    f.options.seed = seed;
    f.options.wall_time = !f.no_wall;
    f.options.private_caches = f.private_caches;
    f.options.network.streams.bandwidth_bps = f.bandwidth_mbps * 1e6;
    f.options.network.streams.rto = std::chrono::microseconds(static_cast<std::int64_t>(f.rto_ms * 1000));
    f.options.network.reorder_max = std::chrono::microseconds(static_cast<std::int64_t>(f.reorder_ms * 1000));
    if (const std::string bad = build_config(app, f); !bad.empty()) return usage_error(bad);
    std::cout << dump(swell::sim::run_default(f.options)) << std::endl;
    return 0;
  } catch (const std::exception& e) {
    // Nothing in swell throws; this catches allocation failure in a huge run.
    std::cerr << "swell-sim: " << e.what() << "\n";
    return 3;
  }
}
