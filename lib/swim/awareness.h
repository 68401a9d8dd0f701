// Lifeguard's local health multiplier (LHM): a score that rises when this node sees
// signs that it is itself slow or lossy (probes that fail with missing nacks, having
// to refute a suspicion) and falls with each successful probe. Timeouts and the probe
// interval stretch with it, so a struggling node stops accusing healthy ones.
#pragma once

#include <algorithm>

namespace swell::swim {

/// Local health score in [0, max_multiplier - 1]; 0 is healthy.
class Awareness {
 public:
  /// A score bounded by max_multiplier - 1.
  explicit Awareness(int max_multiplier) : max_(max_multiplier) {}
  /// Adds delta (negative for good news), clamped to the range.
  void apply_delta(int delta) {
    // In 64 bits: score + delta can overflow int for huge deltas.
    const long long score = static_cast<long long>(score_) + delta;
    score_ = static_cast<int>(std::clamp<long long>(score, 0, max_ - 1));
  }
  /// The current score.
  [[nodiscard]] int score() const { return score_; }

 private:
  int max_;
  int score_ = 0;
};

}  // namespace swell::swim
