// AgentSettings: everything `swell-agent run` is configured with, from its TOML config
// file and its flags (flags win). Loading checks every key and value; an error names the
// file and key (or the flag) and says what to do. docs/agent.md lists every key.
// Loading reads files (the config file, the allow-list and certificate files of
// [admission], and stats of data_dir and key_file) but creates nothing and loads no key: run does that with prepare_data_dir and load_or_create_key
// (agent/data_dir.h), so a SIGHUP re-read or a dry run has no side effects.
//
//   auto settings = swell::agent::load_settings(flags);   // reads flags.config_file if set
//   if (!settings.ok()) { std::cerr << settings.error().message << "\n"; return 2; }
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/admission_settings.h"
#include "agent/tags.h"
#include "swell/config.h"
#include "swell/peer_info.h"
#include "swell/result.h"

namespace swell::agent {

/// Most handler runs at once that a config may ask for.
inline constexpr std::int64_t kMaxConcurrentHandlers = 256;
/// Most waiting handler runs that a config may ask for (each holds an event's JSON).
inline constexpr std::int64_t kMaxQueuedHandlers = 100000;

/// What runs when an event of a kind happens (Serf's event handlers).
struct EventHandlerSettings {
  /// Event kind ("joined", "updated", "suspected", "failed", "left", "recovered", "name_conflict", "rotated") or "all"
  /// to the command run for it (through /bin/sh -c); a kind may have several commands,
  /// in the order given (file first, then flags).
  std::multimap<std::string, std::string> commands;
  std::chrono::milliseconds timeout{10000};  ///< A handler still running this long is killed.
  std::size_t max_concurrent = 4;            ///< Handlers running at once; more wait in the queue.
  std::size_t max_queued = 1024;             ///< Waiting handler runs; beyond it they are dropped and counted.
};

/// Everything `run` needs, resolved: flags over the config file over defaults.
struct AgentSettings {
  std::string config_file;                   ///< The TOML file these came from (SIGHUP re-reads it); may be empty.
  std::string bind = "0.0.0.0:7946";         ///< UDP+TCP bind host:port.
  std::string advertise;                     ///< host:port peers use; required when bind is 0.0.0.0 or ::.
  std::vector<std::string> seeds;            ///< host:port of members to join through.
  std::string http = "127.0.0.1:7947";       ///< HTTP API listen host:port; empty: no HTTP API.
  std::string http_token;                    ///< Bearer token the API demands; required when http is not loopback.
  std::string data_dir;                      ///< Keeps the key and the last known members; may be empty.
  std::string key_file;                      ///< Identity key file; default data_dir/node.key.
  /// Create key_file when missing; load_settings sets it when key_file lies inside
  /// data_dir, whose key is the agent's own to make.
  bool create_key = false;
  std::string preset = "lan";                ///< lan, wan or local.
  std::string cluster_label;                 ///< Config::cluster_label; "" is the unnamed cluster.
  bool encrypt = false;                      ///< Config::encrypt: XChaCha20-Poly1305 on every message.
  Config config = Config::lan();             ///< The preset with the file's [protocol] overrides applied.
  PeerInfo info;                             ///< id, address, metrics_port, node_type, is_load_balancer; metadata = tags.
  Tags tags;                                 ///< key=value metadata (encoded into info.metadata).
  std::string events_file;                   ///< JSON lines of events go here; empty: stdout.
  bool quiet = false;                        ///< No human-readable log lines on stderr.
  EventHandlerSettings handlers;             ///< Event handlers.
  std::chrono::milliseconds leave_timeout{3000};  ///< How long a graceful leave may take on SIGTERM/SIGINT.
  AdmissionSettings admission;               ///< [admission] and its flags; config.admission holds what they resolve to.
};

/// The flags `run` was given; unset ones (nullopt / empty) leave the file's value.
struct RunFlags {
  // Errors about a flag name it as written in the comment, so the command line should
  // spell the flags so.
  std::string config_file;                   ///< --config: the TOML file; empty: flags and defaults only.
  std::optional<std::string> bind;           ///< --bind host:port.
  std::optional<std::string> advertise;      ///< --advertise host:port.
  std::optional<std::string> http;           ///< --http host:port; "" disables the HTTP API.
  std::optional<std::string> http_token;     ///< --http-token.
  std::optional<std::string> data_dir;       ///< --data-dir.
  std::optional<std::string> key_file;       ///< --key-file.
  std::optional<std::string> id;             ///< --id: the PeerInfo id.
  std::optional<std::string> node_type;      ///< --node-type proxy|backend|governator.
  std::optional<std::string> preset;         ///< --preset lan|wan|local.
  std::optional<std::string> cluster_label;  ///< --cluster-label NAME.
  std::optional<std::string> address;        ///< --address: host:port the member serves (peer.address).
  std::optional<std::string> events_file;    ///< --events-file.
  std::optional<std::uint16_t> metrics_port; ///< --metrics-port.
  std::optional<bool> is_load_balancer;      ///< --load-balancer.
  std::optional<std::string> admission;      ///< --admission open|allowlist|ca.
  std::optional<std::string> allowlist_file; ///< --allowlist-file.
  std::optional<std::string> certificate_file; ///< --certificate-file.
  std::vector<std::string> trusted_cas;      ///< --trusted-ca KEY (repeatable); replaces the file's list.
  std::vector<std::string> seeds;            ///< --join host:port (repeatable); added to the file's seeds.
  std::vector<std::string> tags;             ///< --tag key=value (repeatable); over the file's tags.
  /// --event-handler kind=COMMAND, kind,kind=COMMAND or COMMAND (all kinds); repeatable,
  /// added to the file's handlers. The text before the first '=' counts as kinds only
  /// when every comma-separated part is a kind name, so `FOO=1 cmd` is a command.
  std::vector<std::string> event_handlers;
  bool create_key = false;                   ///< --create-key; false leaves the file's value.
  bool quiet = false;                        ///< --quiet; false leaves the file's value.
  bool encrypt = false;                      ///< --encrypt; false leaves the file's value.
};

/// True for "joined", "updated", "suspected", "failed", "left", "recovered", "name_conflict", "rotated" and "all".
bool is_event_handler_kind(std::string_view name);

/// Resolves settings: the config file (if flags.config_file is set), then the flags, then
/// the rules between settings. Errors: io (config file unreadable), key_file_missing (no
/// key at key_file and creating it is not allowed), invalid_config (anything else, naming
/// the key or flag). Never throws.
Result<AgentSettings> load_settings(const RunFlags& flags);

}  // namespace swell::agent
