// NetworkModel: the simulated network between members. Per-link one-way latency
// (uniform in [min, max], a default plus per-link overrides), uniform loss and
// per-member inbound and outbound loss, bursty (Gilbert-Elliott) loss, duplication,
// reordering, symmetric and one-way partitions, and the stream (TCP) link model:
// bandwidth and retransmission timeouts. Every random draw comes from the Rng the World
// passes in, in event order, so a run is reproducible.
//
//   NetworkModel net;
//   net.set_latency({std::chrono::microseconds(200), std::chrono::microseconds(600)});
//   net.set_link_latency(0, 5, {std::chrono::milliseconds(80), std::chrono::milliseconds(120)});
//   net.set_inbound_loss(3, 0.2);
//   net.block(1, 2);                        // 1 can no longer reach 2 (2 still reaches 1)
//   if (net.delivers(1, 2, rng)) deliver_at(now + net.latency(1, 2, rng));
#pragma once

#include <cstddef>
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

/// Bursty loss (the Gilbert-Elliott channel): each member's inbound channel is good or
/// bad; before every datagram it moves good -> bad with probability to_bad and bad ->
/// good with to_good, then drops the datagram with the loss of its state. Off while
/// to_bad is 0. The mean burst lasts 1 / to_good datagrams.
struct BurstLoss {
  double to_bad = 0;     ///< P(good -> bad) per datagram; 0 disables the model.
  double to_good = 0.5;  ///< P(bad -> good) per datagram.
  double loss_good = 0;  ///< Loss in the good state.
  double loss_bad = 1;   ///< Loss in the bad state.
};

/// How streams (TCP) cross the modelled links.
struct StreamLinkModel {
  double bandwidth_bps = 1e9;                           ///< Each member's uplink, shared by all it sends.
  Duration rto = std::chrono::milliseconds(200);        ///< First retransmission timeout of a lost segment.
  Duration syn_rto = std::chrono::seconds(1);           ///< The same for a lost SYN or SYN-ACK (Linux's).
  std::size_t mss_bytes = 1448;                         ///< Payload per segment.
  /// Segments are lost with the link's datagram loss (true), or streams are lossless
  /// (false: the anchor harness injects loss into UDP only, its TCP is lossless loopback).
  bool segment_loss = true;
};

/// The network's optional faults and its stream model, as the command line or a
/// scenario's [network] table sets them.
struct NetworkOptions {
  BurstLoss burst;                                    ///< Bursty loss (off by default).
  double duplicate = 0;                               ///< P(a datagram is delivered twice).
  double reorder = 0;                                 ///< P(a datagram is held back).
  Duration reorder_max = std::chrono::milliseconds(1);  ///< Longest hold-back.
  StreamLinkModel streams;                            ///< Bandwidth and retransmission timeouts.
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
  /// Sets every option in options.
  void apply(const NetworkOptions& options);
  /// Bursty loss on every member's inbound channel (on top of the other losses).
  void set_burst_loss(const BurstLoss& burst) { burst_ = burst; }
  /// Each delivered datagram is delivered a second time with probability p.
  void set_duplicate(double p) { duplicate_ = p; }
  /// With probability p a datagram is held back up to max_extra longer than its
  /// latency, so that datagrams sent after it overtake it.
  void set_reorder(double p, Duration max_extra);
  /// How streams use the links (bandwidth, retransmission timeouts).
  void set_stream_links(const StreamLinkModel& model) { streams_ = model; }
  /// The stream and bandwidth model.
  [[nodiscard]] const StreamLinkModel& stream_links() const { return streams_; }

  /// Draws whether a datagram from -> to arrives (advances the bursty-loss channel).
  bool delivers(std::uint32_t from, std::uint32_t to, Rng& rng);
  /// Draws whether a delivered datagram is duplicated.
  bool duplicates(Rng& rng) const { return duplicate_ > 0 && rng.uniform() < duplicate_; }
  /// Draws a reordering hold-back (zero for most datagrams).
  Duration reorder_delay(Rng& rng) const;
  /// Draws the retransmission delay of sending bytes from -> to as TCP segments: each
  /// lost transmission of a segment costs rto, doubling for the same segment. Stops
  /// drawing once the delay exceeds limit (the stream will time out anyway).
  Duration retransmission_delay(std::uint32_t from, std::uint32_t to, std::size_t bytes, Duration rto,
                                Duration limit, Rng& rng);
  /// Nanoseconds the sender's link needs to put bytes on the wire.
  [[nodiscard]] std::int64_t transmit_ns(std::size_t bytes) const {
    return static_cast<std::int64_t>(static_cast<double>(bytes) * 8e9 / streams_.bandwidth_bps);
  }
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
  BurstLoss burst_;
  std::vector<std::uint8_t> burst_bad_;  // per receiver: 1 while its channel is bad
  double duplicate_ = 0;
  double reorder_ = 0;
  Duration reorder_max_{0};
  StreamLinkModel streams_;
  /// Draws the losses (not reachability) of one datagram or segment from -> to.
  bool lost(std::uint32_t from, std::uint32_t to, Rng& rng);
  std::set<std::pair<std::uint32_t, std::uint32_t>> blocked_;
};

}  // namespace swell::sim
