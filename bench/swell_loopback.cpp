// swell-loopback: N agents on real loopback sockets, measured as the memberlist anchor
// harness measures (bench/loopback_run.h), printed as one JSON line beside swell-sim's
// prediction for the same configuration (its window also opening at convergence).
//
//   build/bench/swell-loopback --nodes 200 --loss 0.2 --steady 240 --seed 1
#include <CLI/CLI.hpp>

#include <sys/resource.h>

#include <iostream>

#include "config_fields.h"
#include "default_run.h"
#include "loopback_run.h"

namespace {

// 200 agents hold 400 sockets plus their streams: lift the soft descriptor limit.
void raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &lim);
  }
}

// The simulator's run of the same configuration, with the anchor's window.
nlohmann::json simulate(const swell::bench::LoopbackOptions& o, double start_interval_ms) {
  swell::sim::DefaultRunOptions s;
  s.nodes = o.nodes;
  s.loss = o.loss;
  s.steady_s = o.steady_s;
  s.seed = o.seed;
  s.config = o.config;
  // The default run already measures the anchor's way: the window opens at convergence
  // and loss hits datagrams only.
  s.join_interval_ms = start_interval_ms;
  auto r = swell::sim::run_default(s);
  nlohmann::json out;
  for (const char* k : {"join_converge_s", "bytes_per_node_per_s", "packets_per_node_per_s", "false_dead_in_steady",
                        "detect_first_s", "detect_median_s", "detect_last_s", "detect_observers", "join_interval_ms"}) {
    out[k] = r[k];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"swell-loopback: N agents on 127.0.0.1, measured as the memberlist anchor harness measures"};
  swell::bench::LoopbackOptions o;
  std::vector<std::string> sets;
  double probe_interval_ms = 0;
  bool no_sim = false;
  app.add_option("--nodes", o.nodes, "Agents (default 50)")->check(CLI::Range(2, 5000));
  app.add_option("--loss", o.loss, "Inbound datagram loss at every agent, 0..0.95")->check(CLI::Range(0.0, 0.95));
  app.add_option("--steady", o.steady_s, "Steady window, seconds (default 20)")->check(CLI::PositiveNumber);
  app.add_option("--seed", o.seed, "Seed of the loss injection and the simulator (default 1)");
  app.add_option("--probe-interval-ms", probe_interval_ms, "Same as --set probe_interval=MS")->check(CLI::PositiveNumber);
  app.add_option("--set", sets, "Override a Config field, NAME=VALUE (durations in ms; repeatable)");
  app.add_option("--loops", o.loops, "Loop threads the agents share (default: one per hardware thread)");
  app.add_flag("--no-sim", no_sim, "Leave out the simulator's prediction");
  CLI11_PARSE(app, argc, argv);

  if (probe_interval_ms > 0) {
    o.config.probe_interval = std::chrono::microseconds(static_cast<std::int64_t>(probe_interval_ms * 1000));
  }
  for (const std::string& set : sets) {
    const auto eq = set.find('=');
    char* end = nullptr;
    const std::string text = eq == std::string::npos ? "" : set.substr(eq + 1);
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) {
      std::cerr << "swell-loopback: --set " << set << ": expected NAME=NUMBER\n";
      return 2;
    }
    if (auto ok = swell::sim::set_config_field(o.config, set.substr(0, eq), value); !ok.ok()) {
      std::cerr << "swell-loopback: " << ok.error().message << "\n";
      return 2;
    }
  }
  if (auto valid = o.config.validate(); !valid.ok()) {
    std::cerr << "swell-loopback: " << valid.error().message << "\n";
    return 2;
  }
  raise_fd_limit();
  auto report = swell::bench::run_loopback(o);
  if (report.contains("error")) {
    std::cerr << "swell-loopback: " << report["error"].get<std::string>() << "\n";
    return 1;
  }
  if (!no_sim) report["sim"] = simulate(o, report["start_interval_ms"].get<double>());
  std::cout << report.dump() << std::endl;
  return 0;
}
