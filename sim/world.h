// World: a discrete-event simulation of a swell cluster. Every member is a real
// swell::Node (the same code the runtime drives); time is virtual, all randomness
// comes from one seed, so a run is reproducible byte for byte. docs/simulator.md
// describes the event ordering and the network model.
//
//   swell::sim::World world(42);
//   world.spawn(8, swell::Config::lan());
//   world.join_all(0);                 // everyone joins through member 0
//   world.run_for(std::chrono::seconds(10));
//   world.crash(3);
//   world.run_for(std::chrono::seconds(30));
//   assert(world.node(0).member(world.id(3))->state == swell::MemberState::dead);
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "network_model.h"
#include "swell/identity.h"
#include "swell/node.h"
#include "swim/shared_caches.h"

namespace swell::sim {

/// Called for every membership event a member reports: (observer index, event).
using EventObserver = std::function<void(std::uint32_t, const MembershipEvent&)>;
/// Called for every datagram just before a member handles it: (to, from, bytes).
using DatagramObserver = std::function<void(std::uint32_t, std::uint32_t, const Bytes&)>;
/// Called for every datagram a member sends, lost or not: (from, to, bytes, delivered);
/// `to` is size() for an address no member has.
using SendObserver = std::function<void(std::uint32_t, std::uint32_t, const Bytes&, bool)>;
/// Called for every stream request a member sends, before the network decides its fate:
/// (from, to, stream id, bytes); `to` is size() for an address no member has.
using StreamObserver = std::function<void(std::uint32_t, std::uint32_t, std::uint64_t, const Bytes&)>;
/// Called after a member handled an input (timer, datagram, stream) and its outputs
/// were queued: (member index).
using InputObserver = std::function<void(std::uint32_t)>;

/// How the members of a world derive their pairwise datagram keys.
enum class PairKeys : std::uint8_t {
  real,    ///< X25519 per pair, as agents do (each pair derived once for the whole world).
  hashed,  ///< INSECURE, simulation only: a hash of the two ids (`--auth fast`); claims stay Ed25519.
};

/// A simulated cluster.
class World {
 public:
  /// The simulated wall clock's reading at virtual time 0, in Unix milliseconds
  /// (2025-11-24): PeerInfo timestamps come from it, never from the real clock.
  static constexpr std::uint64_t kSimulatedEpochMs = 1764000000000ull;
  /// The simulated wall clock (Unix ms, for PeerInfo::last_updated_ms) at virtual time t.
  static std::uint64_t wall_clock_ms(Time t) {
    return kSimulatedEpochMs + static_cast<std::uint64_t>(t.count() / 1000);
  }

  /// A world whose every random choice derives from seed.
  explicit World(std::uint64_t seed, PairKeys pair_keys = PairKeys::real);
  /// How its members derive pairwise keys.
  [[nodiscard]] PairKeys pair_keys() const { return pair_keys_; }

  /// Adds count members with config; returns the index of the first. Not joined yet.
  /// Returns size() (adds nothing) if config does not validate.
  std::uint32_t spawn(std::size_t count, const Config& config);
  /// Starts member i joining through the members in seeds (none: it is the first).
  void join(std::uint32_t i, const std::vector<std::uint32_t>& seeds);
  /// Every member but `seed` joins through it; `seed` starts alone.
  void join_all(std::uint32_t seed);
  /// Stops member i without a word; datagrams already in flight to it are lost unless
  /// it is back up when they arrive.
  void crash(std::uint32_t i);
  /// Brings a crashed member back with the same identity (a fresh process: incarnation
  /// and sequence numbers start over) and joins it through seeds.
  void restart(std::uint32_t i, const std::vector<std::uint32_t>& seeds);
  /// Re-creates member `of` under a new key (a backend rebuilt with a fresh identity and
  /// its old name): a new member, index size(), with of's config, announcing of's PeerInfo
  /// (name, address, role, metadata) stamped now, joins through seeds. `of` keeps running
  /// unless crashed first, so two live keys then claim one name (docs/protocol.md, "Name
  /// conflicts"). Returns the new member's index (size() unchanged if it cannot start).
  /// With `as`, that member (spawned, not yet joined) takes the new key's part instead.
  std::uint32_t recreate(std::uint32_t of, const std::vector<std::uint32_t>& seeds,
                         std::optional<std::uint32_t> as = std::nullopt);
  /// Member i leaves gracefully.
  void leave(std::uint32_t i);
  /// Member i announces new PeerInfo.
  Result<void> set_info(std::uint32_t i, PeerInfo info);

