#include "network_model.h"

#include <algorithm>

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

bool NetworkModel::lost(std::uint32_t from, std::uint32_t to, Rng& rng) {
  // Draw only for a non-zero probability, so enabling loss on one member does not
  // shift every other random choice of the run.
  if (loss_ > 0 && rng.uniform() < loss_) return true;
  if (from < outbound_loss_.size() && outbound_loss_[from] > 0 && rng.uniform() < outbound_loss_[from]) {
    return true;
  }
  if (to < inbound_loss_.size() && inbound_loss_[to] > 0 && rng.uniform() < inbound_loss_[to]) return true;
  if (burst_.to_bad > 0) {
    if (burst_bad_.size() <= to) burst_bad_.resize(to + 1, 0);
    std::uint8_t& bad = burst_bad_[to];
    if (rng.uniform() < (bad != 0 ? burst_.to_good : burst_.to_bad)) bad ^= 1;
    const double p = bad != 0 ? burst_.loss_bad : burst_.loss_good;
    if (p > 0 && rng.uniform() < p) return true;
  }
  return false;
}

bool NetworkModel::delivers(std::uint32_t from, std::uint32_t to, Rng& rng) {
  return reachable(from, to) && !lost(from, to, rng);
}

void NetworkModel::apply(const NetworkOptions& options) {
  set_burst_loss(options.burst);
  set_duplicate(options.duplicate);
  set_reorder(options.reorder, options.reorder_max);
  set_stream_links(options.streams);
}

void NetworkModel::set_reorder(double p, Duration max_extra) {
  reorder_ = p;
  reorder_max_ = max_extra.count() < 0 ? Duration(0) : max_extra;
}

Duration NetworkModel::reorder_delay(Rng& rng) const {
  if (reorder_ <= 0 || rng.uniform() >= reorder_) return Duration(0);
  return Duration(static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(reorder_max_.count()) + 1)));
}

Duration NetworkModel::retransmission_delay(std::uint32_t from, std::uint32_t to, std::size_t bytes, Duration rto,
                                            Duration limit, Rng& rng) {
  const bool lossy = streams_.segment_loss && (loss_ > 0 || burst_.to_bad > 0 || outbound_loss(from) > 0 || inbound_loss(to) > 0);
  if (!lossy) return Duration(0);  // the common case costs no draw per segment
  const std::size_t segments = std::max<std::size_t>(1, (bytes + streams_.mss_bytes - 1) / streams_.mss_bytes);
  Duration delay{0};
  for (std::size_t k = 0; k < segments; ++k) {
    // TCP's exponential back-off: each further loss of the same segment waits twice as long.
    for (Duration backoff = rto; lost(from, to, rng); backoff *= 2) {
      delay += backoff;
      if (delay > limit) return delay;
    }
  }
  return delay;
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
