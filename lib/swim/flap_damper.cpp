#include "swim/flap_damper.h"

#include <algorithm>

namespace swell::swim {

void FlapDamper::make_room() {
  if (members_.size() < limits_.max_tracked) return;
  // Forget the member whose history changed longest ago, held or not: a bound on
  // memory matters more than one old hold-down.
  auto oldest = std::min_element(members_.begin(), members_.end(), [](const auto& a, const auto& b) {
    return a.second.last_change < b.second.last_change;
  });
  members_.erase(oldest);
}

bool FlapDamper::record_flap(const NodeId& member, Time now) {
  if (limits_.limit <= 0) return false;
  if (members_.find(member) == members_.end()) make_room();
  History& h = members_[member];
  h.last_change = now;
  if (h.held) return false;
  h.flaps.push_back(now);
  h.flaps.erase(std::remove_if(h.flaps.begin(), h.flaps.end(), [&](Time t) { return t + limits_.window < now; }),
                h.flaps.end());
  return static_cast<int>(h.flaps.size()) >= limits_.limit;
}

void FlapDamper::hold(const NodeId& member, Time now) {
  if (members_.find(member) == members_.end()) make_room();
  History& h = members_[member];
  h.held = true;
  h.flaps.clear();
  h.passes = 0;
  h.next_probation = now + limits_.hold;
  h.last_change = now;
}

bool FlapDamper::held(const NodeId& member) const {
  auto it = members_.find(member);
  return it != members_.end() && it->second.held;
}

std::optional<NodeId> FlapDamper::due(Time now) const {
  std::optional<NodeId> best;
  Time best_at = kNever;
  for (const auto& [id, h] : members_) {
    if (h.held && h.next_probation <= now && h.next_probation < best_at) {
      best = id;
      best_at = h.next_probation;
    }
  }
  return best;
}

void FlapDamper::probation_started(const NodeId& member, Time now) {
  auto it = members_.find(member);
  if (it == members_.end()) return;
  it->second.next_probation = now + limits_.probation_interval;
}

bool FlapDamper::record_probation(const NodeId& member, bool answered) {
  auto it = members_.find(member);
  if (it == members_.end() || !it->second.held) return false;
  History& h = it->second;
  h.passes = answered ? h.passes + 1 : 0;
  if (h.passes < limits_.passes) return false;
  members_.erase(it);
  return true;
}

}  // namespace swell::swim
