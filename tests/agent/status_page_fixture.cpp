// A live cluster for the HTTP API's out-of-process tests (promtool, headless Chromium):
// N in-process agents on 127.0.0.1 with the HTTP API on the first, whose events feed
// the recent-events ring. With --fail K, the last K agents are stopped and the program
// waits (with a deadline) until the first declares each of them failed and logs the
// evidence. Then it prints "READY <port>" and serves until its stdin closes.
//
//   status_page_fixture --members 5 --fail 1 --token T
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "agent/http_api.h"
#include "agent/member_json.h"
#include "agent/recent_events.h"
#include "agent/tags.h"
#include "agent_threads.h"

using namespace std::chrono_literals;
using namespace swell;
using namespace swell::agent;

namespace {

struct Args {
  int members = 5;
  int fail = 0;
  std::string token;
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--members") a.members = std::atoi(argv[i + 1]);
    else if (flag == "--fail") a.fail = std::atoi(argv[i + 1]);
    else if (flag == "--token") a.token = argv[i + 1];
  }
  return a;
}

std::uint64_t unix_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

// Roles and tags vary so the page has something to show in every column.
void shape(int i, AgentOptions& o, RecentEvents& events) {
  static const NodeType kTypes[] = {NodeType::proxy, NodeType::backend, NodeType::backend, NodeType::governator};
  o.info.node_type = kTypes[i % 4];
  o.info.id = std::string(to_string(o.info.node_type)) + "-" + std::to_string(i);
  o.info.address = "127.0.0.1:" + std::to_string(8000 + i);
  o.info.metadata = encode_tags({{"zone", i % 2 == 0 ? "eu-1" : "eu-2"}, {"rack", std::to_string(10 + i)}});
  if (i == 0) o.on_event = [&events](const MembershipEvent& e) { events.push(event_json(e, unix_ms())); };
}

bool failed_event_logged(const RecentEvents& events, const NodeId& victim) {
  for (const auto& e : events.newest_first()) {
    if ((*e)["kind"] == "failed" && (*e)["member"]["id"] == victim.to_hex() && e->contains("evidence")) return true;
  }
  return false;
}

// The first agent sees every stopped agent dead (with its failed event) and the rest alive.
bool failures_settled(const Agent& observer, const std::vector<Agent>& agents, int fail, const RecentEvents& events) {
  auto snap = observer.snapshot();
  const std::size_t live = agents.size() - static_cast<std::size_t>(fail);
  if (snap->count(MemberState::alive) != live) return false;
  for (std::size_t i = live; i < agents.size(); ++i) {
    const MemberSnapshot* m = snap->find(agents[i].id());
    if (m == nullptr || m->state != MemberState::dead || !failed_event_logged(events, agents[i].id())) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  RecentEvents events;
  auto started = test::start_threaded_agents(args.members, "m", [&](int i, AgentOptions& o) { shape(i, o, events); });
  if (!started.ok()) {
    std::cerr << "agents did not start: " << started.error().message << "\n";
    return 1;
  }
  std::vector<Agent> agents = std::move(started).value();
  if (!test::wait_until([&] { return test::all_see_alive(agents, agents.size()); }, 30s)) {
    std::cerr << "the cluster did not form within 30 s\n";
    return 1;
  }
  HttpApiOptions o;
  o.listen = "127.0.0.1:0";
  o.token = args.token;
  o.snapshot = [&] { return agents.front().snapshot(); };
  o.events = &events;
  auto api = HttpApi::start(std::move(o));
  if (!api.ok()) {
    std::cerr << api.error().message << "\n";
    return 1;
  }
  for (int k = 0; k < args.fail; ++k) agents[agents.size() - 1 - static_cast<std::size_t>(k)].stop();
  if (!test::wait_until([&] { return failures_settled(agents.front(), agents, args.fail, events); }, 60s)) {
    std::cerr << "the stopped members were not declared failed within 60 s\n";
    return 1;
  }
  std::cout << "READY " << api.value()->port() << std::endl;
  // Serve until the test closes our stdin.
  while (std::cin.get() != std::char_traits<char>::eof()) {
  }
  api.value()->stop();
  test::stop_agents(agents);
  return 0;
}
