// DaemonCounters: what swell-agent itself did around the protocol (event handlers, event
// lines, allow-list reloads), shown by GET /v1/self and GET /metrics next to the agent's own counters.
//
//   swell::agent::DaemonCounters c = handlers.counters();   // the daemon fills it
//   body += swell::agent::prometheus_text(*agent.snapshot(), c);
#pragma once

#include <cstdint>

namespace swell::agent {

/// The daemon's counters; never reset, so they are Prometheus counters.
struct DaemonCounters {
  std::uint64_t handler_runs = 0;         ///< Event handler commands started.
  std::uint64_t handler_failures = 0;     ///< Of those, ended with a non-zero exit status or a signal.
  std::uint64_t handler_timeouts = 0;     ///< Of those, killed for running longer than the handler timeout.
  std::uint64_t handler_dropped = 0;      ///< Handler runs not started because the handler queue was full.
  std::uint64_t event_lines_written = 0;  ///< JSON event lines written to stdout or the events file.
  std::uint64_t event_write_errors = 0;   ///< Event lines that could not be written.
  std::uint64_t allowlist_reloads = 0;    ///< SIGHUP reloads that applied the allow-list file.
  std::uint64_t allowlist_reload_failures = 0;  ///< SIGHUP reloads refused: the old list stays.
  std::uint64_t revoked_save_errors = 0;  ///< Saves of revoked-keys.txt that failed.
};

}  // namespace swell::agent
