// Daemon: `swell-agent run` assembled. It owns the swell::Agent and everything around
// it: the event log, the event handlers, the recent-events ring, the HTTP API and the
// data directory. The process's main thread drives it (run_command.cpp): pump() moves
// events from the agent's queue to the log, the handlers and the ring, and keeps the
// member list on disk; the agent's loop thread never waits on any of them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/agent_config.h"
#include "agent/event_handlers.h"
#include "agent/event_log.h"
#include "agent/http_api.h"
#include "agent/key_rotation.h"
#include "agent/recent_events.h"
#include "swell/agent.h"
#include "swell/result.h"

namespace swell::agent {

/// A running swell-agent: start(), then pump() until it should stop, then shutdown().
class Daemon {
 public:
  /// Loads the settings and the key, binds, starts the HTTP API and joins. Errors:
  /// invalid_config and key_file_* (exit 2: fix what is named), io (exit 1).
  static Result<std::unique_ptr<Daemon>> start(const RunFlags& flags);
  /// Moves queued events on; saves the member list when it changed (every few seconds).
  void pump();
  /// SIGHUP: re-reads the config file (and the allow-list file), announces the new
  /// PeerInfo and tags and applies the new allow-list; keeps the running settings and
  /// list (and says why) when either does not load.
  void reload();
  /// True once PUT /v1/leave asked the agent to leave and exit.
  [[nodiscard]] bool leave_requested() const { return leave_requested_.load(); }
  /// Saves the members, leaves gracefully (bounded by leave_timeout), stops everything.
  /// Returns the process exit code.
  int shutdown();
  /// The log, for the signal loop's own lines.
  EventLog& log() { return *log_; }

  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  ~Daemon();

 private:
  Daemon(RunFlags flags, AgentSettings settings, std::unique_ptr<EventLog> log);
  /// The configured seeds, then the remembered members, host names resolved.
  std::vector<std::string> gather_seeds();
  Result<void> start_agent(Identity identity);
  Result<void> start_http();
  DaemonCounters counters() const;
  void save_members_if_changed(bool force);
  /// Logs the admission mode at start; open by omission as a warning.
  void log_admission();
  /// POST /v1/revocations: checked against the trusted CAs, then applied.
  Result<NodeId> revoke(Bytes revocation) const;
  /// POST /v1/rotate-key: installs the new key (and certificate) and rotates to it.
  Result<NodeId> rotate_key(const std::string& body);
  /// Writes revoked-keys.txt when the node learnt a revocation.
  void save_revoked_if_changed();
  /// SIGHUP: applies next's allow-list (already read by load_settings) in allowlist mode.
  void reload_allowlist(const AgentSettings& next);

  const RunFlags flags_;
  AgentSettings settings_;
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<EventHandlers> handlers_;
  RecentEvents recent_;
  std::optional<Agent> agent_;
  std::unique_ptr<HttpApi> http_;
  std::atomic<bool> leave_requested_{false};
  std::vector<std::string> seeds_;          // configured and remembered seeds the agent joins through
  std::atomic<Agent*> live_agent_{nullptr}; // for the HTTP threads: null until the agent runs
  std::uint64_t saved_members_hash_ = 0;
  std::chrono::steady_clock::time_point next_save_{};
  std::shared_ptr<const std::vector<NodeId>> saved_revoked_;  // the list last saved (or started with)
  // Copies for the HTTP threads: the running settings_ change on reload.
  std::vector<NodeId> trusted_cas_;
  std::string cluster_label_;
  InstalledFiles installed_;    // the key and (ca mode) certificate files a rotation replaces
  std::mutex rotation_mutex_;
  std::atomic<std::uint64_t> allowlist_reloads_{0};
  std::atomic<std::uint64_t> allowlist_reload_failures_{0};
  std::atomic<std::uint64_t> revoked_save_errors_{0};
};

}  // namespace swell::agent
