#include "swim/link_quality.h"

#include <algorithm>
#include <bit>

namespace swell::swim {

int LinkQuality::Window::answered() const {
  static_assert(kWindow < 64, "the window's outcomes are the low bits of one word");
  const std::uint64_t held = (std::uint64_t{1} << count) - 1;
  return std::popcount(bits & held);
}

void LinkQuality::Window::roll(Time now) {
  if (now - bucket_start < kBucket) return;
  const bool adjacent = now - bucket_start < 2 * kBucket;
  sent[1] = adjacent ? sent[0] : 0;
  answers[1] = adjacent ? answers[0] : 0;
  sent[0] = answers[0] = 0;
  bucket_start = now;
}

void LinkQuality::record(const NodeId& member, int sent, int answered, Time now) {
  if (sent <= 0) return;
  answered = std::clamp(answered, 0, sent);
  auto it = windows_.find(member);
  if (it == windows_.end()) {
    if (max_tracked_ == 0) return;
    if (windows_.size() >= max_tracked_) {
      windows_.erase(std::min_element(windows_.begin(), windows_.end(), [](const auto& a, const auto& b) {
        return a.second.last_use < b.second.last_use;
      }));
    }
    it = windows_.emplace(member, Window{}).first;
  }
  Window& w = it->second;
  // Unanswered first, the answers last: a probe stops resending at its first answer.
  for (int i = 0; i < sent; ++i) {
    w.bits = (w.bits << 1) | (i >= sent - answered ? 1u : 0u);
    w.count = std::min(w.count + 1, kWindow);
  }
  w.last_use = ++clock_;
  w.roll(now);
  w.sent[0] += sent;
  w.answers[0] += answered;
}

std::optional<double> LinkQuality::baseline_without(const NodeId& member, Time now) const {
  long answered = 0;
  long count = 0;
  for (const auto& [id, w] : windows_) {
    if (id == member) continue;
    // Read as roll(now) would leave it, without changing anything.
    const Duration age = now - w.bucket_start;
    if (age >= 2 * kBucket) continue;
    answered += w.answers[0] + (age < kBucket ? w.answers[1] : 0);
    count += w.sent[0] + (age < kBucket ? w.sent[1] : 0);
  }
  if (count < kMinBaseline) return std::nullopt;
  return static_cast<double>(answered) / static_cast<double>(count);
}

bool LinkQuality::degraded(const NodeId& member, double ratio, Time now) const {
  if (ratio <= 0) return false;
  auto it = windows_.find(member);
  if (it == windows_.end() || it->second.count < kWindow) return false;
  // Too few outcomes of the others: compared with every ping answered. This only
  // nominates a member for a trial, which compares with other members properly.
  const double baseline = baseline_without(member, now).value_or(1.0);
  const double own = static_cast<double>(it->second.answered()) / static_cast<double>(it->second.count);
  return own < ratio * baseline;
}

std::optional<double> LinkQuality::relative(const NodeId& member, int answered, int sent, Time now) const {
  const auto baseline = baseline_without(member, now);
  if (!baseline || *baseline <= 0 || sent <= 0) return std::nullopt;
  return static_cast<double>(std::clamp(answered, 0, sent)) / static_cast<double>(sent) / *baseline;
}

std::optional<double> LinkQuality::window_relative(const NodeId& member, Time now) const {
  auto it = windows_.find(member);
  if (it == windows_.end() || it->second.count == 0) return std::nullopt;
  return relative(member, it->second.answered(), it->second.count, now);
}

}  // namespace swell::swim
