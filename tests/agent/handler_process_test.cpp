#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/handler_process.h"
#include "agent/process_fixtures.h"

using namespace swell;
using namespace swell::agent;
using namespace swell::agent::testing;
using namespace std::chrono_literals;
using Clock = HandlerProcess::Clock;

namespace {

// Starts command with a minimal environment; fails the test if it cannot.
HandlerProcess start(const std::string& command, std::string input = {}) {
  auto p = HandlerProcess::start({.command = command, .env = {"PATH=/usr/bin:/bin"}, .input = std::move(input)});
  REQUIRE(p.ok());
  return std::move(p).value();
}

}  // namespace

TEST_CASE("a handler that never reads a large stdin does not block us") {
  // 1 MiB is far beyond a pipe's 64 KiB buffer: a blocking write would hang here forever.
  HandlerProcess p = start("exit 0", std::string(1 << 20, 'x'));
  REQUIRE(p.wait_until(Clock::now() + 20s, -1));
  CHECK(exited_cleanly(p));
}

TEST_CASE("a handler that reads stdin gets all of it, fed as the pipe drains") {
  TempDir dir;
  HandlerProcess p = start("wc -c > " + dir.at("n"), std::string(1 << 20, 'x'));
  REQUIRE(p.wait_until(Clock::now() + 20s, -1));
  CHECK(exited_cleanly(p));
  CHECK(std::stoul(read_file(dir.at("n"))) == (1u << 20));
}

TEST_CASE("exit statuses and deaths by signal are described") {
  HandlerProcess three = start("exit 3");
  REQUIRE(three.wait_until(Clock::now() + 20s, -1));
  CHECK_FALSE(exited_cleanly(three));
  CHECK(describe_exit(three) == "exited with status 3");
  HandlerProcess killed = start("kill -KILL $$");
  REQUIRE(killed.wait_until(Clock::now() + 20s, -1));
  CHECK_FALSE(exited_cleanly(killed));
  CHECK(describe_exit(killed) == "killed by signal 9 (SIGKILL)");
}

TEST_CASE("the handler gets exactly the environment given") {
  TempDir dir;
  auto p = HandlerProcess::start({.command = "env > " + dir.at("env"), .env = {"ONLY=this"}, .input = {}});
  REQUIRE(p.ok());
  REQUIRE(p.value().wait_until(Clock::now() + 20s, -1));
  // dash adds PWD (and nothing else) when it starts.
  const std::string env = read_file(dir.at("env"));
  CHECK(env.find("ONLY=this\n") != std::string::npos);
  CHECK(env.find("HOME=") == std::string::npos);
}

TEST_CASE("terminate kills the whole process group, even members that ignore SIGTERM") {
  TempDir dir;
  // The shell and its background sleep ignore SIGTERM, so only the SIGKILL after grace ends them.
  HandlerProcess p = start("trap '' TERM; sleep 60 & echo $! > " + dir.at("pid") + "; wait");
  REQUIRE(eventually([&] { return read_file(dir.at("pid")).find('\n') != std::string::npos; }));
  const pid_t child = static_cast<pid_t>(std::stol(read_file(dir.at("pid"))));
  CHECK_FALSE(p.wait_until(Clock::now() + 50ms, -1));
  p.terminate(200ms);
  CHECK(p.exited());
  CHECK(describe_exit(p) == "killed by signal 9 (SIGKILL)");
  CHECK(eventually([&] { return process_gone(child); }));
}

TEST_CASE("a wake fd ends the wait early without touching the child") {
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  HandlerProcess p = start("sleep 60");
  REQUIRE(::write(fds[1], "x", 1) == 1);
  CHECK_FALSE(p.wait_until(Clock::now() + 60s, fds[0]));  // Returns at once, not after 60 s.
  CHECK_FALSE(p.exited());
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_CASE("destroying a running handler kills and reaps it: no zombie") {
  pid_t pid = -1;
  {
    HandlerProcess p = start("sleep 60");
    pid = p.pid();
  }
  int status = 0;
  CHECK(::waitpid(pid, &status, WNOHANG) == -1);  // ECHILD: already reaped.
  CHECK(process_gone(pid));
}

TEST_CASE("the handler inherits none of our pipes, pidfds or eventfds") {
  TempDir dir;
  // Whatever started this test may have left inheritable fds of its own: those are not ours.
  std::set<std::string> inheritable;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::stoi(entry.path().filename().string());
    std::error_code ignored;
    const auto target = std::filesystem::read_symlink(entry.path(), ignored);
    if (fd > 2 && (::fcntl(fd, F_GETFD) & FD_CLOEXEC) == 0) inheritable.insert(std::to_string(fd) + " -> " + target.string());
  }
  // $$ is the shell (or the ls it became). No redirection in the command: dash would keep
  // a saved copy of the fd it redirects, which is the shell's and would blur the check.
  const int out = ::open(dir.at("fds").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  REQUIRE(out >= 0);
  auto started = HandlerProcess::start(
      {.command = "ls -l /proc/$$/fd", .env = {"PATH=/usr/bin:/bin"}, .input = "input", .output_fd = out});
  ::close(out);
  REQUIRE(started.ok());
  REQUIRE(started.value().wait_until(Clock::now() + 20s, -1));
  std::istringstream listing(read_file(dir.at("fds")));
  for (std::string line; std::getline(listing, line);) {
    const auto arrow = line.find(" -> ");
    if (arrow == std::string::npos) continue;
    const auto space = line.rfind(' ', arrow - 1);
    const std::string fd_and_target = line.substr(space + 1);
    if (std::stoi(fd_and_target) <= 2 || inheritable.count(fd_and_target) != 0) continue;
    const std::string target = line.substr(arrow + 4);
    CHECK_MESSAGE(target.find("pipe:") == std::string::npos, line);
    CHECK_MESSAGE(target.find("pidfd") == std::string::npos, line);
    CHECK_MESSAGE(target.find("eventfd") == std::string::npos, line);
  }
}
