// swell-hostile: the full hostile-traffic run on real sockets. A 5-agent cluster on
// 127.0.0.1; at agent 0: a UDP flood (random bytes, replays of captured valid
// datagrams, captured datagrams with a wrong authenticator, oversized datagrams) at
// --rate per second for --seconds, then --idle TCP connections that send nothing,
// --streams oversized length prefixes and --streams garbage streams. Prints one JSON
// line: membership before and after, false verdicts, RSS growth, every reject by reason.
//
//   build/bench/swell-hostile --rate 10000 --seconds 60 --idle 1000 --streams 1000
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <atomic>
#include <future>
#include <iostream>

#include "runtime/hostile_traffic.h"
#include "runtime/loop_runner.h"

using namespace std::chrono_literals;

namespace {

struct Options {
  int rate = 10000;
  double seconds = 60;
  int idle = 1000;
  int streams = 1000;
};

template <class F>
auto run_beside(swell::test::LoopRunner& runner, F work) {
  auto job = std::async(std::launch::async, work);
  runner.run_until([&] { return job.wait_for(0s) == std::future_status::ready; }, std::chrono::hours(1));
  return job.get();
}

nlohmann::json counters(const swell::AgentSnapshot& s) {
  return {{"datagrams_received", s.transport.datagrams_received},
          {"oversized", s.transport.datagrams_oversized},
          {"malformed", s.node.dropped_malformed},
          {"bad_mac", s.node.dropped_bad_mac},
          {"replayed", s.node.dropped_replayed},
          {"unknown_sender", s.node.dropped_unknown_sender},
          {"messages_rejected", s.node.messages_rejected},
          {"claims_rejected", s.node.claims_rejected},
          {"connections_accepted", s.transport.connections_accepted},
          {"connections_refused", s.transport.connections_refused},
          {"connections_timed_out", s.transport.connections_timed_out},
          {"connections_failed", s.transport.connections_failed},
          {"streams_oversized", s.transport.streams_oversized},
          {"streams_rejected", s.transport.streams_rejected}};
}

nlohmann::json diff(const nlohmann::json& a, const nlohmann::json& b) {
  nlohmann::json out;
  for (auto it = b.begin(); it != b.end(); ++it) out[it.key()] = it.value().get<std::uint64_t>() - a[it.key()].get<std::uint64_t>();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"swell-hostile: hostile UDP and TCP traffic at one agent of a 5-agent loopback cluster"};
  Options o;
  app.add_option("--rate", o.rate, "UDP datagrams per second (default 10000)");
  app.add_option("--seconds", o.seconds, "Length of the UDP flood (default 60)");
  app.add_option("--idle", o.idle, "TCP connections that send nothing (default 1000)");
  app.add_option("--streams", o.streams, "Oversized-prefix and garbage streams, each (default 1000)");
  CLI11_PARSE(app, argc, argv);
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
    lim.rlim_cur = lim.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &lim);
  }

  swell::test::LoopRunner runner;
  std::vector<swell::Agent> agents;
  std::atomic<int> verdicts{0};
  swell::test::DatagramCapture capture;
  for (int i = 0; i < 5; ++i) {
    std::vector<std::string> seeds;
    if (i > 0) seeds.push_back(agents.front().address());
    auto opts = swell::test::loopback_options("h" + std::to_string(i), "127.0.0.1", runner.loop(), seeds);
    opts.config = swell::Config::local();
    opts.on_event = [&](const swell::MembershipEvent& e) {
      if (e.kind == swell::MembershipEvent::Kind::failed || e.kind == swell::MembershipEvent::Kind::left) ++verdicts;
    };
    if (i == 0) opts.faults.tap = capture.tap(1024);
    auto a = swell::Agent::start(std::move(opts));
    if (!a.ok()) {
      std::cerr << a.error().message << "\n";
      return 1;
    }
    agents.push_back(std::move(a).value());
  }
  if (!runner.run_until([&] { return swell::test::all_see_alive(agents, 5) && capture.kept().size() >= 64; }, 30s)) {
    std::cerr << "swell-hostile: the cluster did not form\n";
    return 1;
  }
  const std::uint16_t port = agents[0].bound_port();
  const auto captured = capture.kept();
  const auto c0 = counters(*agents[0].snapshot());
  const std::uint64_t rss0 = swell::test::rss_bytes();
  const auto sent = run_beside(runner, [&] { return swell::test::udp_flood(port, o.seconds, o.rate, captured, 7); });
  runner.run_until([] { return false; }, 1s);
  const std::uint64_t rss_udp = swell::test::rss_bytes();
  const bool members_after_udp = swell::test::all_see_alive(agents, 5);
  auto idle = run_beside(runner, [&] { return swell::test::idle_connections(port, o.idle); });
  const std::uint64_t rss_idle = swell::test::rss_bytes();
  // Wait for the deadline to close the served ones.
  runner.run_until([&] { return agents[0].snapshot()->transport.connections_timed_out >= 64; },
                   std::chrono::seconds(30));
  for (const int fd : idle) ::close(fd);
  run_beside(runner, [&] {
    swell::test::oversized_prefixes(port, o.streams);
    swell::test::garbage_streams(port, o.streams, 9);
    return 0;
  });
  runner.run_until([] { return false; }, 6s);  // past stream_timeout for stragglers
  const std::uint64_t rss1 = swell::test::rss_bytes();
  const auto c1 = counters(*agents[0].snapshot());

  nlohmann::json r;
  r["udp_sent"] = {{"random", sent.random}, {"replayed", sent.replayed}, {"wrong_key", sent.wrong_key},
                   {"oversized", sent.oversized}, {"total", sent.total()}, {"seconds", o.seconds}};
  r["tcp_sent"] = {{"idle", idle.size()}, {"oversized_prefix", o.streams}, {"garbage", o.streams}};
  r["rejects"] = diff(c0, c1);
  r["members_alive_everywhere_after_udp"] = members_after_udp;
  r["members_alive_everywhere_at_end"] = swell::test::all_see_alive(agents, 5);
  r["failed_or_left_verdicts"] = verdicts.load();
  r["rss_growth_mib_udp"] = (static_cast<double>(rss_udp) - static_cast<double>(rss0)) / 1048576.0;
  r["rss_growth_mib_idle_tcp"] = (static_cast<double>(rss_idle) - static_cast<double>(rss0)) / 1048576.0;
  r["rss_growth_mib_total"] = (static_cast<double>(rss1) - static_cast<double>(rss0)) / 1048576.0;
  std::cout << r.dump() << std::endl;
  runner.stop_all(agents);
  return 0;
}
