#include "network_model.h"

namespace swell::sim {

void NetworkModel::set_inbound_loss(std::uint32_t node, double p) {
  if (inbound_loss_.size() <= node) inbound_loss_.resize(node + 1, 0.0);
  inbound_loss_[node] = p;
}

bool NetworkModel::delivers(std::uint32_t from, std::uint32_t to, Rng& rng) const {
  if (!reachable(from, to)) return false;
  if (loss_ > 0 && rng.uniform() < loss_) return false;
  if (to < inbound_loss_.size() && inbound_loss_[to] > 0 && rng.uniform() < inbound_loss_[to]) return false;
  return true;
}

Duration NetworkModel::latency(Rng& rng) const {
  const auto span = static_cast<std::uint64_t>((latency_max_ - latency_min_).count());
  return latency_min_ + Duration(static_cast<std::int64_t>(span == 0 ? 0 : rng.below(span + 1)));
}

}  // namespace swell::sim
