#include "swim/probe_scheduler.h"

#include "swim/gentle_growth.h"

namespace swell::swim {

void ProbeScheduler::start_round(std::uint32_t table_size, Rng& rng) {
  order_.clear();
  order_.resize(table_size - 1);  // from empty: exactly the capacity needed
  std::iota(order_.begin(), order_.end(), 1u);
  rng.shuffle(order_);
  cursor_ = 0;
}

void ProbeScheduler::became_live(std::uint32_t index, std::uint64_t key) {
  if (order_kind_ != ProbeOrder::ring || !successor_ || ring_distance(key) >= ring_distance(successor_key_)) return;
  successor_ = index;
  successor_key_ = key;
}

void ProbeScheduler::add(std::uint32_t index, std::uint64_t key, Rng& rng) {
  // The ring order's extra round-robin probes keep a round too.
  became_live(index, key);
  if (order_.empty()) return;
  reserve_one_more(order_);
  order_.push_back(index);
  const std::size_t span = order_.size() - cursor_;
  std::swap(order_.back(), order_[cursor_ + rng.below(span)]);
}

void ProbeScheduler::reset() {
  front_.clear();
  order_.clear();
  cursor_ = 0;
  successor_.reset();
}

std::vector<std::uint32_t> ProbeScheduler::remaining() const {
  std::vector<std::uint32_t> out(front_.begin(), front_.end());
  out.insert(out.end(), order_.begin() + static_cast<std::ptrdiff_t>(cursor_), order_.end());
  return out;
}

}  // namespace swell::swim
