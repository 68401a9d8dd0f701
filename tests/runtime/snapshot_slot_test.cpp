#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "runtime/event_queue.h"
#include "runtime/snapshot_slot.h"

TEST_CASE("snapshot readers on other threads always see a whole, increasing value") {
  struct Value {
    std::uint64_t a, b;
  };
  swell::runtime::SnapshotSlot<Value> slot;
  slot.publish(std::make_shared<const Value>(Value{0, 0}));
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  std::atomic<std::uint64_t> reads{0};
  std::atomic<int> torn{0};
  std::atomic<int> started{0};
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      std::uint64_t last = 0, n = 0;
      ++started;
      while (!stop.load(std::memory_order_relaxed)) {
        auto v = slot.read();
        if (v->a != v->b || v->a < last) ++torn;
        last = v->a;
        ++n;
      }
      reads += n;
    });
  }
  while (started.load() < 3) std::this_thread::yield();
  for (std::uint64_t i = 1; i <= 20000; ++i) {
    slot.publish(std::make_shared<const Value>(Value{i, i}));
  }
  stop = true;
  for (auto& r : readers) r.join();
  CHECK(slot.read()->a == 20000);
  // With no reader inside read(), one publication frees every retired holder.
  slot.publish(std::make_shared<const Value>(Value{20001, 20001}));
  CHECK(slot.retired() == 0);
  CHECK(reads.load() > 0);
  CHECK(torn.load() == 0);
}

TEST_CASE("the event queue refuses items when full and keeps order") {
  swell::runtime::EventQueue<int> q(4);
  for (int i = 0; i < 4; ++i) {
    int v = i;
    CHECK(q.try_push(v));
  }
  int extra = 9;
  CHECK_FALSE(q.try_push(extra));
  for (int i = 0; i < 4; ++i) CHECK(q.try_pop() == i);
  CHECK_FALSE(q.try_pop().has_value());
}
