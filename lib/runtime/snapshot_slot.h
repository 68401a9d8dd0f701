// SnapshotSlot<T>: one writer (the loop thread) publishes immutable values; any number
// of reader threads take a shared_ptr to the latest one without ever waiting.
//
// Why not std::atomic<std::shared_ptr>: libstdc++ 12 implements it with an internal
// lock (a spin lock in the control-block pointer), so a reader could wait on the loop.
// Here a reader does four wait-free atomic operations: it announces itself on one of
// two counters, loads the current holder, copies the shared_ptr inside it (an atomic
// increment of the value's use count) and leaves the counter. The writer swaps in a new
// holder and keeps the old one until it has seen each counter at zero at some moment
// after the swap: a reader counts 1 for the whole time between its announcement and
// its exit, so a zero proves every reader that could have loaded the old holder has
// finished copying from it. Readers always join the counter named by the current
// epoch, and the writer flips the epoch at each publication, so the other counter
// drains even under readers in a tight loop. docs/runtime.md has the longer story.
//
//   SnapshotSlot<Snap> slot;
//   slot.publish(std::make_shared<const Snap>(...));   // loop thread
//   std::shared_ptr<const Snap> s = slot.read();        // any thread
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace swell::runtime {

/// Latest-value publication: one writer thread, wait-free readers.
template <class T>
class SnapshotSlot {
 public:
  SnapshotSlot() = default;
  SnapshotSlot(const SnapshotSlot&) = delete;
  SnapshotSlot& operator=(const SnapshotSlot&) = delete;
  /// Frees every holder; no reader may be inside read() any more.
  ~SnapshotSlot() {
    delete current_.load(std::memory_order_acquire);
    for (auto& r : retired_) delete r.holder;
  }

  /// The latest published value (null before the first publish). Any thread; wait-free.
  [[nodiscard]] std::shared_ptr<const T> read() const {
    const auto parity = epoch_.load(std::memory_order_relaxed) & 1u;
    readers_[parity].count.fetch_add(1, std::memory_order_seq_cst);
    const Holder* holder = current_.load(std::memory_order_seq_cst);
    std::shared_ptr<const T> copy = holder != nullptr ? holder->value : nullptr;
    readers_[parity].count.fetch_sub(1, std::memory_order_release);
    return copy;
  }

  /// Makes value the latest; writer thread only. Frees holders no reader can still use.
  void publish(std::shared_ptr<const T> value) {
    auto* fresh = new Holder{std::move(value)};
    Holder* old = current_.exchange(fresh, std::memory_order_seq_cst);
    if (old != nullptr) retired_.push_back(Retired{old, ++retired_seq_});
    reclaim();
  }

  /// Holders retired but not yet freed (for tests: stays small under any read load).
  [[nodiscard]] std::size_t retired() const { return retired_.size(); }

 private:
  struct Holder {
    std::shared_ptr<const T> value;
  };
  struct Retired {
    Holder* holder;
    std::uint64_t seq;
  };
  struct alignas(64) Counter {
    std::atomic<std::uint64_t> count{0};
  };

  void reclaim() {
    for (int i = 0; i < 2; ++i) {
      // seq_cst: ordered after the exchange above, and (acquire) after every exiting
      // reader's copy, so the holders retired so far are no longer read.
      if (readers_[i].count.load(std::memory_order_seq_cst) == 0) drained_[i] = retired_seq_;
    }
    const std::uint64_t safe = std::min(drained_[0], drained_[1]);
    std::erase_if(retired_, [safe](const Retired& r) {
      if (r.seq > safe) return false;
      delete r.holder;
      return true;
    });
    epoch_.fetch_add(1, std::memory_order_relaxed);  // new readers move to the other counter
  }

  std::atomic<Holder*> current_{nullptr};
  mutable Counter readers_[2];
  std::atomic<std::uint64_t> epoch_{0};
  // Writer-only state.
  std::vector<Retired> retired_;
  std::uint64_t retired_seq_ = 0;
  std::uint64_t drained_[2] = {0, 0};
};

}  // namespace swell::runtime
