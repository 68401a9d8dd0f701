// The simulated network: per-link latency, uniform and per-node inbound loss,
// symmetric and one-way partitions. Every random draw comes from the world's Rng.
#pragma once

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "swell/rng.h"
#include "swell/time.h"

namespace swell::sim {

/// Latency and loss of the simulated network.
class NetworkModel {
 public:
  /// One-way latency is uniform in [min, max].
  void set_latency(Duration min, Duration max) {
    latency_min_ = min;
    latency_max_ = max < min ? min : max;
  }
  /// Every datagram is lost with probability p.
  void set_loss(double p) { loss_ = p; }
  /// Datagrams arriving at node are lost with probability p (on top of uniform loss).
  void set_inbound_loss(std::uint32_t node, double p);
  /// Nothing from `from` reaches `to` (one direction).
  void block(std::uint32_t from, std::uint32_t to) { blocked_.insert({from, to}); }
  /// Lifts every partition.
  void heal() { blocked_.clear(); }
  /// True if `from` can reach `to`.
  [[nodiscard]] bool reachable(std::uint32_t from, std::uint32_t to) const {
    return blocked_.empty() || blocked_.count({from, to}) == 0;
  }
  /// Draws whether a datagram from -> to is delivered.
  bool delivers(std::uint32_t from, std::uint32_t to, Rng& rng) const;
  /// Draws a one-way latency.
  Duration latency(Rng& rng) const;

 private:
  Duration latency_min_ = std::chrono::microseconds(200);
  Duration latency_max_ = std::chrono::microseconds(600);
  double loss_ = 0;
  std::vector<double> inbound_loss_;
  std::set<std::pair<std::uint32_t, std::uint32_t>> blocked_;
};

}  // namespace swell::sim
