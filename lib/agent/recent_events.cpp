#include "agent/recent_events.h"

#include <algorithm>
#include <utility>

namespace swell::agent {

RecentEvents::RecentEvents(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

void RecentEvents::push(nlohmann::json event) {
  // Allocate outside the lock: the loop thread holds it only to link the entry in.
  auto entry = std::make_shared<const nlohmann::json>(std::move(event));
  std::shared_ptr<const nlohmann::json> evicted;  // freed after unlocking
  std::lock_guard<std::mutex> lock(mu_);
  if (events_.size() == capacity_) {
    evicted = std::move(events_.front());
    events_.pop_front();
  }
  events_.push_back(std::move(entry));
  ++total_pushed_;
}

std::vector<std::shared_ptr<const nlohmann::json>> RecentEvents::newest_first() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {events_.rbegin(), events_.rend()};
}

std::uint64_t RecentEvents::total_pushed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_pushed_;
}

}  // namespace swell::agent
