// Hostile traffic on real sockets, short version (the full one is bench/swell_hostile.cpp):
// a UDP flood at one agent of five and TCP abuse; membership and memory unaffected,
// every reject counted by reason.
#include <doctest/doctest.h>

#include <atomic>
#include <future>

#include "runtime/hostile_traffic.h"
#include "runtime/loop_runner.h"

using namespace std::chrono_literals;
using swell::Agent;
using swell::test::LoopRunner;
using swell::test::loopback_options;

namespace {

struct Cluster {
  LoopRunner runner;
  std::vector<Agent> agents;
  std::atomic<int> failed{0};
  swell::test::DatagramCapture capture;

  Cluster() {
    for (int i = 0; i < 5; ++i) {
      std::vector<std::string> seeds;
      if (i > 0) seeds.push_back(agents.front().address());
      auto o = loopback_options("h" + std::to_string(i), "127.0.0.1", runner.loop(), seeds);
      o.on_event = [this](const swell::MembershipEvent& e) {
        if (e.kind == swell::MembershipEvent::Kind::failed || e.kind == swell::MembershipEvent::Kind::left) ++failed;
      };
      if (i == 0) o.faults.tap = capture.tap(256);
      auto a = Agent::start(std::move(o));
      REQUIRE(a.ok());
      agents.push_back(std::move(a).value());
    }
    REQUIRE(runner.run_until([&] { return swell::test::all_see_alive(agents, 5); }, 10s));
  }
  // Runs the loop while work runs on another thread.
  template <class F>
  auto run_beside(F work) {
    auto job = std::async(std::launch::async, work);
    runner.run_until([&] { return job.wait_for(0s) == std::future_status::ready; }, 120s);
    return job.get();
  }
  bool steady() { return swell::test::all_see_alive(agents, 5) && failed.load() == 0; }
};

}  // namespace

TEST_CASE("a UDP flood at one agent leaves membership and memory alone, every reject counted") {
  Cluster c;
  REQUIRE(c.runner.run_until([&] { return c.capture.kept().size() >= 64; }, 10s));
  const auto captured = c.capture.kept();
  const auto before = c.agents[0].snapshot();
  const std::uint64_t rss0 = swell::test::rss_bytes();
  const auto sent = c.run_beside([&] { return swell::test::udp_flood(c.agents[0].bound_port(), 3.0, 10000, captured, 7); });
  c.runner.run_until([&] { return false; }, 500ms);  // let the loop read what is queued
  const std::uint64_t rss1 = swell::test::rss_bytes();
  const auto after = c.agents[0].snapshot();
  CHECK(c.steady());
  CHECK(rss1 < rss0 + (10u << 20));
  const auto& n0 = before->node;
  const auto& n1 = after->node;
  const auto& t0 = before->transport;
  const auto& t1 = after->transport;
  MESSAGE("sent " << sent.total() << ": random " << sent.random << ", replayed " << sent.replayed << ", wrong key "
                  << sent.wrong_key << ", oversized " << sent.oversized);
  MESSAGE("rejected: oversized " << t1.datagrams_oversized - t0.datagrams_oversized << ", malformed "
                                 << n1.dropped_malformed - n0.dropped_malformed << ", bad mac "
                                 << n1.dropped_bad_mac - n0.dropped_bad_mac << ", replayed "
                                 << n1.dropped_replayed - n0.dropped_replayed << ", unknown sender "
                                 << n1.dropped_unknown_sender - n0.dropped_unknown_sender
                                 << "; rss growth " << (static_cast<double>(rss1) - static_cast<double>(rss0)) / 1048576.0
                                 << " MiB");
  // The kernel may drop part of a flood when the loop falls behind (sanitizer builds);
  // every datagram that was read is accounted for: oversized ones by the transport, the
  // rest handed to the core, whose drops add up by reason.
  const auto read = t1.datagrams_received - t0.datagrams_received;
  CHECK(read >= sent.total() / 2);
  CHECK(read == (t1.datagrams_oversized - t0.datagrams_oversized) + (n1.datagrams_received - n0.datagrams_received));
  CHECK(n1.datagrams_dropped - n0.datagrams_dropped ==
        (n1.dropped_malformed - n0.dropped_malformed) + (n1.dropped_bad_mac - n0.dropped_bad_mac) +
            (n1.dropped_replayed - n0.dropped_replayed) + (n1.dropped_unknown_sender - n0.dropped_unknown_sender));
  CHECK(t1.datagrams_oversized > t0.datagrams_oversized);
  CHECK(n1.dropped_malformed > n0.dropped_malformed);
  CHECK(n1.dropped_bad_mac > n0.dropped_bad_mac);
  // Replays inside the window are dropped as replayed; older ones are not trusted for
  // pings and acks, and their signed claims re-apply idempotently.
  CHECK(n1.dropped_replayed > n0.dropped_replayed);
  CHECK(c.runner.stop_all(c.agents));
}

