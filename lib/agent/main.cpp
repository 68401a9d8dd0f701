// swell-agent: the node agent's command line. `run` is a cluster member as a daemon
// (run_command.h); members, info, join, leave, force-leave and revoke ask a running one
// over its HTTP API (query_commands.h); keygen, id, ca, version and wire-demo work
// offline (ca_commands.h).
// docs/agent.md documents every subcommand, flag and exit code.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <sys/stat.h>

#include "agent/ca_commands.h"
#include "agent/event_log.h"
#include "agent/query_commands.h"
#include "agent/run_command.h"
#include "agent/wire_demo.h"
#include "swell/identity.h"

namespace {

using namespace swell::agent;

int keygen(const std::string& path, bool force) {
  struct stat st {};
  if (!force && ::stat(path.c_str(), &st) == 0) {
    std::cerr << "swell-agent: " << path << " already exists; pass --force to replace it\n";
    return kExitUsage;
  }
  auto identity = swell::Identity::generate();
  if (!identity.ok()) {
    std::cerr << "swell-agent: " << identity.error().message << "\n";
    return kExitFailure;
  }
  if (auto saved = identity.value().save(path); !saved.ok()) {
    std::cerr << "swell-agent: " << saved.error().message << "\n";
    return kExitFailure;
  }
  std::cout << identity.value().id().to_hex() << "\n";
  return kExitOk;
}

int show_id(const std::string& path) {
  auto identity = swell::Identity::load(path);
  if (!identity.ok()) {
    std::cerr << "swell-agent: " << identity.error().message << "\n";
    return kExitFailure;
  }
  std::cout << identity.value().id().to_hex() << "\n";
  return kExitOk;
}

// The flags every query subcommand shares: where the agent's API is.
void add_target_flags(CLI::App* cmd, ApiTarget& target) {
  cmd->add_option("--http", target.http, "host:port of the agent's HTTP API (run --http)")
      ->envname("SWELL_HTTP_ADDR")
      ->capture_default_str();
  cmd->add_option("--token", target.token, "Bearer token, if the agent demands one")->envname("SWELL_HTTP_TOKEN");
}

void add_run_flags(CLI::App* run, RunFlags& f) {
  run->add_option("--config", f.config_file, "TOML config file (docs/agent.md, \"Config file\")");
  run->add_option("--bind", f.bind, "UDP+TCP bind host:port (default 0.0.0.0:7946)");
  run->add_option("--advertise", f.advertise, "host:port peers use (required when bound to 0.0.0.0 or ::)");
  run->add_option("--join", f.seeds, "host:port of a member to join through (repeatable)");
  run->add_option("--http", f.http, "HTTP API listen host:port (default 127.0.0.1:7947; \"\" disables)");
  run->add_option("--http-token", f.http_token, "Bearer token the HTTP API demands (required beyond loopback)")
      ->envname("SWELL_HTTP_TOKEN");
  run->add_option("--data-dir", f.data_dir, "Keeps the key and the last known members (created 0700)");
  run->add_option("--key-file", f.key_file, "Identity key file (default DATA_DIR/node.key)");
  run->add_flag("--create-key", f.create_key, "Create the key file if it is missing");
  run->add_option("--id", f.id, "PeerInfo id of this member (default: the host name)");
  run->add_option("--node-type", f.node_type, "proxy, backend or governator");
  run->add_option("--address", f.address, "PeerInfo address: host:port where this member serves");
  run->add_option("--metrics-port", f.metrics_port, "PeerInfo metrics port");
  run->add_option("--load-balancer", f.is_load_balancer, "PeerInfo is_load_balancer (true/false)");
  run->add_option("--tag", f.tags, "key=value metadata tag (repeatable)");
  run->add_option("--preset", f.preset, "Protocol preset: lan, wan or local");
  run->add_option("--event-handler", f.event_handlers, "[KIND=]COMMAND run on events (repeatable)");
  run->add_option("--events-file", f.events_file, "Append event JSON lines here (default stdout)");
  run->add_flag("--quiet", f.quiet, "No human-readable log lines on stderr");
  run->add_option("--cluster-label", f.cluster_label, "The cluster's name; members with other labels cannot talk to it");
  run->add_flag("--encrypt", f.encrypt, "Encrypt every message (XChaCha20-Poly1305); every member must agree");
  run->add_option("--admission", f.admission, "Who may be a member: open, allowlist or ca");
  run->add_option("--allowlist-file", f.allowlist_file, "allowlist: file of public keys, one per line (SIGHUP re-reads it)");
  run->add_option("--trusted-ca", f.trusted_cas, "ca: a CA public key (repeatable); revocations it signs count in any mode");
  run->add_option("--certificate-file", f.certificate_file, "ca: this node's certificate (swell-agent ca sign)");
}

// `ca init | sign | revoke`: the cluster CA, offline.
struct CaCommands {
  CLI::App* ca = nullptr;
  CLI::App* init = nullptr;
  CLI::App* sign = nullptr;
  CLI::App* revoke = nullptr;
  std::string init_path;
  CaSignFlags sign_flags;
  CaRevokeFlags revoke_flags;
};

void add_ca_commands(CLI::App& app, CaCommands& c) {
  c.ca = app.add_subcommand("ca", "A cluster CA: make its key, sign node certificates, revoke keys");
  c.ca->require_subcommand(1);
  c.init = c.ca->add_subcommand("init", "Write a new CA key file (mode 0600, never replaced); print its public key");
  c.init->add_option("path", c.init_path, "Where to write the CA key file")->required();
  c.sign = c.ca->add_subcommand("sign", "Write a node certificate (admission.certificate_file)");
  CaSignFlags& s = c.sign_flags;
  c.sign->add_option("--ca", s.ca_key, "The CA key file (ca init)")->required();
  c.sign->add_option("--node", s.node, "The node's public key (swell-agent id KEYFILE)")->required();
  c.sign->add_option("--expires", s.expires, "90d, 12h, 30m, 45s from now, or 2027-01-31 / 2027-01-31T12:00:00Z (UTC)")
      ->required();
  c.sign->add_option("--node-type", s.node_type, "The only node_type it may announce: proxy, backend, governator");
  c.sign->add_option("--cluster-label", s.cluster_label, "The cluster's cluster_label (default: the unnamed cluster)");
  c.sign->add_option("--out", s.out, "The certificate file to write")->required();
  c.sign->add_flag("--force", s.force, "Replace an existing --out file");
  c.revoke = c.ca->add_subcommand("revoke", "Write a signed revocation of a key (hand it over with swell-agent revoke)");
  CaRevokeFlags& r = c.revoke_flags;
  c.revoke->add_option("--ca", r.ca_key, "The CA key file (ca init)")->required();
  c.revoke->add_option("--key", r.key, "The public key to revoke")->required();
  c.revoke->add_option("--cluster-label", r.cluster_label, "The cluster's cluster_label (default: the unnamed cluster)");
  c.revoke->add_option("--out", r.out, "The revocation file to write")->required();
  c.revoke->add_flag("--force", r.force, "Replace an existing --out file");
}

int run_ca_command(const CaCommands& c) {
  if (*c.init) return ca_init_command(c.init_path, std::cout, std::cerr);
  if (*c.sign) return ca_sign_command(c.sign_flags, unix_now_ms(), std::cout, std::cerr);
  return ca_revoke_command(c.revoke_flags, unix_now_ms(), std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"swell-agent: SWIM gossip membership with a majority-rule fallback"};
  app.require_subcommand(1);

  RunFlags run_flags;
  auto* run = app.add_subcommand("run", "Run a cluster member until SIGTERM/SIGINT (then leave gracefully)");
  add_run_flags(run, run_flags);

  ApiTarget target;
  std::string state, node_type;
  bool json = false;
  auto* members = app.add_subcommand("members", "List the members a running agent knows");
  add_target_flags(members, target);
  members->add_option("--state", state, "Only these states: alive, suspect, dead, left (comma-separated)");
  members->add_option("--node-type", node_type, "Only this node type: proxy, backend, governator");
  members->add_flag("--json", json, "Print JSON instead of a table");

  auto* info = app.add_subcommand("info", "Show a running agent: itself, its health score and counters");
  add_target_flags(info, target);
  info->add_flag("--json", json, "Print JSON");

  std::vector<std::string> seeds;
  auto* join = app.add_subcommand("join", "Ask a running agent to contact more members (merges clusters)");
  add_target_flags(join, target);
  join->add_option("address", seeds, "host:port of a member")->required();

  auto* leave = app.add_subcommand("leave", "Ask a running agent to leave gracefully and exit");
  add_target_flags(leave, target);

  std::string member;
  auto* force_leave = app.add_subcommand("force-leave", "Mark a failed member left (no more reconnect attempts)");
  add_target_flags(force_leave, target);
  force_leave->add_option("id", member, "The member's id (hex, or its 8-hex short form) or name")->required();

  std::string revocation_file;
  auto* revoke = app.add_subcommand("revoke", "Hand a revocation (ca revoke) to a running agent; it spreads to all");
  add_target_flags(revoke, target);
  revoke->add_option("file", revocation_file, "The revocation file")->required();

  std::string new_key_file, new_certificate_file;
  auto* rotate_key = app.add_subcommand(
      "rotate-key", "Move a running agent to a new key (keygen), keeping its membership; its key file is replaced");
  add_target_flags(rotate_key, target);
  rotate_key->add_option("key_file", new_key_file, "The new key file (swell-agent keygen)")->required();
  rotate_key->add_option("--certificate", new_certificate_file, "ca mode: the new key's certificate (ca sign)");

  CaCommands ca;
  add_ca_commands(app, ca);

  std::string key_path;
  bool force = false;
  auto* keygen_cmd = app.add_subcommand("keygen", "Generate an Ed25519 identity and save it as a key file (mode 0600)");
  keygen_cmd->add_option("path", key_path, "Where to write the key file")->required();
  keygen_cmd->add_flag("--force", force, "Replace an existing key file (its identity is lost)");

  auto* id_cmd = app.add_subcommand("id", "Print the node id (public key) of a key file");
  id_cmd->add_option("path", key_path, "Key file to read")->required();

  auto* version = app.add_subcommand("version", "Print the version");
  auto* demo = app.add_subcommand("wire-demo", "Exchange one authenticated message of every kind between two identities");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (*run) return run_daemon(run_flags);
  if (*members) return members_command(target, state, node_type, json, std::cout, std::cerr);
  if (*info) return info_command(target, json, std::cout, std::cerr);
  if (*join) return join_command(target, seeds, std::cout, std::cerr);
  if (*leave) return leave_command(target, std::cout, std::cerr);
  if (*force_leave) return force_leave_command(target, member, std::cout, std::cerr);
  if (*revoke) return revoke_command(target, revocation_file, std::cout, std::cerr);
  if (*rotate_key) return rotate_key_command(target, new_key_file, new_certificate_file, std::cout, std::cerr);
  if (*ca.ca) return run_ca_command(ca);
  if (*keygen_cmd) return keygen(key_path, force);
  if (*id_cmd) return show_id(key_path);
  if (*version) {
    std::cout << "swell-agent " << SWELL_VERSION << "\n";
    return kExitOk;
  }
  if (*demo) return run_wire_demo(std::cout);
  return kExitOk;
}
