// Agent: one cluster member on real sockets. It drives a swell::Node on a libuv loop:
// UDP for datagrams, TCP on the same port number for join and push-pull streams, one
// timer at Node::next_tick(). Other threads read membership through lock-free
// snapshots and steer the agent through thread-safe calls. docs/runtime.md has the
// threading rules, the lifecycle and the counters; docs/embedding.md a full example.
//
//   swell::AgentOptions o;
//   o.key_file = "/var/lib/swell/node.key";
//   o.config = swell::Config::lan();
//   o.info.id = "backend-7";
//   o.info.address = "10.0.3.7:3000";
//   o.bind_address = "10.0.3.7:7946";
//   o.seeds = {"10.0.3.1:7946"};
//   auto agent = swell::Agent::start(std::move(o));   // its own loop thread
//   if (!agent.ok()) { std::cerr << agent.error().message << "\n"; return 1; }
//   auto snap = agent.value().snapshot();              // any thread, never blocks
//   agent.value().leave(std::chrono::seconds(2));
//   agent.value().stop();
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "swell/config.h"
#include "swell/events.h"
#include "swell/identity.h"
#include "swell/node.h"
#include "swell/peer_info.h"
#include "swell/result.h"

// The one libuv name in swell's public headers: a caller may hand over its loop.
typedef struct uv_loop_s uv_loop_t;  // NOLINT(modernize-use-using): must match uv.h

namespace swell {

/// Counters of what the runtime's sockets did; never reset.
struct TransportStats {
  std::uint64_t datagrams_sent = 0;        ///< UDP datagrams handed to the kernel.
  std::uint64_t datagram_bytes_sent = 0;   ///< Their bytes.
  std::uint64_t datagrams_received = 0;    ///< UDP datagrams read from the socket (before fault injection).
  std::uint64_t datagram_bytes_received = 0;  ///< Their bytes.
  std::uint64_t datagrams_injected_drops = 0; ///< Inbound datagrams dropped by the fault-injection hook.
  std::uint64_t datagrams_oversized = 0;   ///< Inbound datagrams over max_datagram_bytes, dropped unread.
  std::uint64_t send_errors = 0;           ///< UDP sends the kernel refused, or addresses that did not parse.
  std::uint64_t stream_bytes_sent = 0;     ///< TCP bytes written (length prefixes included).
  std::uint64_t stream_bytes_received = 0; ///< TCP bytes read.
  std::uint64_t connections_accepted = 0;  ///< Inbound TCP connections served.
  std::uint64_t connections_made = 0;      ///< Outbound TCP connections established.
  std::uint64_t connections_refused = 0;   ///< Inbound connections closed at once: over max_inbound_streams.
  std::uint64_t connections_timed_out = 0; ///< Connections (either way) closed at a stream_timeout deadline.
  std::uint64_t connections_failed = 0;    ///< Outbound connects or exchanges that failed before the deadline.
  std::uint64_t streams_oversized = 0;     ///< Streams whose length prefix exceeded max_stream_bytes.
  std::uint64_t streams_rejected = 0;      ///< Inbound stream requests the node refused (did not authenticate or decode).
  std::uint64_t events_dropped = 0;        ///< Events not queued because the event queue was full.
};

/// An immutable picture of one agent, published by its loop after each change.
struct AgentSnapshot {
  std::uint64_t version = 0;               ///< Grows by one per publication.
  NodeId self;                             ///< This agent's id.
  std::string swim_address;                ///< The advertised host:port (the bound port filled in).
  bool running = false;                    ///< False once stopped.
  bool leaving = false;                    ///< True once leave() was called.
  std::shared_ptr<const std::vector<MemberSnapshot>> members;  ///< Every known member, sorted by id; never null.
  int local_health = 0;                    ///< Lifeguard health score (0 = healthy).
  NodeStats node;                          ///< The protocol core's counters.
  TransportStats transport;                ///< The sockets' counters.
  /// Keys revoked by a trusted CA that the node remembers, oldest first (Node::revoked_keys):
  /// what swell-agent saves so a restart still refuses them. Never null.
  std::shared_ptr<const std::vector<NodeId>> revoked;

