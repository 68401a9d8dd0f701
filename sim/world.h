// World: a discrete-event simulation of a swell cluster. Every member is a real
// swell::Node (the same code the runtime drives); time is virtual, all randomness
// comes from one seed, so a run is reproducible byte for byte.
//
//   swell::sim::World world(42);
//   world.spawn(8, swell::Config::lan());
//   world.join_all(0);                 // everyone joins through member 0
//   world.run_for(std::chrono::seconds(10));
//   world.crash(3);
//   world.run_for(std::chrono::seconds(30));
//   assert(world.node(0).member(world.id(3))->state == swell::MemberState::dead);
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "network_model.h"
#include "swell/node.h"

namespace swell::sim {

/// Called for every membership event: (observer index, event).
using EventObserver = std::function<void(std::uint32_t, const MembershipEvent&)>;

/// A simulated cluster.
class World {
 public:
  /// A world whose every random choice derives from seed.
  explicit World(std::uint64_t seed);

  /// Adds count members with config; returns the index of the first. Not joined yet.
  std::uint32_t spawn(std::size_t count, const Config& config);
  /// Starts member i joining through the members in seeds (none: it is the first).
  void join(std::uint32_t i, const std::vector<std::uint32_t>& seeds);
  /// Every member but `seed` joins through it; `seed` starts alone.
  void join_all(std::uint32_t seed);
  /// Stops member i without a word (its datagrams in flight still arrive).
  void crash(std::uint32_t i);
  /// Brings a crashed member back with the same identity and joins it through seeds.
  void restart(std::uint32_t i, const std::vector<std::uint32_t>& seeds);
  /// Member i leaves gracefully.
  void leave(std::uint32_t i);
  /// Member i announces new PeerInfo.
  Result<void> set_info(std::uint32_t i, PeerInfo info);

  /// The network, to set latency, loss and partitions.
  NetworkModel& network() { return network_; }
  /// Splits members into two sides that cannot reach each other (both directions).
  void partition(const std::vector<std::uint32_t>& side_a, const std::vector<std::uint32_t>& side_b);
  /// Datagrams and streams from `from` no longer reach `to` (one way).
  void partition_one_way(const std::vector<std::uint32_t>& from, const std::vector<std::uint32_t>& to);
  /// Member i handles every input `delay` late (a slow or overloaded process).
  void set_processing_delay(std::uint32_t i, Duration delay);
  /// Member i's clock reads `skew` ahead of (or behind) the world's.
  void set_clock_skew(std::uint32_t i, Duration skew);

  /// Runs events up to and including time t.
  void run_until(Time t);
  /// Runs for d of virtual time.
  void run_for(Duration d) { run_until(now_ + d); }
  /// Virtual time now.
  [[nodiscard]] Time now() const { return now_; }

  /// Member i's node (valid while it is up).
  [[nodiscard]] Node& node(std::uint32_t i) { return *members_[i].node; }
  /// True unless crashed.
  [[nodiscard]] bool is_up(std::uint32_t i) const { return members_[i].node != nullptr; }
  /// Member i's id.
  [[nodiscard]] const NodeId& id(std::uint32_t i) const { return members_[i].id; }
  /// Member i's swim address.
  [[nodiscard]] const std::string& address(std::uint32_t i) const { return members_[i].address; }
  /// Members spawned.
  [[nodiscard]] std::uint32_t size() const { return static_cast<std::uint32_t>(members_.size()); }
  /// Index of the member with this id.
  [[nodiscard]] std::optional<std::uint32_t> index_of(const NodeId& id) const;
  /// Receives every membership event from now on.
  void observe(EventObserver observer) { observer_ = std::move(observer); }
  /// Datagrams (and stream messages) sent by member i, counted by the world.
  [[nodiscard]] std::uint64_t packets_sent(std::uint32_t i) const { return members_[i].packets_sent; }
  /// Bytes of datagrams and stream messages sent by member i.
  [[nodiscard]] std::uint64_t bytes_sent(std::uint32_t i) const { return members_[i].bytes_sent; }
  /// Events processed so far.
  [[nodiscard]] std::uint64_t events_processed() const { return events_processed_; }
  /// True when member i sees every member in `expected` alive.
  [[nodiscard]] bool sees_alive(std::uint32_t i, const std::vector<std::uint32_t>& expected);

 private:
  struct Member {
    std::unique_ptr<Node> node;
    NodeId id;
    std::array<std::uint8_t, 32> seed{};
    Config config;
    std::string address;
    Duration processing_delay{0};
    Duration clock_skew{0};
    Time armed = kNever;       // world time of the tick event in the queue
    std::uint64_t generation = 0;  // bumped on crash/restart: stale deliveries are dropped
    std::uint64_t packets_sent = 0;
    std::uint64_t bytes_sent = 0;
  };
  enum class EventType : std::uint8_t { tick, datagram, stream_request, stream_response, stream_failed };
  struct Event {
    Time at;
    std::uint64_t order;  // insertion order: ties break deterministically
    EventType type;
    std::uint32_t to;
    std::uint32_t from;
    std::uint64_t generation;
    std::uint64_t stream_id;
    std::shared_ptr<const Bytes> bytes;
    bool operator>(const Event& o) const { return at != o.at ? at > o.at : order > o.order; }
  };

  void push(Event event);
  void dispatch(const Event& event);
  /// Drains member i's outputs into the event queue and re-arms its tick.
  void flush(std::uint32_t i);
  Time node_time(std::uint32_t i, Time world) const { return world + members_[i].clock_skew; }
  std::unique_ptr<Node> make_node(std::uint32_t i);

  std::uint64_t seed_;
  Rng rng_;
  NetworkModel network_;
  std::shared_ptr<ClaimCache> cache_;
  std::vector<Member> members_;
  std::unordered_map<std::string, std::uint32_t> by_address_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> queue_;
  std::uint64_t next_order_ = 0;
  Time now_{0};
  EventObserver observer_;
  std::uint64_t events_processed_ = 0;
};

}  // namespace swell::sim
