#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "agent/event_handlers.h"
#include "agent/member_json.h"
#include "agent/sample_events.h"
#include "agent/process_fixtures.h"

using namespace swell;
using namespace swell::agent;
using namespace swell::agent::testing;
using namespace std::chrono_literals;
using Kind = MembershipEvent::Kind;

namespace {

// Collects EventHandlers' log lines from its worker threads.
struct LogLines {
  std::mutex mutex;
  std::vector<std::string> lines;
  // A sink that appends to lines; this must outlive the EventHandlers using it.
  HandlerLogSink sink() {
    return [this](std::string_view line) {
      const std::lock_guard lock(mutex);
      lines.emplace_back(line);
    };
  }
  // How many lines contain every one of parts.
  std::size_t count(std::initializer_list<std::string_view> parts) {
    const std::lock_guard lock(mutex);
    std::size_t n = 0;
    for (const std::string& line : lines) {
      bool all = true;
      for (std::string_view part : parts) all = all && line.find(part) != std::string::npos;
      n += all ? 1 : 0;
    }
    return n;
  }
};

// Settings with these commands and timeout, the other fields at their defaults.
EventHandlerSettings settings_for(std::multimap<std::string, std::string> commands,
                                  std::chrono::milliseconds timeout = 20s) {
  EventHandlerSettings s;
  s.commands = std::move(commands);
  s.timeout = timeout;
  return s;
}

// env(1) output as a map; multi-line values keep only their first line.
std::map<std::string, std::string> parse_env(const std::string& text) {
  std::map<std::string, std::string> env;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

// Lines in the file at path (0 if it does not exist).
std::size_t line_count(const std::string& path) {
  const std::string text = read_file(path);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A handler that runs until the test creates dir/go; it polls for the file itself.
std::string wait_for_go(const TempDir& dir) {
  return "while [ ! -e " + dir.at("go") + " ]; do sleep 0.01; done";
}

// Creates an empty file at path.
void create(const std::string& path) { std::fclose(std::fopen(path.c_str(), "w")); }

}  // namespace

TEST_CASE("a handler gets exactly the event's JSON line on stdin and the SWELL_* environment") {
  TempDir dir;
  ::setenv("SWELL_TAG_STALE", "from-the-agent", 1);  // Must not pose as the member's tag.
  ::setenv("SWELL_TEST_INHERITED", "yes", 1);
  LogLines log;
  EventHandlers handlers(
      settings_for({{"failed", "cat > " + dir.at("out.json") + "; env > " + dir.at("env.txt")}}),
      self_id(), log.sink());
  ::unsetenv("SWELL_TAG_STALE");
  ::unsetenv("SWELL_TEST_INHERITED");
  const MembershipEvent event = sample_event(Kind::failed);
  handlers.dispatch(event, 1700000000123);
  REQUIRE(handlers.wait_idle(20s));
  CHECK(read_file(dir.at("out.json")) == event_json(event, 1700000000123).dump() + "\n");
  const auto env = parse_env(read_file(dir.at("env.txt")));
  CHECK(env.at("SWELL_EVENT") == "failed");
  CHECK(env.at("SWELL_MEMBER_ID") == event.member.to_hex());
  CHECK(env.at("SWELL_MEMBER_NAME") == "backend-7");
  CHECK(env.at("SWELL_MEMBER_ADDRESS") == "10.0.3.7:3000");
  CHECK(env.at("SWELL_MEMBER_SWIM_ADDRESS") == "10.0.3.7:7946");
  CHECK(env.at("SWELL_NODE_TYPE") == "backend");
  CHECK(env.at("SWELL_MEMBER_STATE") == "dead");
  CHECK(env.at("SWELL_INCARNATION") == "4");
  CHECK(env.at("SWELL_SELF_ID") == self_id().to_hex());
  CHECK(env.at("SWELL_TAG_ZONE") == "eu-1");
  CHECK(env.at("SWELL_TAG_RACK_ID") == "r7");
  CHECK(env.count("SWELL_TAG_STALE") == 0);
  CHECK(env.at("SWELL_TEST_INHERITED") == "yes");
  CHECK(handlers.runs() == 1);
  CHECK(handlers.failures() == 0);
  CHECK(log.lines.empty());
}

TEST_CASE("commands run for their own kind and for all") {
  TempDir dir;
  LogLines log;
  EventHandlers handlers(settings_for({{"joined", "echo joined >> " + dir.at("joined")},
                                       {"failed", "echo failed >> " + dir.at("failed")},
                                       {"all", "echo $SWELL_EVENT >> " + dir.at("all")}}),
                         self_id(), log.sink());
  handlers.dispatch(sample_event(Kind::joined));
  handlers.dispatch(sample_event(Kind::failed));
  handlers.dispatch(sample_event(Kind::left));
  REQUIRE(handlers.wait_idle(20s));
  CHECK(line_count(dir.at("joined")) == 1);
  CHECK(line_count(dir.at("failed")) == 1);
  CHECK(line_count(dir.at("all")) == 3);
  CHECK(handlers.runs() == 5);
  CHECK(handlers.failures() == 0);
}

TEST_CASE("a handler still running at its timeout is killed, counted and logged") {
  LogLines log;
  EventHandlers handlers(settings_for({{"failed", "sleep 60"}}, 300ms), self_id(), log.sink());
  const auto start = std::chrono::steady_clock::now();
  handlers.dispatch(sample_event(Kind::failed));
  REQUIRE(eventually([&] { return handlers.timeouts() == 1; }));
  CHECK(std::chrono::steady_clock::now() - start >= 300ms);  // Not killed before its time.
  REQUIRE(handlers.wait_idle(20s));
  CHECK(handlers.failures() == 0);
  CHECK(log.count({"`sleep 60`", "failed backend-7 (9f1c04ab)", "timed out after 300 ms"}) == 1);
}

TEST_CASE("a timed-out handler's children die with it") {
  TempDir dir;
  LogLines log;
  EventHandlers handlers(
      settings_for({{"all", "sleep 60 & echo $! > " + dir.at("child.pid") + "; wait"}}, 300ms), self_id(),
      log.sink());
  handlers.dispatch(sample_event(Kind::joined));
  REQUIRE(eventually([&] { return handlers.timeouts() == 1; }));
  const std::string pid_text = read_file(dir.at("child.pid"));
  REQUIRE_FALSE(pid_text.empty());
  const pid_t child = static_cast<pid_t>(std::stol(pid_text));
  CHECK(eventually([&] { return process_gone(child); }));
}

TEST_CASE("dispatch returns at once even while every handler hangs") {
  constexpr auto kTimeout = 2000ms;
  EventHandlerSettings s = settings_for({{"all", "sleep 60"}}, kTimeout);
  s.max_concurrent = 2;
  s.max_queued = 200;
  LogLines log;
  EventHandlers handlers(s, self_id(), log.sink());
  const MembershipEvent event = sample_event(Kind::suspected);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) handlers.dispatch(event);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  // Waiting for even one handler would take the whole timeout.
  CHECK(elapsed < kTimeout / 4);
  handlers.stop(0ms);
  CHECK(handlers.runs() + handlers.dropped() == 100);
  CHECK(handlers.timeouts() == handlers.runs());  // Killed at stop.
  CHECK(handlers.dropped() >= 98);
}

TEST_CASE("runs beyond max_queued are dropped and counted, logged once per burst") {
  TempDir dir;
  EventHandlerSettings s = settings_for({{"all", wait_for_go(dir)}});
  s.max_concurrent = 1;
  s.max_queued = 3;
  LogLines log;
  EventHandlers handlers(s, self_id(), log.sink());
  for (int i = 0; i < 10; ++i) handlers.dispatch(sample_event(Kind::updated));
  // At most one running and three queued: six or seven of ten dropped.
  CHECK(handlers.dropped() >= 6);
  CHECK(handlers.dropped() <= 7);
  CHECK(log.count({"queue full", "max_queued 3"}) == 1);
  create(dir.at("go"));
  REQUIRE(handlers.wait_idle(20s));
  handlers.dispatch(sample_event(Kind::updated));
  CHECK(log.count({"room again", "dropped " + std::to_string(handlers.dropped()) + " runs"}) == 1);
  REQUIRE(handlers.wait_idle(20s));
  CHECK(handlers.runs() + handlers.dropped() == 11);
}

TEST_CASE("at most max_concurrent handlers run at once; the rest wait in the queue") {
  TempDir dir;
  EventHandlerSettings s = settings_for({{"all", wait_for_go(dir)}});
  s.max_concurrent = 2;
  LogLines log;
  EventHandlers handlers(s, self_id(), log.sink());
  for (int i = 0; i < 4; ++i) handlers.dispatch(sample_event(Kind::joined));
  REQUIRE(eventually([&] { return handlers.running() == 2 && handlers.queued() == 2; }));
  CHECK(handlers.runs() == 2);
  create(dir.at("go"));
  REQUIRE(handlers.wait_idle(20s));
  CHECK(handlers.runs() == 4);
  CHECK(handlers.dropped() == 0);
}

TEST_CASE("a failing handler is counted and logged with its exit status") {
  LogLines log;
  EventHandlers handlers(settings_for({{"left", "exit 3"}}), self_id(), log.sink());
  handlers.dispatch(sample_event(Kind::left));
  REQUIRE(handlers.wait_idle(20s));
  CHECK(handlers.failures() == 1);
  CHECK(handlers.timeouts() == 0);
  CHECK(log.count({"`exit 3`", "left backend-7 (9f1c04ab)", "exited with status 3"}) == 1);
}

TEST_CASE("stop waits out its grace for running handlers, then kills the rest") {
  TempDir dir;
  {
    LogLines log;
    EventHandlers handlers(settings_for({{"all", "sleep 0.1; touch " + dir.at("done")}}), self_id(), log.sink());
    handlers.dispatch(sample_event(Kind::joined));
    REQUIRE(eventually([&] { return handlers.running() == 1; }));
    handlers.stop(20s);
    CHECK(std::ifstream(dir.at("done")).good());  // The handler finished within the grace.
    CHECK(handlers.timeouts() == 0);
  }
  LogLines log;
  EventHandlers handlers(settings_for({{"all", "sleep 60"}}), self_id(), log.sink());
  handlers.dispatch(sample_event(Kind::joined));
  handlers.dispatch(sample_event(Kind::joined));
  REQUIRE(eventually([&] { return handlers.running() == 2; }));
  handlers.stop(100ms);
  CHECK(handlers.timeouts() == 2);
  CHECK(log.count({"still running at shutdown"}) == 2);
  handlers.dispatch(sample_event(Kind::joined));  // After stop: dropped, not run.
  CHECK(handlers.dropped() == 1);
  CHECK(handlers.runs() == 2);
}

TEST_CASE("a handler's stdout goes to our stderr, never into the JSON lines on stdout") {
  TempDir dir;
  const std::string captured = dir.at("stdout.txt");
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  const int file = ::open(captured.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  REQUIRE(file >= 0);
  ::dup2(file, STDOUT_FILENO);
  {
    LogLines log;
    EventHandlers handlers(settings_for({{"all", "echo handler-output-on-stderr-is-expected"}}), self_id(),
                           log.sink());
    handlers.dispatch(sample_event(Kind::joined));
    CHECK(handlers.wait_idle(20s));
  }
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  ::close(file);
  CHECK(read_file(captured).empty());
}

TEST_CASE("a command for an unknown kind is logged when the handlers are built") {
  LogLines log;
  EventHandlers handlers(settings_for({{"exploded", "true"}}), self_id(), log.sink());
  CHECK(log.count({"unknown event kind `exploded`", "`true`"}) == 1);
}

TEST_CASE("tag names become SWELL_TAG_ variables") {
  CHECK(tag_env_name("zone") == "SWELL_TAG_ZONE");
  CHECK(tag_env_name("rack.id") == "SWELL_TAG_RACK_ID");
  CHECK(tag_env_name("gpu-count_2") == "SWELL_TAG_GPU_COUNT_2");
}
