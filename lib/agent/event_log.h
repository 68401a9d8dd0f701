// EventLog: where `swell-agent run` reports membership events. Each event becomes one
// JSON line (event_json) on stdout or appended to a file, and one human-readable line on
// stderr unless quiet. docs/agent.md documents both.
//
//   auto log = swell::agent::EventLog::open({.events_file = settings.events_file,
//                                            .quiet = settings.quiet});
//   if (!log.ok()) { std::cerr << log.error().message << "\n"; return 2; }
//   log.value()->write(event);                     // JSON line + "swell-agent: failed ..."
//   log.value()->log_line("joined through 10.0.3.1:7946");
//
// A failed write (full disk, closed stdout, a reader that went away) is counted, never
// thrown, and never raises SIGPIPE (agent/no_sigpipe.h says how, and why not SIG_IGN).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <unistd.h>

#include "swell/events.h"
#include "swell/result.h"

namespace swell::agent {

/// Where EventLog writes.
struct EventLogOptions {
  std::string events_file;        ///< JSON lines are appended here (0640, created if missing); empty: stdout.
  bool quiet = false;             ///< No human-readable lines (per event or log_line); log_problem still writes.
  int human_fd = STDERR_FILENO;   ///< Where human-readable lines go; tests point it at a file. Not closed.
};

/// Writes membership events as JSON lines and human-readable lines; thread-safe.
class EventLog {
 public:
  /// Opens the events file (or takes stdout); io error naming the path if it cannot be opened.
  static Result<std::unique_ptr<EventLog>> open(const EventLogOptions& options);
  /// Closes the events file (never stdout).
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  /// Writes the event's JSON line (time_ms = the wall clock now) and its human-readable line.
  void write(const MembershipEvent& event);
  /// As write(event), with the Unix ms the JSON line carries given by the caller.
  void write(const MembershipEvent& event, std::uint64_t unix_ms);
  /// Writes "swell-agent: " + line on the human fd, unless quiet.
  void log_line(std::string_view line);
  /// Writes "swell-agent: " + line on the human fd even when quiet (errors an operator must see).
  void log_problem(std::string_view line);

  /// JSON lines written in full.
  [[nodiscard]] std::uint64_t lines_written() const { return lines_written_.load(); }
  /// JSON lines that failed to write (counted, not thrown).
  [[nodiscard]] std::uint64_t write_errors() const { return write_errors_.load(); }
  /// Human-readable lines that failed to write.
  [[nodiscard]] std::uint64_t human_write_errors() const { return human_write_errors_.load(); }

 private:
  /// Takes events_fd (closing it at the end if owns_fd).
  EventLog(int events_fd, bool owns_fd, const EventLogOptions& options);
  /// Writes one finished human line; the caller holds mutex_.
  void write_human(std::string_view line);

  int events_fd_;
  bool owns_fd_;
  bool quiet_;
  int human_fd_;
  std::mutex mutex_;  // One writer at a time, so lines never interleave.
  std::atomic<std::uint64_t> lines_written_{0};
  std::atomic<std::uint64_t> write_errors_{0};
  std::atomic<std::uint64_t> human_write_errors_{0};
};

/// The human-readable line for an event, without the "swell-agent: " prefix, e.g.
/// "failed backend-7 (9f1c04ab) at 10.0.3.7:7946: suspected by 1a2b3c4d, 2 confirmations,
/// 1 nack, timeout 2.5 s".
std::string describe_event(const MembershipEvent& event);

/// Milliseconds since the Unix epoch by the wall clock, for event_json's time_ms.
std::uint64_t unix_now_ms();

}  // namespace swell::agent
