// AgentSettings: everything `swell-agent run` is configured with, from its TOML config
// file and its flags (flags win). Loading checks every key and value; an error names the
// key (or flag) and says what to do. docs/agent.md lists every key.
//
//   auto settings = swell::agent::load_settings(flags);   // reads flags.config_file if set
//   if (!settings.ok()) { std::cerr << settings.error().message << "\n"; return 2; }
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/tags.h"
#include "swell/config.h"
#include "swell/peer_info.h"
#include "swell/result.h"

namespace swell::agent {

/// What runs when an event of a kind happens (Serf's event handlers).
struct EventHandlerSettings {
  /// Event kind ("joined", "updated", "suspected", "failed", "left", "recovered") or "all"
  /// to the command run for it (through /bin/sh -c).
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
  bool create_key = false;                   ///< Create key_file when missing (always so under data_dir).
  std::string preset = "lan";                ///< lan, wan or local.
  Config config = Config::lan();             ///< The preset with the file's [protocol] overrides applied.
  PeerInfo info;                             ///< id, address, metrics_port, node_type, is_load_balancer; metadata = tags.
  Tags tags;                                 ///< key=value metadata (encoded into info.metadata).
  std::string events_file;                   ///< JSON lines of events go here; empty: stdout.
  bool quiet = false;                        ///< No human-readable log lines on stderr.
  EventHandlerSettings handlers;             ///< Event handlers.
  std::chrono::milliseconds leave_timeout{3000};  ///< How long a graceful leave may take on SIGTERM/SIGINT.
};

/// The flags `run` was given; unset ones (nullopt / empty) leave the file's value.
struct RunFlags {
  std::string config_file;
  std::optional<std::string> bind, advertise, http, http_token, data_dir, key_file, id, node_type, preset,
      address, events_file;
  std::optional<std::uint16_t> metrics_port;
  std::optional<bool> is_load_balancer;
  std::vector<std::string> seeds;            ///< Added to the file's seeds.
  std::vector<std::string> tags;             ///< key=value, over the file's tags.
  std::vector<std::string> event_handlers;   ///< kind=COMMAND or COMMAND (all kinds).
  bool create_key = false;
  bool quiet = false;
};

/// Resolves settings: the config file (if flags.config_file is set), then the flags.
/// Errors are invalid_config (naming the key or flag) or io (unreadable file).
Result<AgentSettings> load_settings(const RunFlags& flags);

}  // namespace swell::agent
