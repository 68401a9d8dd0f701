// swell-agent: the node agent's command line: key files, the wire demo, and `run`, a
// cluster member on the libuv runtime.
#include <CLI/CLI.hpp>

#include <iostream>
#include <sys/stat.h>

#include "agent/run_command.h"
#include "agent/wire_demo.h"
#include "swell/identity.h"

int main(int argc, char** argv) {
  CLI::App app{"swell-agent: SWIM gossip membership with a majority-rule fallback"};
  app.require_subcommand(1);

  std::string keygen_path;
  bool force = false;
  auto* keygen = app.add_subcommand("keygen", "Generate an Ed25519 identity and save it as a key file (mode 0600)");
  keygen->add_option("path", keygen_path, "Where to write the key file")->required();
  keygen->add_flag("--force", force, "Replace an existing key file (its identity is lost)");

  std::string id_path;
  auto* show_id = app.add_subcommand("id", "Print the node id (public key) of a key file");
  show_id->add_option("path", id_path, "Key file to read")->required();

  auto* demo = app.add_subcommand("demo", "Exchange one authenticated message of every kind between two identities");

  swell::agent::RunOptions run_options;
  auto* run = app.add_subcommand("run", "Run a cluster member until SIGTERM/SIGINT (then leave gracefully)");
  run->add_option("--key", run_options.key_file, "Identity key file")->required();
  run->add_option("--name", run_options.name, "PeerInfo id of this member")->required();
  run->add_option("--bind", run_options.bind, "UDP+TCP bind host:port (default 0.0.0.0:7946)");
  run->add_option("--advertise", run_options.advertise, "host:port peers use (required with 0.0.0.0)");
  run->add_option("--seed", run_options.seeds, "host:port of a member to join through (repeatable)");
  run->add_option("--preset", run_options.preset, "Config preset: lan, wan, local")
      ->check(CLI::IsMember({"lan", "wan", "local"}));
  run->add_option("--status", run_options.status_file, "Write membership JSON here (default: stdout lines)");
  run->add_option("--status-interval-ms", run_options.status_interval_ms, "Status interval (default 200)");

  CLI11_PARSE(app, argc, argv);
  if (*run) return swell::agent::run_agent(run_options);

  if (*keygen) {
    struct stat st {};
    if (!force && ::stat(keygen_path.c_str(), &st) == 0) {
      std::cerr << "swell-agent: " << keygen_path << " already exists; pass --force to replace it\n";
      return 1;
    }
    auto identity = swell::Identity::generate();
    if (!identity.ok()) {
      std::cerr << "swell-agent: " << identity.error().message << "\n";
      return 1;
    }
    if (auto saved = identity.value().save(keygen_path); !saved.ok()) {
      std::cerr << "swell-agent: " << saved.error().message << "\n";
      return 1;
    }
    std::cout << identity.value().id().to_hex() << "\n";
    return 0;
  }
  if (*show_id) {
    auto identity = swell::Identity::load(id_path);
    if (!identity.ok()) {
      std::cerr << "swell-agent: " << identity.error().message << "\n";
      return 1;
    }
    std::cout << identity.value().id().to_hex() << "\n";
    return 0;
  }
  if (*demo) return swell::agent::run_wire_demo(std::cout);
  return 0;
}
