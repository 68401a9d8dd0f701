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
  h.trial = false;
  h.flaps.clear();
  h.passes = 0;
  h.next_check = now + limits_.hold;
  h.last_change = now;
}

bool FlapDamper::held(const NodeId& member) const {
  auto it = members_.find(member);
  return it != members_.end() && it->second.held;
}

bool FlapDamper::put_on_trial(const NodeId& member, Time now, bool ours) {
  if (limits_.trials <= 0) return false;
  if (members_.find(member) == members_.end()) make_room();
  History& h = members_[member];
  if (h.held || h.trial || (h.acquitted != kNever && now < h.acquitted + limits_.hold)) return false;
  h.trial = true;
  h.our_trial = ours;
  h.trials_left = limits_.trials;
  h.trial_answered = 0;
  h.trial_expected = 0;
  h.next_check = now;
  h.last_change = now;
  return true;
}

bool FlapDamper::on_trial(const NodeId& member) const {
  auto it = members_.find(member);
  return it != members_.end() && it->second.trial;
}

std::optional<FlapDamper::Due> FlapDamper::due(Time now) const {
  std::optional<Due> best;
  Time best_at = kNever;
  for (const auto& [id, h] : members_) {
    if ((h.held || h.trial) && h.next_check <= now && h.next_check < best_at) {
      best = Due{id, h.trial};
      best_at = h.next_check;
    }
  }
  return best;
}

void FlapDamper::check_started(const NodeId& member, Time now) {
  auto it = members_.find(member);
  if (it == members_.end()) return;
  it->second.next_check = now + (it->second.trial ? limits_.trial_interval : limits_.probation_interval);
}

FlapDamper::TrialResult FlapDamper::record_trial(const NodeId& member, int sent, int answered,
                                                 double control_fraction, Time now) {
  auto it = members_.find(member);
  if (it == members_.end() || !it->second.trial) return TrialResult::pending;
  History& h = it->second;
  h.trial_answered += std::max(0, answered);
  h.trial_expected += std::max(0.0, control_fraction) * std::max(0, sent);
  if (--h.trials_left > 0) return TrialResult::pending;
  // No control answered at all: we cannot tell, and acquit.
  if (h.trial_expected > 0 && h.trial_answered < limits_.trial_bad_below * h.trial_expected) {
    const bool ours = h.our_trial;
    hold(member, now);
    return ours ? TrialResult::held_ours : TrialResult::held;
  }
  h.trial = false;
  h.acquitted = now;
  return TrialResult::acquitted;
}

bool FlapDamper::record_probation(const NodeId& member, bool good) {
  auto it = members_.find(member);
  if (it == members_.end() || !it->second.held) return false;
  History& h = it->second;
  h.passes = good ? h.passes + 1 : 0;
  if (h.passes < limits_.passes) return false;
  members_.erase(it);
  return true;
}

}  // namespace swell::swim
