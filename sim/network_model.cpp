#include "network_model.h"

namespace swell::sim {
namespace {

LatencyRange ordered(LatencyRange range) {
  if (range.min.count() < 0) range.min = Duration(0);
  if (range.max < range.min) range.max = range.min;
  return range;
}

}  // namespace

void NetworkModel::set_latency(LatencyRange range) { latency_ = ordered(range); }

void NetworkModel::set_link_latency(std::uint32_t from, std::uint32_t to, LatencyRange range) {
  link_latency_[{from, to}] = ordered(range);
}

void NetworkModel::set_inbound_loss(std::uint32_t node, double p) {
  if (inbound_loss_.size() <= node) inbound_loss_.resize(node + 1, 0.0);
  inbound_loss_[node] = p;
}

void NetworkModel::set_outbound_loss(std::uint32_t node, double p) {
  if (outbound_loss_.size() <= node) outbound_loss_.resize(node + 1, 0.0);
  outbound_loss_[node] = p;
}

bool NetworkModel::delivers(std::uint32_t from, std::uint32_t to, Rng& rng) const {
  if (!reachable(from, to)) return false;
  // Draw only for a non-zero probability, so enabling loss on one member does not
  // shift every other random choice of the run.
  if (loss_ > 0 && rng.uniform() < loss_) return false;
  if (from < outbound_loss_.size() && outbound_loss_[from] > 0 && rng.uniform() < outbound_loss_[from]) return false;
  if (to < inbound_loss_.size() && inbound_loss_[to] > 0 && rng.uniform() < inbound_loss_[to]) return false;
  return true;
}

Duration NetworkModel::latency(std::uint32_t from, std::uint32_t to, Rng& rng) const {
  const LatencyRange* range = &latency_;
  if (!link_latency_.empty()) {
    if (auto it = link_latency_.find({from, to}); it != link_latency_.end()) range = &it->second;
  }
  const auto span = static_cast<std::uint64_t>((range->max - range->min).count());
  return range->min + Duration(static_cast<std::int64_t>(span == 0 ? 0 : rng.below(span + 1)));
}

}  // namespace swell::sim
