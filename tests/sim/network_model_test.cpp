// NetworkModel: reachability, loss draws and per-link latency.
#include <doctest/doctest.h>

#include <chrono>

#include "network_model.h"

namespace swell::sim {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST_CASE("a one-way block cuts one direction only, and heal lifts it") {
  NetworkModel net;
  Rng rng(1);
  net.block(1, 2);
  CHECK_FALSE(net.reachable(1, 2));
  CHECK(net.reachable(2, 1));
  CHECK_FALSE(net.delivers(1, 2, rng));
  CHECK(net.delivers(2, 1, rng));
  net.heal();
  CHECK(net.reachable(1, 2));
}

TEST_CASE("uniform and inbound loss drop about the requested share") {
  struct Case {
    double loss, inbound, expected;
  };
  for (const Case c : {Case{0.0, 0.0, 0.0}, Case{0.2, 0.0, 0.2}, Case{0.0, 0.3, 0.3}, Case{0.5, 0.5, 0.75}}) {
    CAPTURE(c.loss);
    CAPTURE(c.inbound);
    NetworkModel net;
    net.set_loss(c.loss);
    net.set_inbound_loss(7, c.inbound);
    Rng rng(42);
    int lost = 0;
    constexpr int kDraws = 20000;
    for (int k = 0; k < kDraws; ++k) lost += net.delivers(3, 7, rng) ? 0 : 1;
    CHECK(static_cast<double>(lost) / kDraws == doctest::Approx(c.expected).epsilon(0.02));
    // Inbound loss is per receiver.
    int lost_elsewhere = 0;
    for (int k = 0; k < kDraws; ++k) lost_elsewhere += net.delivers(7, 3, rng) ? 0 : 1;
    CHECK(static_cast<double>(lost_elsewhere) / kDraws == doctest::Approx(c.loss).epsilon(0.02));
  }
}

TEST_CASE("latency stays in its range, and a per-link override wins") {
  NetworkModel net;
  net.set_latency({milliseconds(1), milliseconds(2)});
  net.set_link_latency(0, 1, {milliseconds(50), milliseconds(60)});
  Rng rng(3);
  for (int k = 0; k < 1000; ++k) {
    const Duration any = net.latency(2, 3, rng);
    CHECK(any >= milliseconds(1));
    CHECK(any <= milliseconds(2));
    const Duration slow = net.latency(0, 1, rng);
    CHECK(slow >= milliseconds(50));
    CHECK(slow <= milliseconds(60));
    const Duration back = net.latency(1, 0, rng);  // the override is directed
    CHECK(back <= milliseconds(2));
  }
  net.set_latency({microseconds(500), microseconds(100)});  // max below min: raised to min
  CHECK(net.latency(5, 6, rng) == microseconds(500));
  net.clear_link_latencies();
  CHECK(net.latency(0, 1, rng) == microseconds(500));
}

TEST_CASE("bursty loss comes in runs; its long-run rate follows the chain") {
  NetworkModel net;
  // Stationary P(bad) = to_bad / (to_bad + to_good) = 0.05 / 0.25 = 0.2, all lost there.
  net.set_burst_loss(BurstLoss{0.05, 0.2, 0.0, 1.0});
  Rng rng(11);
  int lost = 0, runs = 0;
  bool previous = false;
  constexpr int kDraws = 50000;
  for (int k = 0; k < kDraws; ++k) {
    const bool l = !net.delivers(0, 1, rng);
    lost += l ? 1 : 0;
    if (l && !previous) ++runs;
    previous = l;
  }
  CHECK(lost == doctest::Approx(0.2 * kDraws).epsilon(0.1));
  CHECK(static_cast<double>(lost) / runs == doctest::Approx(5.0).epsilon(0.15));  // mean burst 1 / to_good
}

TEST_CASE("duplication and reordering draw only when enabled") {
  NetworkModel net;
  Rng a(5), b(5);
  CHECK_FALSE(net.duplicates(a));
  CHECK(net.reorder_delay(a) == Duration(0));
  CHECK(a.next() == b.next());  // nothing was drawn
  net.set_duplicate(1.0);
  net.set_reorder(1.0, std::chrono::milliseconds(3));
  CHECK(net.duplicates(a));
  for (int k = 0; k < 100; ++k) CHECK(net.reorder_delay(a) <= std::chrono::milliseconds(3));
}

TEST_CASE("streams: bandwidth and retransmission timeouts") {
  NetworkModel net;
  CHECK(net.transmit_ns(1250) == 10000);  // 10 kbit at 1 Gb/s: 10 us
  Rng rng(2);
  CHECK(net.retransmission_delay(0, 1, 1 << 20, std::chrono::milliseconds(200), std::chrono::seconds(5), rng) ==
        Duration(0));  // no loss: no draw, no delay
  net.set_inbound_loss(1, 1.0);  // every transmission lost: 200 + 400 + 800 + ... until past the limit
  const Duration d = net.retransmission_delay(0, 1, 1, std::chrono::milliseconds(200), std::chrono::seconds(1), rng);
  CHECK(d == std::chrono::milliseconds(1400));
}

}  // namespace
}  // namespace swell::sim
