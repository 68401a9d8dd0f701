#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/event_log.h"
#include "agent/member_json.h"
#include "agent/sample_events.h"
#include "agent/process_fixtures.h"

using namespace swell;
using namespace swell::agent;
using namespace swell::agent::testing;
using Kind = MembershipEvent::Kind;

namespace {

// The lines of text, without their newlines.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("EventLog appends one JSON line per event to its file, each readable at once") {
  TempDir dir;
  const std::string path = dir.at("events.jsonl");
  const std::string human = dir.at("stderr.txt");
  const int human_fd = ::open(human.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  REQUIRE(human_fd >= 0);
  auto opened = EventLog::open({.events_file = path, .quiet = false, .human_fd = human_fd});
  REQUIRE(opened.ok());
  EventLog& log = *opened.value();
  const Kind kinds[] = {Kind::joined, Kind::failed, Kind::left};
  for (Kind kind : kinds) log.write(sample_event(kind), 1700000000123);
  // No close, no flush call: each line is on disk as soon as write() returns.
  const auto lines = lines_of(read_file(path));
  REQUIRE(lines.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto j = nlohmann::json::parse(lines[i]);
    CHECK(j == event_json(sample_event(kinds[i]), 1700000000123));
  }
  CHECK(nlohmann::json::parse(lines[1])["evidence"]["nacks_seen"] == 1);
  CHECK(log.lines_written() == 3);
  CHECK(log.write_errors() == 0);
  CHECK(lines_of(read_file(human)).size() == 3);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  const mode_t mask = ::umask(0);
  ::umask(mask);
  CHECK((st.st_mode & 0777) == (0640 & ~mask));
  ::close(human_fd);
}

TEST_CASE("EventLog appends to an existing events file") {
  TempDir dir;
  const std::string path = dir.at("events.jsonl");
  for (int round = 0; round < 2; ++round) {
    auto opened = EventLog::open({.events_file = path, .quiet = true});
    REQUIRE(opened.ok());
    opened.value()->write(sample_event(Kind::joined));
  }
  const auto lines = lines_of(read_file(path));
  REQUIRE(lines.size() == 2);
  CHECK(nlohmann::json::parse(lines[1])["time_ms"].get<std::uint64_t>() > 1600000000000);
}

TEST_CASE("an events file that cannot be opened is an io error naming the path") {
  auto opened = EventLog::open({.events_file = "/nonexistent-swell-dir/events.jsonl"});
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == ErrorCode::io);
  CHECK(opened.error().message.find("/nonexistent-swell-dir/events.jsonl") != std::string::npos);
}

TEST_CASE("a failed write (a full disk) is counted, not thrown") {
  auto opened = EventLog::open({.events_file = "/dev/full", .quiet = true});
  REQUIRE(opened.ok());
  EventLog& log = *opened.value();
  log.write(sample_event(Kind::failed));
  log.write(sample_event(Kind::joined));
  CHECK(log.write_errors() == 2);
  CHECK(log.lines_written() == 0);
}

TEST_CASE("a reader that went away is a counted EPIPE, and no SIGPIPE is left pending") {
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  ::close(fds[0]);
  auto opened = EventLog::open({.events_file = "/dev/null", .quiet = false, .human_fd = fds[1]});
  REQUIRE(opened.ok());
  EventLog& log = *opened.value();
  log.write(sample_event(Kind::suspected));  // Had SIGPIPE been raised, this process would be dead.
  log.log_problem("still here");
  CHECK(log.human_write_errors() == 2);
  CHECK(log.lines_written() == 1);
  sigset_t pending;
  sigpending(&pending);
  CHECK(sigismember(&pending, SIGPIPE) == 0);
  ::close(fds[1]);
}

