// EventHandlers: the commands `swell-agent run` runs on membership events (Serf's event
// handlers). dispatch() only queues; worker threads run each matching command as
// `/bin/sh -c COMMAND` with the event's JSON line on stdin and SWELL_* variables in its
// environment, at most max_concurrent at once, each killed (with its process group) at
// the timeout. docs/agent.md documents what a handler sees and what is logged.
//
//   EventHandlers handlers(settings.handlers, identity.id(),
//                          [&log](std::string_view line) { log.log_problem(line); });
//   handlers.dispatch(event);           // on the loop thread: never blocks
//   ...
//   handlers.stop(settings.leave_timeout);
//
// Threads: dispatch() and the accessors may be called from any thread; stop() from one.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "agent/agent_config.h"
#include "swell/events.h"
#include "swell/node_id.h"

namespace swell::agent {

class HandlerProcess;

/// Receives EventHandlers' log lines (no prefix, no newline); called from any thread.
using HandlerLogSink = std::function<void(std::string_view line)>;

/// Runs the configured commands for membership events; never blocks its caller.
class EventHandlers {
 public:
  /// How long a handler that ignores SIGTERM has before SIGKILL.
  static constexpr std::chrono::milliseconds kKillGrace{1000};

  /// Starts the workers (none when no commands are configured); log defaults to stderr.
  EventHandlers(EventHandlerSettings settings, const NodeId& self, HandlerLogSink log = {});
  /// stop(0 ms): handlers still running are killed (SIGTERM, SIGKILL after kKillGrace).
  ~EventHandlers();
  EventHandlers(const EventHandlers&) = delete;
  EventHandlers& operator=(const EventHandlers&) = delete;

  /// Queues a run of every command for the event's kind and of every "all" command;
  /// time_ms is the wall clock now. Drops (and counts) runs beyond max_queued.
  void dispatch(const MembershipEvent& event) noexcept;
  /// As dispatch(event), with the Unix ms of the JSON's time_ms given by the caller.
  void dispatch(const MembershipEvent& event, std::uint64_t unix_ms) noexcept;
  /// Stops accepting and drops queued runs; waits up to grace for running ones, then
  /// kills them (SIGTERM, SIGKILL after kKillGrace) and joins the workers. Idempotent.
  void stop(std::chrono::milliseconds grace) noexcept;
  /// Waits up to limit until nothing is queued or running; true if it got there.
  bool wait_idle(std::chrono::milliseconds limit);

  /// Handler runs started (spawned or tried to).
  [[nodiscard]] std::uint64_t runs() const { return runs_.load(); }
  /// Runs that could not start, exited non-zero or died by a signal they did not get from us.
  [[nodiscard]] std::uint64_t failures() const { return failures_.load(); }
  /// Runs killed at their timeout, or still running when stop()'s grace ran out.
  [[nodiscard]] std::uint64_t timeouts() const { return timeouts_.load(); }
  /// Runs never started: the queue was full, or stop() came first.
  [[nodiscard]] std::uint64_t dropped() const { return dropped_.load(); }
  /// Runs waiting in the queue now.
  [[nodiscard]] std::size_t queued() const;
  /// Handlers running now.
  [[nodiscard]] std::size_t running() const;

 private:
  struct QueuedEvent;
  enum class Ending { exited, timed_out, killed_at_stop };  // How a supervised run ended.
  struct Run {
    const std::string* command;                 // Points into settings_.commands, which never changes.
    std::shared_ptr<const QueuedEvent> event;   // Shared by every run for one event.
  };

  /// A worker thread: takes runs from the queue until stop().
  void work() noexcept;
  /// Runs one handler to its end, counts and logs the outcome.
  void execute(const Run& run);
  /// Waits for the child's exit, its timeout or stop()'s deadline; kills it at either deadline.
  Ending supervise(HandlerProcess& process, std::chrono::steady_clock::time_point timeout_at);
  /// Hands a line to the log sink (or stderr); never throws.
  void log(const std::string& line) noexcept;

  const EventHandlerSettings settings_;
  const std::string self_hex_;
  const HandlerLogSink log_;
  std::array<std::vector<const std::string*>, 6> commands_by_kind_;  // Indexed by Kind; "all" ones included.
  std::vector<std::string> base_env_;  // The agent's environment at construction, minus the names we set.
  int wake_fd_ = -1;                   // eventfd, readable once stop() has begun.

  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable idle_;
  std::deque<Run> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  bool in_overflow_ = false;           // Inside a burst of drops: logged at its start and end.
  std::uint64_t burst_drops_ = 0;
  std::size_t worker_count_ = 0;       // Threads started; fixed after construction.
  std::atomic<bool> stop_requested_{false};
  std::atomic<std::chrono::steady_clock::rep> stop_deadline_{0};  // time_since_epoch; valid once stop_requested_.
  std::mutex stop_mutex_;                          // Serialises stop() calls.
  std::vector<std::thread> workers_;

  std::atomic<std::uint64_t> runs_{0};
  std::atomic<std::uint64_t> failures_{0};
  std::atomic<std::uint64_t> timeouts_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

/// The variable a tag becomes: "SWELL_TAG_" + name upper-cased, non-alphanumerics as '_'
/// ("rack.id" gives SWELL_TAG_RACK_ID).
std::string tag_env_name(std::string_view tag);
/// The SWELL_* variables a handler gets for event (see docs/agent.md), "NAME=value" each.
std::vector<std::string> handler_env(const MembershipEvent& event, const std::string& self_hex);

}  // namespace swell::agent
