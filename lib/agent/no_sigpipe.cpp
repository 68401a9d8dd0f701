#include "agent/no_sigpipe.h"

#include <cerrno>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

namespace swell::agent {

// Why not ignore SIGPIPE for the whole process: SIG_IGN survives exec, so every event
// handler child would inherit it, and an embedder's own choice would be overridden.
// Instead SIGPIPE is blocked on this thread around the write, so a reader that went away
// yields EPIPE. The SIGPIPE that write raised is then pending on this thread (it is a
// synchronous, thread-directed signal) and is consumed with a zero-timeout sigtimedwait
// before the old mask returns, unless one was already pending before we began, which is
// someone else's to handle. MSG_NOSIGNAL would do this in one call, but only on sockets.
ssize_t write_no_sigpipe(int fd, std::string_view data) {
  sigset_t pipe_set;
  sigset_t old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  sigset_t pending;
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  const ssize_t n = ::write(fd, data.data(), data.size());
  const int error = errno;
  if (n < 0 && error == EPIPE && !was_pending) {
    const timespec zero{};
    sigtimedwait(&pipe_set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  errno = error;
  return n;
}

}  // namespace swell::agent
