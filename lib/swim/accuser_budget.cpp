#include "swim/accuser_budget.h"

#include <algorithm>
#include <cmath>

namespace swell::swim {

double AccuserBudget::decayed(const Score& s, Time now) const {
  if (now <= s.at || limits_.half_life.count() <= 0) return s.points;
  const double halves = static_cast<double>((now - s.at).count()) / static_cast<double>(limits_.half_life.count());
  return s.points * std::exp2(-halves);
}

double AccuserBudget::points(const NodeId& accuser, Time now) const {
  auto it = scores_.find(accuser);
  return it == scores_.end() ? 0.0 : decayed(it->second, now);
}

void AccuserBudget::make_room(Time now) {
  if (scores_.size() < std::max<std::size_t>(limits_.max_tracked, 1)) return;
  // Forget the accuser we believe most: the one a full table would wrong least.
  auto least = std::min_element(scores_.begin(), scores_.end(), [&](const auto& a, const auto& b) {
    return decayed(a.second, now) < decayed(b.second, now);
  });
  scores_.erase(least);
}

void AccuserBudget::charge(const NodeId& accuser, Time now) {
  if (scores_.find(accuser) == scores_.end()) make_room(now);
  Score& s = scores_[accuser];
  s.points = decayed(s, now) + 1.0;
  s.at = std::max(s.at, now);
}

}  // namespace swell::swim
