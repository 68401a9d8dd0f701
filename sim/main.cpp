// swell-sim: runs swell clusters in the deterministic simulator and prints one JSON
// object. docs/simulator.md lists every flag and field.
//
//   swell-sim --nodes 200 --loss 0.2 --steady 600 --seed 1     # the default run
//   swell-sim --scenario sim/scenarios/partition_heal.toml      # a scenario file
//
// Exit codes: 0 success; 1 a scenario check failed; 2 bad flags or a bad scenario file.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "config_fields.h"
#include "default_run.h"
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "swell-sim: deterministic simulation of a swell cluster; prints one JSON object.\n"
      "Without --scenario it runs the default measurement: all --nodes members join through\n"
      "member 0, a --steady window, then the last member crashes and a PeerInfo update is\n"
      "timed (fields: docs/simulator.md). The same flags and seed always print the same\n"
      "JSON, wall_s aside. Exit codes: 0 ok, 1 a scenario check failed, 2 bad flags or file."};
  app.get_formatter()->column_width(34);

  swell::sim::DefaultRunOptions options;
  std::string scenario_path;
  std::uint64_t seed = 1;
  bool transcript = false, no_wall = false;
  std::string preset = "lan";
  std::vector<std::string> sets;

  auto* scenario = app.add_option("--scenario", scenario_path,
                                  "Run this scenario file (TOML, format in docs/simulator.md) instead of the "
                                  "default run")
                       ->check(CLI::ExistingFile);
  std::string seed_text;
  app.add_option("--seed", seed_text, "World seed, 0..2^64-1 (default 1; for --scenario, the file's seed)")
      ->check(CLI::Validator(
          [](std::string& text) {
            const bool digits = !text.empty() && text.size() <= 20 &&
                                text.find_first_not_of("0123456789") == std::string::npos;
            if (!digits || (text.size() == 20 && text > "18446744073709551615")) {
              return std::string("must be a whole number 0..18446744073709551615");
            }
            return std::string();
          },
          "UINT64"));
  auto* transcript_flag =
      app.add_flag("--transcript", transcript, "With --scenario: list every membership event in the report");
  auto* nodes = app.add_option("--nodes", options.nodes, "Default run: cluster size (default 200)")
                    ->check(CLI::Range(3, 100000));
  auto* loss = app.add_option("--loss", options.loss, "Default run: inbound datagram loss at every member, 0..0.95")
                   ->check(CLI::Range(0.0, 0.95));
  auto* steady = app.add_option("--steady", options.steady_s,
                                "Default run: steady window, simulated seconds (default 240)")
                     ->check(CLI::Range(0.001, 1e6));
  auto* join_limit = app.add_option("--join-limit", options.join_limit_s,
                                    "Default run: give up waiting for join convergence after this many s (600)")
                         ->check(CLI::Range(0.001, 1e6));
  auto* detect_limit = app.add_option("--detect-limit", options.detect_limit_s,
                                      "Default run: give up waiting for crash detection after this many s (120)")
                           ->check(CLI::Range(0.001, 1e6));
  auto* settle_limit = app.add_option("--settle-limit", options.settle_limit_s,
                                    "Default run: after convergence, wait up to this many s for the join gossip to "
                                    "settle (every dissemination queue empty) before the steady window (600; 0: "
                                    "open it at convergence)")
                         ->check(CLI::Range(0.0, 1e6));
  auto* join_interval = app.add_option("--join-interval-ms", options.join_interval_ms,
                                       "Default run: member i starts joining at i times this many ms (0.1)")
                            ->check(CLI::Range(0.0, 1000.0));
  auto* preset_opt = app.add_option("--preset", preset, "Default run: Config preset lan, wan or local (default lan)")
                         ->check(CLI::IsMember({"lan", "wan", "local"}));
  auto* set_opt = app.add_option("--set", sets,
                                 "Default run: override a Config field, NAME=VALUE (repeatable; durations in "
                                 "ms). Fields:" + field_list());
  auto* no_wall_flag =
      app.add_flag("--no-wall-time", no_wall, "Leave out wall_s, so that the output is byte-identical per seed");
  std::string auth = "real";
  auto* auth_opt = app.add_option("--auth", auth,
                                  "Default run: 'real' (X25519 pair keys, Ed25519 claims) or 'fast' (pair keys "
                                  "hashed from the two ids, for runs of thousands; claims stay Ed25519)")
                       ->check(CLI::IsMember({"real", "fast"}));
  // Shorthands kept for tuning scripts; each is the same as --set.
  double probe_interval_ms = 0, probe_timeout_ms = 0, gossip_interval_ms = 0, push_pull_s = -1;
  std::vector<CLI::Option*> knobs = {
      app.add_option("--probe-interval-ms", probe_interval_ms, "Same as --set probe_interval=MS")
          ->check(CLI::PositiveNumber),
      app.add_option("--probe-timeout-ms", probe_timeout_ms, "Same as --set probe_timeout=MS")
          ->check(CLI::PositiveNumber),
      app.add_option("--ping-attempts", options.config.ping_attempts, "Same as --set ping_attempts=N"),
      app.add_option("--indirect-checks", options.config.indirect_checks, "Same as --set indirect_checks=N"),
      app.add_option("--suspicion-mult", options.config.suspicion_mult, "Same as --set suspicion_mult=X"),
      app.add_option("--suspicion-max-mult", options.config.suspicion_max_mult, "Same as --set suspicion_max_mult=X"),
      app.add_option("--retransmit-mult", options.config.retransmit_mult, "Same as --set retransmit_mult=N"),
      app.add_option("--gossip-interval-ms", gossip_interval_ms, "Same as --set gossip_interval=MS")
          ->check(CLI::PositiveNumber),
      app.add_option("--gossip-nodes", options.config.gossip_nodes, "Same as --set gossip_nodes=N"),
      app.add_option("--push-pull-s", push_pull_s, "Same as --set push_pull_interval=S*1000 (0 disables)")
          ->check(CLI::NonNegativeNumber),
  };
  std::vector<CLI::Option*> default_only = {nodes,        loss,         steady,        join_limit, detect_limit,
                                           settle_limit, join_interval, preset_opt, set_opt,   auth_opt};
  default_only.insert(default_only.end(), knobs.begin(), knobs.end());
  for (CLI::Option* o : default_only) {
    scenario->excludes(o);
    o->group("Default run (without --scenario)");
  }
  transcript_flag->needs(scenario);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }
  (void)no_wall_flag;
  if (!seed_text.empty()) seed = std::strtoull(seed_text.c_str(), nullptr, 10);

  try {
    if (!scenario_path.empty()) {
      auto table = swell::sim::load_scenario_file(scenario_path);
      if (!table.ok()) return usage_error(table.error().message);
      auto parsed = swell::sim::parse_scenario(table.value());
      if (!parsed.ok()) return usage_error(parsed.error().message);
      swell::sim::Scenario sc = std::move(parsed.value());
      if (transcript) sc.transcript = true;
      const auto wall_start = std::chrono::steady_clock::now();
      auto report = swell::sim::run_scenario(sc, app.count("--seed") > 0 ? std::optional(seed) : std::nullopt);
      if (!no_wall) {
        report.json["wall_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
      }
      std::cout << dump(report.json) << std::endl;
      for (const std::string& failure : report.failures) std::cerr << "swell-sim: FAILED " << failure << "\n";
      return report.ok ? 0 : 1;
    }

    options.seed = seed;
    options.wall_time = !no_wall;
    swell::Config& c = options.config;
    const swell::Config knob_values = c;
    c = swell::sim::config_preset(preset).value();
    // Shorthand knobs given on the command line win over the preset.
    if (app.count("--ping-attempts")) c.ping_attempts = knob_values.ping_attempts;
    if (app.count("--indirect-checks")) c.indirect_checks = knob_values.indirect_checks;
    if (app.count("--suspicion-mult")) c.suspicion_mult = knob_values.suspicion_mult;
    if (app.count("--suspicion-max-mult")) c.suspicion_max_mult = knob_values.suspicion_max_mult;
    if (app.count("--retransmit-mult")) c.retransmit_mult = knob_values.retransmit_mult;
    if (app.count("--gossip-nodes")) c.gossip_nodes = knob_values.gossip_nodes;
    using std::chrono::microseconds;
    auto ms = [](double v) { return microseconds(static_cast<std::int64_t>(v * 1000.0)); };
    if (probe_interval_ms > 0) c.probe_interval = ms(probe_interval_ms);
    if (probe_timeout_ms > 0) c.probe_timeout = ms(probe_timeout_ms);
    if (gossip_interval_ms > 0) c.gossip_interval = ms(gossip_interval_ms);
    if (push_pull_s >= 0) c.push_pull_interval = ms(push_pull_s * 1000.0);
    for (const std::string& set : sets) {
      const auto eq = set.find('=');
      if (eq == std::string::npos) return usage_error("--set " + set + ": expected NAME=VALUE");
      const std::string name = set.substr(0, eq), text = set.substr(eq + 1);
      char* end = nullptr;
      const double value = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size()) {
        return usage_error("--set " + set + ": VALUE must be a number");
      }
      if (auto ok = swell::sim::set_config_field(c, name, value); !ok.ok()) {
        return usage_error("--set " + set + ": " + ok.error().message);
      }
    }
    options.pair_keys = auth == "fast" ? swell::sim::PairKeys::hashed : swell::sim::PairKeys::real;
    if (auto valid = c.validate(); !valid.ok()) return usage_error(valid.error().message);
    std::cout << dump(swell::sim::run_default(options)) << std::endl;
    return 0;
  } catch (const std::exception& e) {
    // Nothing in swell throws; this catches allocation failure in a huge run.
    std::cerr << "swell-sim: " << e.what() << "\n";
    return 3;
  }
}
