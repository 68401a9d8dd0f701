// RecentEvents: the last few membership events as JSON (event_json), kept for the status
// page and GET /v1/events. The daemon pushes from the agent's loop thread; HTTP threads
// read. Entries are shared immutable JSON, so a reader copies pointers, not documents,
// and the lock is held for microseconds: the loop never waits on a slow reader.
//
//   swell::agent::RecentEvents recent;                   // 200 entries
//   o.on_event = [&](const swell::MembershipEvent& e) { recent.push(event_json(e, now_ms)); };
//   for (const auto& e : recent.newest_first()) std::cout << *e << "\n";
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

namespace swell::agent {

/// A thread-safe bounded ring of event JSON; the oldest entry is dropped when full.
class RecentEvents {
 public:
  static constexpr std::size_t kDefaultCapacity = 200;  ///< Events kept by default.

  /// A ring keeping at most capacity events (at least 1).
  explicit RecentEvents(std::size_t capacity = kDefaultCapacity);

  /// Appends one event, dropping the oldest when full; any thread.
  void push(nlohmann::json event);
  /// The kept events, newest first; any thread.
  [[nodiscard]] std::vector<std::shared_ptr<const nlohmann::json>> newest_first() const;
  /// Events pushed since construction, including those since dropped.
  [[nodiscard]] std::uint64_t total_pushed() const;
  /// The most events kept.
  [[nodiscard]] std::size_t capacity() const { return capacity_; }

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::deque<std::shared_ptr<const nlohmann::json>> events_;  // oldest at the front
  std::uint64_t total_pushed_ = 0;
};

}  // namespace swell::agent
