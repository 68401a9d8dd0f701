// ModeSelector: which failure detector the whole cluster should run, from its live
// size, with hysteresis so a size that oscillates around one threshold never flaps the
// mode (docs/majority.md, "Selector").
//
//   majority::ModeSelector selector({.swim_at = 25, .majority_at = 20});
//   Mode next = selector.next(current, live_members);  // current unless a threshold is crossed
#pragma once

#include <cstddef>
#include <cstdint>

#include "swell/result.h"

namespace swell::majority {

/// The failure-detection strategy a cluster runs.
enum class Mode : std::uint8_t {
  swim = 0,      ///< SWIM + Lifeguard probing (large clusters).
  majority = 1,  ///< Heartbeats to everyone and majority verdicts (small clusters).
};

/// "swim" or "majority".
const char* to_string(Mode mode);

/// The two thresholds; majority_at < swim_at leaves a dead band between them.
struct ModeThresholds {
  std::size_t swim_at = 25;      ///< Into SWIM when the live count reaches this.
  std::size_t majority_at = 20;  ///< Back to majority when it falls to this.
};

/// Chooses the mode from the live member count.
class ModeSelector {
 public:
  /// Errors: invalid_config when majority_at >= swim_at (no dead band) or swim_at < 3.
  static Result<ModeSelector> create(ModeThresholds thresholds);
  /// The mode to run with `live` members while running `current`: switches only when a
  /// threshold is crossed, so every size in (majority_at, swim_at) keeps the current mode.
  [[nodiscard]] Mode next(Mode current, std::size_t live) const;
  /// The mode a cluster that has no history yet starts in.
  [[nodiscard]] Mode initial(std::size_t live) const { return live >= thresholds_.swim_at ? Mode::swim : Mode::majority; }
  /// The thresholds.
  [[nodiscard]] const ModeThresholds& thresholds() const { return thresholds_; }

 private:
  explicit ModeSelector(ModeThresholds thresholds) : thresholds_(thresholds) {}
  ModeThresholds thresholds_;
};

}  // namespace swell::majority
