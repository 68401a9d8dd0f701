#include "runtime/fault_filter.h"

#include "runtime/random_seed.h"

namespace swell::runtime {

FaultFilter::FaultFilter(const FaultInjection& faults)
    : loss_(faults.inbound_loss),
      blocked_(faults.blocked.begin(), faults.blocked.end()),
      rng_(faults.seed != 0 ? faults.seed : random_seed()),
      tap_(faults.tap) {}

bool FaultFilter::drop_inbound(std::string_view from) {
  if (!blocked_.empty() && blocked_.find(from) != blocked_.end()) return true;
  return loss_ > 0 && rng_.uniform() < loss_;
}

bool FaultFilter::blocks(std::string_view address) const {
  return !blocked_.empty() && blocked_.find(address) != blocked_.end();
}

}  // namespace swell::runtime
