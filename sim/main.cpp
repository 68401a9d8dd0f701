// swell-sim: runs swell clusters in the deterministic simulator and prints one JSON
// object. docs/simulator.md lists every flag and field.
#include <CLI/CLI.hpp>

#include <iostream>

#include "default_run.h"

int main(int argc, char** argv) {
  CLI::App app{"swell-sim: deterministic simulation of a swell cluster"};
  swell::sim::DefaultRunOptions options;
  app.add_option("--nodes", options.nodes, "Cluster size")->check(CLI::Range(3, 100000));
  app.add_option("--loss", options.loss, "Inbound datagram loss at every member, 0..1")->check(CLI::Range(0.0, 0.95));
  app.add_option("--steady", options.steady_s, "Steady window in simulated seconds")->check(CLI::Range(0.0, 1e6));
  app.add_option("--seed", options.seed, "World seed; the same seed gives the same output");
  // Protocol knobs, for tuning runs; defaults are Config::lan()'s.
  swell::Config& c = options.config;
  double probe_interval_ms = 0, probe_timeout_ms = 0, gossip_interval_ms = 0, push_pull_s = -1;
  app.add_option("--probe-interval-ms", probe_interval_ms, "Config.probe_interval");
  app.add_option("--probe-timeout-ms", probe_timeout_ms, "Config.probe_timeout");
  app.add_option("--ping-attempts", c.ping_attempts, "Config.ping_attempts");
  app.add_option("--indirect-checks", c.indirect_checks, "Config.indirect_checks");
  app.add_option("--suspicion-mult", c.suspicion_mult, "Config.suspicion_mult");
  app.add_option("--suspicion-max-mult", c.suspicion_max_mult, "Config.suspicion_max_mult");
  app.add_option("--retransmit-mult", c.retransmit_mult, "Config.retransmit_mult");
  app.add_option("--gossip-interval-ms", gossip_interval_ms, "Config.gossip_interval");
  app.add_option("--gossip-nodes", c.gossip_nodes, "Config.gossip_nodes");
  app.add_option("--push-pull-s", push_pull_s, "Config.push_pull_interval base (0 disables)");
  CLI11_PARSE(app, argc, argv);
  using std::chrono::milliseconds;
  if (probe_interval_ms > 0) c.probe_interval = milliseconds(static_cast<long>(probe_interval_ms));
  if (probe_timeout_ms > 0) c.probe_timeout = milliseconds(static_cast<long>(probe_timeout_ms));
  if (gossip_interval_ms > 0) c.gossip_interval = milliseconds(static_cast<long>(gossip_interval_ms));
  if (push_pull_s >= 0) c.push_pull_interval = std::chrono::seconds(static_cast<long>(push_pull_s));
  if (auto valid = c.validate(); !valid.ok()) {
    std::cerr << "swell-sim: " << valid.error().message << "\n";
    return 2;
  }
  std::cout << swell::sim::run_default(options).dump() << std::endl;
  return 0;
}