  /// Members in state s.
  [[nodiscard]] std::size_t count(MemberState s) const;
  /// One member's entry, if known; valid while this snapshot is held.
  [[nodiscard]] const MemberSnapshot* find(const NodeId& id) const;
};

/// TEST AND BENCH ONLY, not a production setting: faults injected at the transport.
struct FaultInjection {
  double inbound_loss = 0;                 ///< Probability of dropping each inbound datagram, 0..1.
  std::vector<std::string> blocked;        ///< host:port peers: datagrams to/from them and dials to them are dropped.
  std::uint64_t seed = 0;                  ///< Seed of the drop RNG; 0 draws one from libsodium.
  /// Sees every datagram read (before any drop), on the loop thread: how the hostile
  /// traffic test captures valid datagrams to replay. Must be quick.
  std::function<void(const std::string& from, ByteView bytes)> tap;
};

/// Everything Agent::start needs.
struct AgentOptions {
  std::optional<Identity> identity;        ///< The key pair; when empty, key_file is loaded.
  std::string key_file;                    ///< Key file to load when identity is empty.
  Config config = Config::lan();           ///< Protocol tunables (validated).
  PeerInfo info;                           ///< What this member announces (owner and version are set for you; an empty address is the advertised one).
  /// host:port to bind UDP and TCP to, e.g. "0.0.0.0:7946", "[::1]:0". Port 0 picks a
  /// free port (the same number for both), which is then advertised.
  std::string bind_address = "0.0.0.0:7946";
  /// host:port peers should use to reach us; required when bound to 0.0.0.0 or ::.
  /// Port 0 (or no port given as ":0") means "the bound port".
  std::string advertise_address;
  std::vector<std::string> seeds;          ///< host:port of members to join through (numeric addresses).
  /// A loop owned by the caller (many agents may share one); null: the agent runs its
  /// own loop on its own thread. With a caller's loop, start() must run on that loop's
  /// thread (or before it runs), and the caller keeps running it until stopped().
  uv_loop_t* loop = nullptr;
  /// Runs on the loop thread for every membership event, in order.
  std::function<void(const MembershipEvent&)> on_event;
  std::size_t event_queue_capacity = 4096; ///< Events kept for poll_event(); the rest are dropped and counted. 0: no queue.
  std::size_t max_inbound_streams = 64;    ///< Concurrent inbound TCP connections; more are refused and counted.
  /// Counters are republished at least this often (membership changes publish at once).
  std::chrono::milliseconds stats_interval{250};
  FaultInjection faults;                   ///< Test and bench hook; empty by default.
};

class AgentShared;

/// One running member. Movable; all methods may be called from any thread.
class Agent {
 public:
  /// Binds, starts and joins the seeds. Errors: invalid_argument / invalid_config (fix
  /// the option named), io (port in use, address not local), key_file_* (see Identity::load).
  static Result<Agent> start(AgentOptions options);

  /// The latest published snapshot; lock-free and wait-free, never blocks the loop.
  [[nodiscard]] std::shared_ptr<const AgentSnapshot> snapshot() const;
  /// This agent's id (its key now: rotate_key changes it).
  [[nodiscard]] NodeId id() const;
  /// The advertised host:port (with the bound port).
  [[nodiscard]] const std::string& address() const;
  /// The port UDP and TCP are bound to.
  [[nodiscard]] std::uint16_t bound_port() const;

  /// Announces new PeerInfo (applied on the loop; the error is for a closed agent).
  Result<void> set_local_info(PeerInfo info);
  /// Contacts more seeds: tried while joining, exchanged with at once when joined (how
  /// two clusters are merged). Blocks until the loop took them; not on the loop thread.
  /// Errors: invalid_argument (a seed address; none is used), wrong_state (leaving).
  Result<void> join(const std::vector<std::string>& seeds);
  /// An operator's verdict: holds a failed member as left here and at every member that
  /// also holds it failed (Node::force_leave). Blocks until the loop applied it; not on
  /// the loop thread. Errors: unknown_member, invalid_argument (not failed here).
  Result<void> force_leave(const NodeId& member);
  /// Moves this member to a new key (Node::rotate_key); certificate is the new key's
  /// (required in ca mode). Whoever stores the key (a key file) must store the new one
  /// before the next start: the old key is refused from now on. Blocks until the loop
  /// applied it; not on the loop thread. Errors: those of Node::rotate_key.
  Result<void> rotate_key(Identity next, Bytes certificate = {});
  /// Applies a CA-signed revocation (Node::apply_revocation) on the loop; one that does
  /// not verify or whose CA is not trusted is counted (NodeStats::revocations_untrusted,
  /// claims_rejected). The error is for a closed agent.
  Result<void> apply_revocation(Bytes signed_revocation);
  /// Replaces the allow-list (Node::set_allowlist; applied on the loop).
  Result<void> set_allowlist(std::vector<NodeId> keys);
  /// Starts a graceful leave without waiting: announce, then give gossip up to timeout
  /// to spread it; done (may be empty) runs on the loop thread when that is over.
  Result<void> begin_leave(Duration timeout, std::function<void()> done = {});
  /// Graceful leave that waits up to timeout for the announcement to spread. Blocks the
  /// caller, so it must not run on the loop thread (use begin_leave there).
  Result<void> leave(Duration timeout);
  /// Closes every socket and timer. With its own thread, waits for it (unless called
  /// on it); with a caller's loop, the handles close as that loop runs: see stopped().
  void stop();
  /// True once every handle is closed and the agent may be destroyed with its loop.
  [[nodiscard]] bool stopped() const;

  /// The oldest queued event, if any (the queue is bounded; overflow is counted).
  std::optional<MembershipEvent> poll_event();
  /// Replaces the fault-injection settings (applied on the loop; tap included).
  Result<void> set_faults(FaultInjection faults);

  Agent(Agent&&) noexcept;
  Agent& operator=(Agent&&) noexcept;
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;
  /// Stops the agent if still running; may run on any thread once stop() returned.
  ~Agent();

 private:
  explicit Agent(std::shared_ptr<AgentShared> shared);
  std::shared_ptr<AgentShared> shared_;
};

}  // namespace swell