TEST_CASE("human-readable lines: one per event with the evidence for failed; quiet keeps only log_problem") {
  TempDir dir;
  const std::string human = dir.at("stderr.txt");
  const int human_fd = ::open(human.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  REQUIRE(human_fd >= 0);
  {
    auto loud = EventLog::open({.events_file = "/dev/null", .quiet = false, .human_fd = human_fd});
    REQUIRE(loud.ok());
    loud.value()->write(sample_event(Kind::failed));
    loud.value()->log_line("joined through 10.0.3.1:7946");
    auto quiet = EventLog::open({.events_file = "/dev/null", .quiet = true, .human_fd = human_fd});
    REQUIRE(quiet.ok());
    quiet.value()->write(sample_event(Kind::joined));
    quiet.value()->log_line("not shown");
    quiet.value()->log_problem("cannot bind 0.0.0.0:7946");
    CHECK(quiet.value()->lines_written() == 1);
  }
  ::close(human_fd);
  const auto lines = lines_of(read_file(human));
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] ==
        "swell-agent: failed backend-7 (9f1c04ab) at 10.0.3.7:7946: suspected by 1a2b3c4d, 2 confirmations, "
        "1 nack, timeout 2.5 s");
  CHECK(lines[1] == "swell-agent: joined through 10.0.3.1:7946");
  CHECK(lines[2] == "swell-agent: cannot bind 0.0.0.0:7946");
}

TEST_CASE("describe_event, kind by kind") {
  CHECK(describe_event(sample_event(Kind::joined)) ==
        "joined backend-7 (9f1c04ab) at 10.0.3.7:7946: serves 10.0.3.7:3000 as backend, incarnation 4");
  CHECK(describe_event(sample_event(Kind::updated)) ==
        "updated backend-7 (9f1c04ab) at 10.0.3.7:7946: serves 10.0.3.7:3000 as backend, incarnation 4");
  CHECK(describe_event(sample_event(Kind::suspected)) == "suspected backend-7 (9f1c04ab) at 10.0.3.7:7946: incarnation 4");
  CHECK(describe_event(sample_event(Kind::left)) == "left backend-7 (9f1c04ab) at 10.0.3.7:7946: incarnation 4");
  CHECK(describe_event(sample_event(Kind::recovered)) == "recovered backend-7 (9f1c04ab) at 10.0.3.7:7946: incarnation 4");
  MembershipEvent lost = sample_event(Kind::name_conflict);
  lost.name_owner = id_with_prefix("77aa0001");
  CHECK(describe_event(lost) == "name_conflict backend-7 (9f1c04ab) at 10.0.3.7:7946: lost its name to 77aa0001");
  CHECK(event_json(lost, 1)["name_owner"] == lost.name_owner->to_hex());

  MembershipEvent verdict = sample_event(Kind::failed);
  verdict.evidence->timeout_used = Duration(0);  // We accepted someone's dead claim.
  verdict.evidence->confirmations.resize(1);
  verdict.evidence->nacks_seen = 0;
  verdict.evidence->probed_by_us = true;
  verdict.evidence->declared_by = id_with_prefix("77aa0000");
  verdict.evidence->flapping = true;
  CHECK(describe_event(verdict) ==
        "failed backend-7 (9f1c04ab) at 10.0.3.7:7946: suspected by 1a2b3c4d, 1 confirmation, 0 nacks, "
        "our probe failed too, declared by 77aa0000, held down: flapping");

  MembershipEvent bare{};
  bare.kind = Kind::suspected;
  bare.member = id_with_prefix("abcdef01");
  bare.incarnation = 2;
  CHECK(describe_event(bare) == "suspected abcdef01: incarnation 2");
}

TEST_CASE("a peer's name cannot forge a second log line") {
  TempDir dir;
  const std::string human = dir.at("stderr.txt");
  const int human_fd = ::open(human.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  REQUIRE(human_fd >= 0);
  MembershipEvent e = sample_event(Kind::joined);
  auto a = std::make_shared<Announcement>(*e.announcement);
  a->info.id = "evil\nswell-agent: failed everyone";
  e.announcement = a;
  {
    auto log = EventLog::open({.events_file = "/dev/null", .human_fd = human_fd});
    REQUIRE(log.ok());
    log.value()->write(e);
  }
  ::close(human_fd);
  CHECK(lines_of(read_file(human)).size() == 1);
}
