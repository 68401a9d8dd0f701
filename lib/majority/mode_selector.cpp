#include "majority/mode_selector.h"

#include <string>

namespace swell::majority {

const char* to_string(Mode mode) { return mode == Mode::swim ? "swim" : "majority"; }

Result<ModeSelector> ModeSelector::create(ModeThresholds thresholds) {
  if (thresholds.swim_at < 3) {
    return Error{ErrorCode::invalid_config, "swim_at_members must be >= 3, got " + std::to_string(thresholds.swim_at)};
  }
  if (thresholds.majority_at >= thresholds.swim_at) {
    return Error{ErrorCode::invalid_config, "majority_at_members (" + std::to_string(thresholds.majority_at) +
                                                ") must be below swim_at_members (" +
                                                std::to_string(thresholds.swim_at) + "): the gap is the hysteresis"};
  }
  return ModeSelector(thresholds);
}

Mode ModeSelector::next(Mode current, std::size_t live) const {
  if (current == Mode::majority && live >= thresholds_.swim_at) return Mode::swim;
  if (current == Mode::swim && live <= thresholds_.majority_at) return Mode::majority;
  return current;
}

}  // namespace swell::majority
