// Snapshot reads from 4 threads in a tight loop while a 20-agent cluster churns (joins,
// stops, PeerInfo updates) on real loopback sockets. Run under ThreadSanitizer by
// ./setup.sh test-tsan; prints the reads per second per thread.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "runtime/loop_runner.h"

using namespace std::chrono_literals;
using swell::Agent;
using swell::test::LoopRunner;
using swell::test::loopback_options;

TEST_CASE("snapshot readers on 4 threads while 20 agents churn") {
  LoopRunner runner;
  constexpr int kStable = 10, kChurning = 10, kReaders = 4;
  // Readers use only the stable agents, which are never moved or stopped while they run.
  std::vector<Agent> stable;
  for (int i = 0; i < kStable; ++i) {
    std::vector<std::string> seeds;
    if (i > 0) seeds.push_back(stable.front().address());
    auto a = Agent::start(loopback_options("s" + std::to_string(i), "127.0.0.1", runner.loop(), seeds));
    REQUIRE(a.ok());
    stable.push_back(std::move(a).value());
  }
  REQUIRE(runner.run_until([&] { return swell::test::all_see_alive(stable, kStable); }, 15s));

  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> bad{0};
  std::vector<std::uint64_t> reads(kReaders, 0);
  std::vector<double> seconds(kReaders, 0);
  std::vector<std::thread> readers;
  for (int t = 0; t < kReaders; ++t) {
    readers.emplace_back([&, t] {
      const auto t0 = std::chrono::steady_clock::now();
      std::uint64_t n = 0, sum = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        auto s = stable[n % kStable].snapshot();
        if (!s || !s->members) ++bad;
        sum += s->members->size();
        // Let the loop run on a 2-core machine (a reader still does millions per second).
        if (++n % 256 == 0) std::this_thread::yield();
      }
      seconds[t] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      reads[t] = n + (sum == 0 ? 1 : 0);
    });
  }

  // Churn: start the other ten, update PeerInfo, stop some, start again.
  std::vector<Agent> churning;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < kChurning; ++i) {
      auto a = Agent::start(loopback_options("c" + std::to_string(i), "127.0.0.1", runner.loop(),
                                             {stable[i % kStable].address()}));
      REQUIRE(a.ok());
      churning.push_back(std::move(a).value());
    }
    CHECK(runner.run_until([&] { return swell::test::all_see_alive(stable, kStable + kChurning); }, 60s));
    for (int i = 0; i < kStable; i += 3) {
      auto info = stable[i].snapshot()->find(stable[i].id())->announcement->info;
      info.metadata = {static_cast<std::uint8_t>('0' + round)};
      CHECK(stable[i].set_local_info(info).ok());
    }
    CHECK(runner.stop_all(churning));
    churning.clear();
    CHECK(runner.run_until([&] {
      for (const Agent& a : stable) {
        if (a.snapshot()->count(swell::MemberState::alive) != kStable) return false;
      }
      return true;
    }, 60s));
  }
  stop = true;
  for (auto& r : readers) r.join();
  CHECK(bad.load() == 0);
  for (int t = 0; t < kReaders; ++t) {
    const double per_s = static_cast<double>(reads[t]) / seconds[t];
    MESSAGE("reader " << t << ": " << reads[t] << " reads in " << seconds[t] << " s = " << per_s / 1e6
                      << " million reads/s");
    CHECK(reads[t] > 0);
  }
  CHECK(runner.stop_all(stable));
}
