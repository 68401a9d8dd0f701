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
#include <string>
#include <vector>

#include "agent/agent_config.h"
#include "agent/event_handlers.h"
#include "agent/event_log.h"
#include "agent/http_api.h"
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
  /// SIGHUP: re-reads the config file and announces the new PeerInfo and tags; keeps
  /// the running settings (and says so) when the file does not load.
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
};

}  // namespace swell::agent