  /// The network, to set latency and loss.
  NetworkModel& network() { return network_; }
  /// Splits members into two sides that cannot reach each other (both directions).
  void partition(const std::vector<std::uint32_t>& side_a, const std::vector<std::uint32_t>& side_b);
  /// Datagrams and streams from `from` no longer reach `to` (one way).
  void partition_one_way(const std::vector<std::uint32_t>& from, const std::vector<std::uint32_t>& to);
  /// Lifts every partition.
  void heal() { network_.heal(); }
  /// Member i does all its work `delay` late: it handles every datagram and stream
  /// message `delay` after it arrives, and runs each timer `delay` after it is due (an
  /// overloaded process: it hears acks too late and probes late).
  void set_processing_delay(std::uint32_t i, Duration delay);
  /// Member i's message input runs `delay` late while its timers fire on time (a busy
  /// CPU or a blocked receive loop, Lifeguard's slow message processing): every
  /// datagram, stream request and stream answer that arrives before `until` (world
  /// time) waits `delay` in its input backlog, in arrival order, and later arrivals
  /// queue behind what is still waiting. Its ticks, its sends and API calls are not
  /// delayed; neither are stream failures (local notices, not messages). 0 lifts it.
  void set_input_delay(std::uint32_t i, Duration delay, Time until = kNever);
  /// Freezes member i for d, as a stopped process (SIGSTOP): no timers and no
  /// processing. Datagrams arriving meanwhile wait in its socket buffer, up to
  /// kSocketBufferBytes (the rest are dropped); stream messages wait in their
  /// connections. On resume its late timers fire first, then everything held is handled
  /// at once, in arrival order. Pausing a paused member extends the pause.
  void pause(std::uint32_t i, Duration d);
  /// True while member i is paused.
  [[nodiscard]] bool is_paused(std::uint32_t i) const { return members_[i].paused_until > now_; }
  /// Datagrams dropped because a paused member's socket buffer was full.
  [[nodiscard]] std::uint64_t socket_buffer_drops() const { return socket_buffer_drops_; }
  /// A paused member's receive buffer: Linux's default net.core.rmem_default.
  static constexpr std::size_t kSocketBufferBytes = 212992;
  /// Member i's clock reads `skew` ahead of (negative: behind) the world's. Set before
  /// the member's first input, it applies from its creation; later, its clock jumps, and
  /// a backward jump holds the member's clock still until it catches up (its Time stays
  /// monotonic, as the core requires).
  void set_clock_skew(std::uint32_t i, Duration skew);

  /// Hands bytes to member `to` now, as a datagram from member `from`'s address, and
  /// returns what receive() returned. For tests: forged, replayed or corrupt input.
  Result<void> inject(std::uint32_t to, std::uint32_t from, ByteView bytes);
  /// Hands request to member `to` now, as a stream request from member `from`'s
  /// address, and returns its answer (what handle_stream() returned); the answer goes
  /// nowhere. For tests: forged, replayed or corrupt streams.
  Result<Bytes> inject_stream(std::uint32_t to, std::uint32_t from, ByteView request);
  /// Hands response to member `to` now, as the answer to its stream request stream_id
  /// (see observe_streams), and returns what stream_response() returned. The real
  /// answer, if one comes later, then finds the request settled.
  Result<void> inject_stream_response(std::uint32_t to, std::uint64_t stream_id, ByteView response);
  /// The id member i has or will have once spawned (its identity depends only on the
  /// world's seed and i): certificates and allow-lists can be made before spawn().
  [[nodiscard]] NodeId future_id(std::uint32_t i) const;
  /// Member i uses config from its next restart on (a renewed certificate, say).
  void reconfigure(std::uint32_t i, const Config& config) { members_[i].config = config; }
  /// Hands member `to` a CA-signed revocation (Node::apply_revocation) and sends what
  /// it queued.
  Result<void> apply_revocation(std::uint32_t to, ByteView signed_revocation);
  /// The id member i will have after its next key rotation (to list or certify it first).
  [[nodiscard]] NodeId next_key(std::uint32_t i) const;
  /// Moves member i to the key next_key(i) names (Node::rotate_key), with certificate
  /// (required in ca mode); a later restart brings it back with the new key.
  Result<void> rotate_key(std::uint32_t i, Bytes certificate = {});
  /// Replaces member i's allow-list (Node::set_allowlist) and sends what it queued.
  void set_allowlist(std::uint32_t i, const std::vector<NodeId>& keys);
  /// Member i's config (what it was spawned or last reconfigured with).
  [[nodiscard]] const Config& config_of(std::uint32_t i) const { return members_[i].config; }
  /// The 32-byte secret seed of member i's identity: Identity::from_seed(seed) is it.
  [[nodiscard]] const std::array<std::uint8_t, Identity::kSeedSize>& identity_seed(std::uint32_t i) const {
    return members_[i].seed;
  }