TEST_CASE("idle, oversized and garbage TCP streams are capped, closed at the deadline, and counted") {
  Cluster c;
  const std::uint16_t port = c.agents[0].bound_port();
  const std::uint64_t rss0 = swell::test::rss_bytes();
  auto idle = c.run_beside([&] { return swell::test::idle_connections(port, 200); });
  // The idle ones over the cap were refused at once; the rest close at stream_timeout.
  CHECK(c.runner.run_until([&] {
    const auto s = c.agents[0].snapshot();
    return s->transport.connections_timed_out >= 64 && s->transport.connections_refused >= 200 - 64;
  }, 10s));
  for (const int fd : idle) ::close(fd);
  c.run_beside([&] {
    swell::test::oversized_prefixes(port, 50);
    swell::test::garbage_streams(port, 50, 9);
    return 0;
  });
  CHECK(c.runner.run_until([&] {
    const auto s = c.agents[0].snapshot();
    // Every one of the 300 connections ended under a counted reason (some of the last
    // 100 were refused too: they came faster than 64 at a time).
    const auto& t = s->transport;
    return t.streams_oversized + t.streams_rejected + t.connections_timed_out + t.connections_refused +
               t.connections_failed >= 300 && t.streams_oversized > 0 && t.streams_rejected > 0;
  }, 10s));
  const auto s = c.agents[0].snapshot();
  MESSAGE("refused " << s->transport.connections_refused << ", timed out " << s->transport.connections_timed_out
                     << ", oversized " << s->transport.streams_oversized << ", rejected "
                     << s->transport.streams_rejected << ", failed " << s->transport.connections_failed);
  CHECK(s->transport.connections_refused >= 200 - 64);
  CHECK(swell::test::rss_bytes() < rss0 + (10u << 20));
  CHECK(c.runner.run_until([&] { return c.steady(); }, 5s));
  CHECK(c.failed.load() == 0);
  CHECK(c.runner.stop_all(c.agents));
}

TEST_CASE("a trickling TCP peer is closed at the deadline, not kept alive by its bytes") {
  Cluster c;
  const std::uint16_t port = c.agents[0].bound_port();
  const auto timed_out0 = c.agents[0].snapshot()->transport.connections_timed_out;
  // A 4096-byte frame announced, then one byte of it every 100 ms: never silent,
  // never whole.
  auto closed_after_s = c.run_beside([&] {
    const int fd = swell::test::tcp_connect(port);
    const auto t0 = std::chrono::steady_clock::now();
    const std::uint8_t prefix[4] = {0, 0, 0x10, 0};
    (void)::send(fd, prefix, sizeof prefix, MSG_NOSIGNAL);
    const std::uint8_t byte = 0x42;
    for (int i = 0; i < 50; ++i) {
      if (::send(fd, &byte, 1, MSG_NOSIGNAL) != 1) break;  // the agent closed it
      std::this_thread::sleep_for(100ms);                  // the trickle's pace, not a decision
    }
    ::close(fd);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  });
  // Counters are republished every stats_interval: wait for the one that counts it.
  CHECK(c.runner.run_until(
      [&] { return c.agents[0].snapshot()->transport.connections_timed_out == timed_out0 + 1; }, 2s));
  CHECK(closed_after_s < 4.0);  // stream_timeout is 1 s; 50 bytes would take 5 s
  CHECK(c.steady());
  CHECK(c.runner.stop_all(c.agents));
}
