#include "agent/handler_process.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <string.h>  // sigabbrev_np
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "agent/no_sigpipe.h"

namespace swell::agent {
namespace {

// Without a pidfd, how often the wait loop asks waitpid whether the child is gone.
constexpr int kFallbackPollMs = 10;
// How often terminate() checks whether the rest of the group is gone.
constexpr auto kGroupPollInterval = std::chrono::milliseconds(10);
// SIGKILL cannot be caught, but a process stuck in the kernel (D state) can delay its death;
// beyond this we stop waiting rather than hang the caller forever.
constexpr auto kKillWait = std::chrono::seconds(5);

// strerror, but thread-safe.
std::string errno_text(int error) { return std::error_code(error, std::generic_category()).message(); }

// pidfd_open(2) through syscall(2): glibc 2.36 has a wrapper, but older ones do not.
int pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
  // pidfds are always close-on-exec, so a later handler cannot inherit this one.
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}

// Milliseconds until deadline for poll(2): rounded up, so we never wake just before it.
int poll_timeout_ms(HandlerProcess::Clock::time_point deadline) {
  const auto left = deadline - HandlerProcess::Clock::now();
  if (left <= HandlerProcess::Clock::duration::zero()) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<decltype(ms)>(ms, INT_MAX));
}

// The spawn attributes: a new process group (so the group can be killed as one) and
// every signal at its default, unblocked. Threads that run handlers block signals, and
// an embedder may ignore some; a child must not inherit either (SIG_IGN survives exec).
struct SpawnAttributes {
  posix_spawnattr_t attr;
  SpawnAttributes() {
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    sigset_t all;
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attr); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
};

// stdin from the pipe; stdout and stderr to output_fd. All our other fds are O_CLOEXEC.
struct SpawnFiles {
  posix_spawn_file_actions_t actions;
  SpawnFiles(int stdin_read, int output_fd) {
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, stdin_read, STDIN_FILENO);
    if (output_fd != STDOUT_FILENO) posix_spawn_file_actions_adddup2(&actions, output_fd, STDOUT_FILENO);
    if (output_fd != STDERR_FILENO) posix_spawn_file_actions_adddup2(&actions, output_fd, STDERR_FILENO);
  }
  ~SpawnFiles() { posix_spawn_file_actions_destroy(&actions); }
  SpawnFiles(const SpawnFiles&) = delete;
  SpawnFiles& operator=(const SpawnFiles&) = delete;
};

}  // namespace

Result<HandlerProcess> HandlerProcess::start(const HandlerCommand& command) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return Error{ErrorCode::io, "cannot create a stdin pipe for handler `" + command.command + "`: " +
                                    errno_text(errno) + "; raise the open-files limit (ulimit -n)"};
  }
  // Non-blocking: we feed stdin from poll, so a child that never reads cannot stall us.
  ::fcntl(pipe_fds[1], F_SETFL, O_NONBLOCK);
  std::vector<char*> envp;
  envp.reserve(command.env.size() + 1);
  for (const std::string& entry : command.env) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  char sh[] = "sh";
  char dash_c[] = "-c";
  char* argv[] = {sh, dash_c, const_cast<char*>(command.command.c_str()), nullptr};
  const SpawnAttributes attributes;
  const SpawnFiles files(pipe_fds[0], command.output_fd);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, "/bin/sh", &files.actions, &attributes.attr, argv, envp.data());
  ::close(pipe_fds[0]);
  if (rc != 0) {
    ::close(pipe_fds[1]);
    return Error{ErrorCode::io, "cannot start handler `" + command.command + "` with /bin/sh: " + errno_text(rc)};
  }
  return HandlerProcess(pid, pidfd_open(pid), pipe_fds[1], command.input);
}

HandlerProcess::HandlerProcess(pid_t pid, int pidfd, int stdin_fd, std::string input)
    : pid_(pid), pidfd_(pidfd), stdin_fd_(stdin_fd), input_(std::move(input)) {
  if (input_.empty()) close_stdin();
}