  /// Runs events up to and including time t.
  void run_until(Time t);
  /// Runs for d of virtual time.
  void run_for(Duration d) { run_until(now_ + d); }
  /// Makes the running run_until() return right after the event being handled (call it
  /// from an observer), with now() at that event's time.
  void stop() { stop_ = true; }
  /// Virtual time now.
  [[nodiscard]] Time now() const { return now_; }

  /// Member i's node (valid while it is up).
  [[nodiscard]] Node& node(std::uint32_t i) { return *members_[i].node; }
  /// Member i's node (valid while it is up).
  [[nodiscard]] const Node& node(std::uint32_t i) const { return *members_[i].node; }
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
  /// Member i's processing delay.
  [[nodiscard]] Duration processing_delay(std::uint32_t i) const { return members_[i].processing_delay; }
  /// Member i's input delay (set_input_delay), whether or not its `until` has passed.
  [[nodiscard]] Duration input_delay(std::uint32_t i) const { return members_[i].input_delay; }
  /// Member i's clock skew.
  [[nodiscard]] Duration clock_skew(std::uint32_t i) const { return members_[i].clock_skew; }

  /// Receives every membership event from now on (replaces the previous observer).
  void observe(EventObserver observer) { observer_ = std::move(observer); }
  /// Sees every datagram just before it is handled (replaces the previous one).
  void observe_datagrams(DatagramObserver observer) { datagram_observer_ = std::move(observer); }
  /// Sees every datagram as it is sent (replaces the previous one).
  void observe_sends(SendObserver observer) { send_observer_ = std::move(observer); }
  /// Sees every stream request as it is sent (replaces the previous one).
  void observe_streams(StreamObserver observer) { stream_observer_ = std::move(observer); }
  /// Called after every input a member handled (replaces the previous one).
  void observe_inputs(InputObserver observer) { input_observer_ = std::move(observer); }

  /// Gives every member spawned from now on a claim cache of its own (Node::create with
  /// no shared cache), so that each verifies every signature it receives, as a real
  /// process does; false (the default) shares one cache across the World.
  void set_private_caches(bool on) { private_caches_ = on; }
  /// The caches a member with config created now gets: the world's shared ones for its
  /// cluster label and encrypt setting, or its own.
  [[nodiscard]] swim::SharedCaches caches_for_new_member(const Config& config);
  /// Whether members spawned now get caches of their own.
  [[nodiscard]] bool private_caches() const { return private_caches_; }
  /// While on, the thread CPU time (CLOCK_THREAD_CPUTIME_ID) of every call into a Node
  /// (tick, receive, stream and API calls) is added to cpu_ns(). Off by default: the
  /// clock read costs about a microsecond.
  void set_cpu_accounting(bool on) { cpu_accounting_ = on; }
  /// Nanoseconds of thread CPU time spent inside Node calls while accounting was on.
  [[nodiscard]] std::int64_t cpu_ns() const { return cpu_ns_; }

  /// Datagrams sent by member i (lost ones included), without stream messages.
  [[nodiscard]] std::uint64_t datagrams_sent(std::uint32_t i) const { return members_[i].datagrams_sent; }
  /// Datagrams and stream messages sent by member i (lost ones included).
  [[nodiscard]] std::uint64_t packets_sent(std::uint32_t i) const { return members_[i].packets_sent; }
  /// Bytes of datagrams and stream messages sent by member i.
  [[nodiscard]] std::uint64_t bytes_sent(std::uint32_t i) const { return members_[i].bytes_sent; }
  /// Events processed so far.
  [[nodiscard]] std::uint64_t events_processed() const { return events_processed_; }
  /// FNV-1a digest of everything sent so far (time, sender, receiver, bytes of every
  /// datagram and stream message) and every membership event: equal digests mean the
  /// runs were identical.
  [[nodiscard]] std::uint64_t digest() const { return digest_; }
  /// True when member i is up and sees every member in `expected` alive.
  [[nodiscard]] bool sees_alive(std::uint32_t i, const std::vector<std::uint32_t>& expected) const;

 private:
  enum class EventType : std::uint8_t { tick, datagram, stream_request, stream_response, stream_failed, resume };
  // Before any time: a member whose backlog never held anything.
  static constexpr Time kNoBacklog = Time(std::numeric_limits<std::int64_t>::min());
  struct Event {
    Time at;
    std::uint64_t order;  // insertion order: ties break deterministically
    EventType type;
    std::uint32_t to;
    std::uint32_t from;
    std::uint64_t generation;
    std::uint64_t stream_id;
    std::shared_ptr<const Bytes> bytes;
    Time deadline = kNever;  // streams: the initiator's stream timeout expires here
    // Set once the event has waited out the receiver's input backlog: the receiver's
    // generation then, so a backlog dies with its process.
    std::optional<std::uint64_t> backlog_of;
    bool operator>(const Event& o) const { return at != o.at ? at > o.at : order > o.order; }
  };

