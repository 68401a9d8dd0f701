// swell-agent: the node agent's command line. For now it manages key files and runs
// the wire demo; the live cluster agent joins it with the runtime.
#include <CLI/CLI.hpp>

#include <iostream>
#include <sys/stat.h>

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

  CLI11_PARSE(app, argc, argv);

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
