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

void ProbeScheduler::add(std::uint32_t index, Rng& rng) {
  if (order_.empty()) return;
  reserve_one_more(order_);
  order_.push_back(index);
  const std::size_t span = order_.size() - cursor_;
  std::swap(order_.back(), order_[cursor_ + rng.below(span)]);
}

void ProbeScheduler::probe_next(std::uint32_t index) {
  order_.insert(order_.begin() + static_cast<std::ptrdiff_t>(cursor_), index);
}

void ProbeScheduler::reset() {
  order_.clear();
  cursor_ = 0;
}

std::vector<std::uint32_t> ProbeScheduler::remaining() const {
  return {order_.begin() + static_cast<std::ptrdiff_t>(cursor_), order_.end()};
}

}  // namespace swell::swim
