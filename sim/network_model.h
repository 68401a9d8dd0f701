// NetworkModel: the simulated network between members. Per-link one-way latency
// (uniform in [min, max], a default plus per-link overrides), uniform loss and
// per-member inbound and outbound loss, symmetric and one-way partitions. Every random draw comes
// from the Rng the World passes in, in event order, so a run is reproducible.
//
//   NetworkModel net;
//   net.set_latency({std::chrono::microseconds(200), std::chrono::microseconds(600)});
//   net.set_link_latency(0, 5, {std::chrono::milliseconds(80), std::chrono::milliseconds(120)});
//   net.set_inbound_loss(3, 0.2);
//   net.block(1, 2);                        // 1 can no longer reach 2 (2 still reaches 1)
//   if (net.delivers(1, 2, rng)) deliver_at(now + net.latency(1, 2, rng));
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "swell/rng.h"
#include "swell/time.h"

namespace swell::sim {

/// One-way latency, drawn uniformly in [min, max] for every datagram or stream message.
struct LatencyRange {
  Duration min = std::chrono::microseconds(200);  ///< Fastest delivery.
  Duration max = std::chrono::microseconds(600);  ///< Slowest delivery; >= min.
};

/// Latency, loss and reachability of the simulated network.
class NetworkModel {
 public:
  /// Latency of every link without an override (max is raised to min if below).
  void set_latency(LatencyRange range);
  /// Latency of the directed link from -> to, overriding the default.
  void set_link_latency(std::uint32_t from, std::uint32_t to, LatencyRange range);
  /// Drops every per-link latency override.
  void clear_link_latencies() { link_latency_.clear(); }
  /// Every datagram is lost with probability p (0..1).
  void set_loss(double p) { loss_ = p; }
  /// Datagrams arriving at node are lost with probability p (on top of uniform loss).
  void set_inbound_loss(std::uint32_t node, double p);
  /// Datagrams sent by node are lost with probability p (on top of the other losses).
  void set_outbound_loss(std::uint32_t node, double p);
  /// Nothing from `from` reaches `to` (one direction).
  void block(std::uint32_t from, std::uint32_t to) { blocked_.insert({from, to}); }
  /// Lifts every partition (latency and loss settings stay).
  void heal() { blocked_.clear(); }

  /// True if `from` can reach `to`.
  [[nodiscard]] bool reachable(std::uint32_t from, std::uint32_t to) const {
    return blocked_.empty() || blocked_.count({from, to}) == 0;
  }
  /// Draws whether a datagram from -> to arrives (streams are reliable: use reachable()).
  bool delivers(std::uint32_t from, std::uint32_t to, Rng& rng) const;
  /// Draws the one-way latency of one message on the link from -> to.
  Duration latency(std::uint32_t from, std::uint32_t to, Rng& rng) const;
  /// Uniform loss probability.
  [[nodiscard]] double loss() const { return loss_; }
  /// Inbound loss probability at node.
  [[nodiscard]] double inbound_loss(std::uint32_t node) const {
    return node < inbound_loss_.size() ? inbound_loss_[node] : 0.0;
  }
  /// Outbound loss probability at node.
  [[nodiscard]] double outbound_loss(std::uint32_t node) const {
    return node < outbound_loss_.size() ? outbound_loss_[node] : 0.0;
  }

 private:
  LatencyRange latency_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, LatencyRange> link_latency_;
  double loss_ = 0;
  std::vector<double> inbound_loss_;
  std::vector<double> outbound_loss_;
  std::set<std::pair<std::uint32_t, std::uint32_t>> blocked_;
};

}  // namespace swell::sim
