// HandlerProcess: one run of an event handler command as a child process: `/bin/sh -c
// COMMAND` in its own process group, fed bytes on stdin, waited for with a deadline, and
// killed with its whole group when it overstays. EventHandlers owns the policy (what runs,
// when, what counts); this file owns the process mechanics.
//
//   auto p = HandlerProcess::start({.command = "logger -t swell", .env = env, .input = json});
//   if (!p.ok()) return log(p.error().message);
//   if (!p.value().wait_until(Clock::now() + timeout, -1)) p.value().terminate(1s);
//   describe_exit(p.value().status());                   // "exited with status 3"
//
// How it waits (one design, Linux 5.3+): pidfd_open(2) gives an fd that polls readable
// when the child exits, so one poll(2) watches the child, the stdin pipe (non-blocking, fed
// as it drains, so a handler that never reads stdin cannot block us) and a caller's wake fd
// together, with the deadline as poll's timeout. Reaping is waitpid(pid, WNOHANG) on that
// one pid, so nothing else's children are touched. Where pidfd_open is missing (ENOSYS
// before 5.3, or seccomp), the same loop polls waitpid every kFallbackPollMs instead.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>
#include <unistd.h>

#include "swell/result.h"

namespace swell::agent {

/// What to start.
struct HandlerCommand {
  std::string command;            ///< Run as /bin/sh -c command.
  std::vector<std::string> env;   ///< The complete environment, "NAME=value" each.
  std::string input;              ///< Written to its stdin, which is then closed.
  int output_fd = STDERR_FILENO;  ///< Its stdout and stderr both go here.
};

/// A running (or finished) handler child; not copyable, reaps its child before it goes.
class HandlerProcess {
 public:
  using Clock = std::chrono::steady_clock;  ///< Deadlines are on this clock.

  /// Spawns the command in a new process group, signals at their defaults and unblocked;
  /// an io error (naming the command) if it cannot be spawned.
  static Result<HandlerProcess> start(const HandlerCommand& command);
  /// Moves the child (and its fds) out of other.
  HandlerProcess(HandlerProcess&& other) noexcept;
  HandlerProcess& operator=(HandlerProcess&&) = delete;
  HandlerProcess(const HandlerProcess&) = delete;
  HandlerProcess& operator=(const HandlerProcess&) = delete;
  /// If the child still runs, SIGKILLs its group and reaps it: never leaves a zombie.
  ~HandlerProcess();

  /// Feeds stdin and waits until the child exits (true), deadline passes or wake_fd
  /// (ignored if -1) polls readable (false).
  bool wait_until(Clock::time_point deadline, int wake_fd);
  /// SIGTERM to the group; SIGKILL to what is left of it after grace; reaps the child.
  void terminate(std::chrono::milliseconds grace);

  /// True once the child has been reaped.
  [[nodiscard]] bool exited() const { return exited_; }
  /// The raw waitpid status; meaningful only when exited() and status_known().
  [[nodiscard]] int status() const { return status_; }
  /// False if someone else reaped the child (SIGCHLD set to SIG_IGN, or a waitpid(-1)).
  [[nodiscard]] bool status_known() const { return status_known_; }
  /// The child's pid, which is also its process group id.
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  /// Adopts a spawned child, its pidfd (or -1) and the write end of its stdin.
  HandlerProcess(pid_t pid, int pidfd, int stdin_fd, std::string input);
  /// waitpid(WNOHANG) on our child only; true once it has exited.
  bool reap();
  /// Writes as much of the rest of input as the pipe takes now; closes stdin when done.
  void feed_stdin();
  /// Closes our end of the child's stdin (idempotent).
  void close_stdin();

  pid_t pid_;
  int pidfd_;      // -1 when pidfd_open is unavailable.
  int stdin_fd_;   // Write end of the child's stdin; -1 once closed.
  std::string input_;
  std::size_t written_ = 0;
  bool exited_ = false;
  bool status_known_ = false;
  int status_ = 0;
};

/// "exited with status 3", "killed by signal 9 (KILL)", or "exit status unknown".
std::string describe_exit(const HandlerProcess& process);
/// True when the child exited with status 0 (or was reaped by someone else, so we cannot tell).
bool exited_cleanly(const HandlerProcess& process);

}  // namespace swell::agent