  struct Member {
    std::unique_ptr<Node> node;
    NodeId id;
    std::array<std::uint8_t, Identity::kSeedSize> seed{};
    std::uint32_t rotations = 0;  // key rotations so far (next_key derives from it)
    Config config;
    std::string address;
    Duration processing_delay{0};
    Duration clock_skew{0};
    Duration input_delay{0};       // set_input_delay: messages wait this long, timers do not
    Time input_delay_until = kNever;
    Time backlog_until = kNoBacklog;  // the last message in its input backlog is handled then
    Time clock = Time(std::numeric_limits<std::int64_t>::min());  // last time handed to the node
    std::uint64_t inputs = 0;      // inputs since the node was created
    Time armed = kNever;           // world time of the tick event in the queue
    std::uint64_t generation = 0;  // bumped on crash/restart: stale timers and streams are dropped
    Time paused_until{0};          // paused while now_ < paused_until
    std::vector<Event> held;       // inputs that arrived while paused, in arrival order
    std::size_t held_datagram_bytes = 0;
    std::int64_t link_free_ns = 0;  // its uplink is busy until then (world time, ns)
    std::uint64_t packets_sent = 0;
    std::uint64_t datagrams_sent = 0;
    std::uint64_t bytes_sent = 0;
  };
  /// Runs call (a call into a Node), adding its thread CPU time to cpu_ns_ when on.
  template <class Call>
  decltype(auto) timed(Call&& call);
  void push(Event event);
  void dispatch(const Event& event);
  /// Member `to` answers a stream request that has arrived.
  void answer_stream(const Event& event);
  /// Charges bytes to member i's uplink; returns when the last bit has left. A stream's
  /// bytes stop occupying the link at reset_at (its timeout), sent or not.
  Time transmit(std::uint32_t i, std::size_t bytes, Time reset_at = kNever);
  void send_datagram(std::uint32_t i, OutgoingDatagram& d);
  void send_stream(std::uint32_t i, StreamRequest& s);
  /// Puts a message for a member with an input delay into its backlog (true), to be
  /// handled once it has waited its delay and behind every message before it.
  bool defer_input(const Event& event);
  /// Holds event for paused member `to` (true), or drops it when the buffer is full.
  bool hold_if_paused(const Event& event);
  void resume(std::uint32_t i);
  /// Drains member i's outputs into the event queue and re-arms its tick.
  void flush(std::uint32_t i);
  /// Member i's clock at world time now_, never behind what it read before.
  Time node_time(std::uint32_t i);
  std::unique_ptr<Node> make_node(std::uint32_t i);
  /// The PeerInfo member i starts with ("node-<i>", a 10.x address, a role by i % 3).
  [[nodiscard]] PeerInfo default_info(std::uint32_t i) const;
  [[nodiscard]] std::array<std::uint8_t, Identity::kSeedSize> seed_for(std::uint32_t i) const;
  /// The seed of member i's key after `rotation` rotations (0: seed_for(i)).
  [[nodiscard]] std::array<std::uint8_t, Identity::kSeedSize> seed_for(std::uint32_t i, std::uint32_t rotation) const;
  void record(std::uint64_t a, std::uint64_t b, std::uint64_t c, ByteView bytes);

  std::uint64_t seed_;
  Rng rng_;
  NetworkModel network_;
  PairKeys pair_keys_;
  // Per scope ("purpose:label"): every member verifies each claim and derives each pair
  // key once. A std::map: created in spawn order, never iterated for output.
  std::map<std::string, swim::SharedCaches> shared_;
  std::vector<Member> members_;
  std::unordered_map<std::string, std::uint32_t> by_address_;  // lookups only: order never matters
  std::unordered_map<NodeId, std::uint32_t> by_id_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> queue_;
  std::uint64_t next_order_ = 0;
  Time now_{0};
  EventObserver observer_;
  DatagramObserver datagram_observer_;
  SendObserver send_observer_;
  StreamObserver stream_observer_;
  InputObserver input_observer_;
  std::uint64_t events_processed_ = 0;
  bool stop_ = false;
  bool private_caches_ = false;
  bool cpu_accounting_ = false;
  std::int64_t cpu_ns_ = 0;
  std::uint64_t socket_buffer_drops_ = 0;
  std::uint64_t digest_ = 0xcbf29ce484222325ull;
};

}  // namespace swell::sim