HandlerProcess::HandlerProcess(HandlerProcess&& other) noexcept
    : pid_(other.pid_),
      pidfd_(other.pidfd_),
      stdin_fd_(other.stdin_fd_),
      input_(std::move(other.input_)),
      written_(other.written_),
      exited_(other.exited_),
      status_known_(other.status_known_),
      status_(other.status_) {
  other.pid_ = -1;
  other.pidfd_ = -1;
  other.stdin_fd_ = -1;
  other.exited_ = true;
}

HandlerProcess::~HandlerProcess() {
  if (!exited_ && pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
  }
  close_stdin();
  if (pidfd_ >= 0) ::close(pidfd_);
}

bool HandlerProcess::reap() {
  if (exited_) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    status_ = status;
    status_known_ = true;
    exited_ = true;
  } else if (r < 0 && errno == ECHILD) {
    // Someone else reaped it (SIGCHLD ignored, or a waitpid(-1) elsewhere): it is gone.
    exited_ = true;
  }
  if (exited_) close_stdin();
  return exited_;
}

void HandlerProcess::close_stdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

void HandlerProcess::feed_stdin() {
  while (stdin_fd_ >= 0 && written_ < input_.size()) {
    const ssize_t n = write_no_sigpipe(stdin_fd_, std::string_view(input_).substr(written_));
    if (n >= 0) {
      written_ += static_cast<std::size_t>(n);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return;  // The pipe is full; poll tells us when it drains.
    } else if (errno != EINTR) {
      close_stdin();  // EPIPE: the handler closed stdin without reading it all, which it may.
      return;
    }
  }
  close_stdin();  // All written: EOF tells the handler the event is complete.
}

bool HandlerProcess::wait_until(Clock::time_point deadline, int wake_fd) {
  for (;;) {
    if (reap()) return true;
    if (Clock::now() >= deadline) return false;
    pollfd fds[3];
    nfds_t n = 0;
    int stdin_index = -1;
    int wake_index = -1;
    if (pidfd_ >= 0) fds[n++] = {pidfd_, POLLIN, 0};
    if (stdin_fd_ >= 0) {
      stdin_index = static_cast<int>(n);
      fds[n++] = {stdin_fd_, POLLOUT, 0};
    }
    if (wake_fd >= 0) {
      wake_index = static_cast<int>(n);
      fds[n++] = {wake_fd, POLLIN, 0};
    }
    int timeout_ms = poll_timeout_ms(deadline);
    if (pidfd_ < 0) timeout_ms = std::min(timeout_ms, kFallbackPollMs);
    if (::poll(fds, n, timeout_ms) < 0) continue;  // EINTR; others (ENOMEM) retry too.
    if (stdin_index >= 0 && fds[stdin_index].revents != 0) feed_stdin();
    if (wake_index >= 0 && (fds[wake_index].revents & POLLIN) != 0) return reap();
  }
}

void HandlerProcess::terminate(std::chrono::milliseconds grace) {
  if (exited_ || pid_ <= 0) return;
  const auto kill_at = Clock::now() + grace;
  // The group, not just the shell: a handler's own children (a pipeline, a `sleep &`)
  // must go too. The child is our unreaped child, so its pid cannot have been reused.
  ::kill(-pid_, SIGTERM);
  if (wait_until(kill_at, -1)) {
    // The shell is gone; the rest of its group gets the rest of the grace. While any group
    // member lives, the kernel keeps the group id from being reused.
    while (Clock::now() < kill_at && ::kill(-pid_, 0) == 0) std::this_thread::sleep_for(kGroupPollInterval);
  }
  ::kill(-pid_, SIGKILL);
  wait_until(Clock::now() + kKillWait, -1);
}

std::string describe_exit(const HandlerProcess& process) {
  if (!process.exited()) return "still running";
  if (!process.status_known()) return "exit status unknown (reaped elsewhere)";
  const int status = process.status();
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = sigabbrev_np(sig);
    return "killed by signal " + std::to_string(sig) + (name != nullptr ? std::string(" (SIG") + name + ")" : "");
  }
  return "ended with wait status " + std::to_string(status);
}

bool exited_cleanly(const HandlerProcess& process) {
  if (!process.exited()) return false;
  if (!process.status_known()) return true;
  return WIFEXITED(process.status()) && WEXITSTATUS(process.status()) == 0;
}

}  // namespace swell::agent
