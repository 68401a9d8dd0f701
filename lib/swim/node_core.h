// NodeCore: the state behind swell::Node. One class, its methods split by concern:
//   node_core.cpp   construction, timers, outputs, gossip, events, queries
//   receive.cpp     datagram intake: authentication, replay window, dispatch
//   membership.cpp  SWIM state rules for alive / suspect / dead / leave claims
//   probe.cpp       probing: direct pings, ping-req relays, nacks, Lifeguard health
//   push_pull.cpp   join, anti-entropy and reconnect over streams
#pragma once

#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "swell/node.h"
#include "swim/awareness.h"
#include "swim/claim_cache.h"
#include "swim/dissemination_queue.h"
#include "swim/member_table.h"
#include "swim/peer_keys.h"
#include "swim/timer_queue.h"
#include "wire/datagram_builder.h"
#include "wire/envelope.h"
#include "wire/messages.h"

namespace swell {

/// The protocol state machine; see swell/node.h for the contract of each input.
class NodeCore {
 public:
  NodeCore(Identity identity, const Config& config, Rng rng, std::shared_ptr<ClaimCache> cache);
  NodeCore(const NodeCore&) = delete;
  NodeCore& operator=(const NodeCore&) = delete;

  Result<void> start(PeerInfo info, std::string swim_address, Time now);
  Result<void> join(const std::vector<std::string>& seeds, Time now);
  Result<void> leave(Time now);
  Result<void> set_local_info(PeerInfo info, Time now);
  Result<void> receive(std::string_view from, ByteView datagram, Time now);
  Result<Bytes> handle_stream(std::string_view from, ByteView request, Time now);
  Result<void> stream_response(std::uint64_t stream_id, ByteView response, Time now);
  void stream_failed(std::uint64_t stream_id, Time now);
  void tick(Time now);
  [[nodiscard]] Time next_tick() const { return timers_.next(); }

  std::vector<OutgoingDatagram> drain_datagrams() { return std::exchange(out_datagrams_, {}); }
  std::vector<StreamRequest> drain_streams() { return std::exchange(out_streams_, {}); }
  std::vector<MembershipEvent> drain_events() { return std::exchange(out_events_, {}); }

  [[nodiscard]] const NodeId& id() const { return identity_.id(); }
  [[nodiscard]] std::vector<MemberSnapshot> members() const;
  [[nodiscard]] std::size_t count(MemberState state) const { return table_.count(state); }
  [[nodiscard]] std::optional<MemberSnapshot> member(const NodeId& id) const;
  [[nodiscard]] const NodeStats& stats() const { return stats_; }
  [[nodiscard]] int local_health() const { return awareness_.score(); }
  [[nodiscard]] std::size_t pending_updates() const { return queue_.size(); }

 private:
  enum class Phase : std::uint8_t { idle, joining, joined, leaving };

  // A probe in flight (ProbeScheduler state).
  struct Probe {
    NodeId target;
    std::vector<std::uint64_t> ping_seqs;      // our pings to the target
    std::vector<std::uint64_t> request_seqs;   // our ping-reqs to relays
    Time started{0};
    int pings_sent = 0;
    bool acked = false;
    int nacks = 0;
    std::uint64_t generation = 0;
  };
  // A ping we send on behalf of a requester (ping-req relay).
  struct Relay {
    NodeId requester;
    std::uint64_t requester_seq = 0;
    std::string requester_address;
    NodeId target;
    std::string target_address;
    std::vector<std::uint64_t> ping_seqs;  // our pings to the target
  };
  // Lifeguard suspicion of one member.
  struct Suspicion {
    NodeId accuser;
    std::vector<NodeId> confirmers;  // distinct, at most config.suspicion_confirmations
    Time started{0};
    Duration min{0}, max{0};
    int expected = 0;
    bool probed_by_us = false;        // a probe of ours failed (evidence for the event)
    bool confirmed_by_probe = false;  // ... after the suspicion began: a verdict needs no final check
    bool verifying = false;     // timed out; our final check probe is under way
    int nacks_seen = 0;
    std::uint64_t token = 0;
    [[nodiscard]] Time deadline() const;
  };
  // join: full records back. push_pull and reconnect: digest, then maybe a summary
  // back and a delta round (reconcile). delta: the second round.
  enum class StreamPurpose : std::uint8_t { join, push_pull, delta, reconnect };
  struct PendingStream {
    StreamPurpose purpose;
    NodeId peer;  // zero when joining through a seed address
    std::string address;
  };

  // --- node_core.cpp ---
  void schedule(Duration after, Time now, swim::TimerKind kind, std::uint64_t token = 0);
  void on_timer(const swim::Timer& timer, Time now);
  void gossip(Time now);
  void start_periodic_timers(Time now);
  void reap(Time now);
  void emit(MembershipEvent::Kind kind, std::uint32_t index, Time now,
            std::optional<FailureEvidence> evidence = std::nullopt);
  /// Builds, piggybacks, seals and queues one datagram to the member at index.
  /// `introduce` names us in full and attaches our alive claim, for a receiver that may
  /// not know us (it answers only members it knows).
  void send_datagram(std::uint32_t index, std::initializer_list<std::pair<wire::MessageKind, ByteView>> messages,
                     std::uint64_t* seq_out = nullptr, bool piggyback = true, bool introduce = false);
  /// Same, to a peer that may not be in the table (address given).
  void send_datagram_to(const NodeId& peer, const std::string& address, bool full_sender,
                        std::initializer_list<std::pair<wire::MessageKind, ByteView>> messages,
                        std::uint64_t* seq_out, bool piggyback, bool introduce = false);
  [[nodiscard]] std::size_t live_members() const;
  /// Picks up to count distinct random members in alive or suspect state, excluding self and `except`.
  std::vector<std::uint32_t> random_members(std::size_t count, const NodeId* except);
  [[nodiscard]] const std::string& address_of(std::uint32_t index) const;
  [[nodiscard]] int retransmit_limit() const;

  // --- receive.cpp ---
  const crypto::MacKey* key_for(const wire::SenderName& sender);
  void handle_message(const wire::MessageView& message, bool fresh, std::string_view from, Time now);

  // --- membership.cpp ---
  /// Interns and applies a signed claim body; false if it was rejected.
  bool accept_claim(ByteView body, wire::MessageKind kind, Time now, bool via_push_pull = false);
  void apply(const swim::ClaimRef& claim, Time now, bool via_push_pull);
  /// Queues a claim for gossip, unless it was learned by anti-entropy.
  void spread(const swim::ClaimRef& claim);
  void apply_alive(const swim::ClaimRef& claim, Time now);
  /// The member a suspect or dead claim may act on: none if the claim is stale, the
  /// member unknown or already dead/left, or the claim is about us (then we refute).
  std::optional<std::uint32_t> accused_member(const swim::ClaimRef& claim, Time now);
  void apply_suspect(const swim::ClaimRef& claim, Time now);
  void apply_dead(const swim::ClaimRef& claim, Time now, std::optional<FailureEvidence> evidence);
  void apply_leave(const swim::ClaimRef& claim, Time now);
  void refute(std::uint64_t accused_incarnation, const NodeId& accuser, Time now);
  void sign_own_alive();
  swim::ClaimRef sign(const wire::Claim& claim);
  void suspect_member(std::uint32_t index, Time now, bool probed_by_us, int nacks);
  void schedule_suspicion(const NodeId& subject, Suspicion& suspicion, Time now);
  void on_suspicion_timer(std::uint64_t token, Time now);
  /// Signs and applies our dead verdict on a suspect, with the evidence we hold.
  void declare_dead(const NodeId& subject, Time now);
  void clear_suspicion(const NodeId& subject);

  // --- probe.cpp ---
  /// Starts the probe of the next member in the round.
  void start_probe(Time now);
  void on_relay_resend(std::uint64_t first_seq, Time now);
  void on_probe_resend(std::uint64_t generation, Time now);
  void on_probe_indirect(std::uint64_t generation, Time now);
  void on_probe_end(std::uint64_t generation, Time now);
  void on_ack(std::uint64_t seq, Time now);
  void on_nack(std::uint64_t seq);
  void on_ping_req(const wire::PingReq& req, const NodeId& requester, std::uint64_t requester_seq,
                   std::string_view from, Time now);
  void on_relay_timeout(std::uint64_t seq, Time now);
  std::optional<std::uint32_t> next_probe_target();
  void send_ping(std::uint32_t index, bool full_sender);

  // --- push_pull.cpp ---
  /// Opens a stream carrying request (plus our digest, and our own record when joining).
  void start_stream(StreamPurpose purpose, const NodeId& peer, const std::string& address, Time now,
                    wire::PushPullView request = {});
  /// The summary entry for the member at index.
  [[nodiscard]] wire::SummaryEntry summary_of(std::uint32_t index) const;
  /// Appends the member's record (alive claim, plus the claim behind a non-alive state;
  /// left out if that claim is missing).
  void add_record(wire::PushPullView& state, std::uint32_t index) const;
  /// Encodes, frames and authenticates a push-pull message; empty if over max_stream_bytes.
  Bytes seal_state(wire::MessageKind kind, const wire::PushPullView& state, const NodeId& peer, bool with_tag);
  /// From the peer's summary: sends it the records it lacks and asks for those we lack.
  void reconcile(const wire::PushPullView& theirs, const NodeId& peer, const std::string& address, Time now);
  /// XOR of a hash of (id, incarnation, status) over every member: order-free, so
  /// two tables with the same content have the same digest.
  [[nodiscard]] wire::StateDigest state_digest() const;
  Result<wire::PushPullView> open_stream_message(ByteView bytes, wire::MessageKind expected,
                                                 const NodeId* expected_peer, NodeId& sender);
  void merge_state(const wire::PushPullView& state, Time now);
  void try_join(Time now);
  void on_join_retry(Time now);
  /// Token of the one-off push-pulls shortly after joining (the periodic one uses 0).
  static constexpr std::uint64_t kEarlySync = 1;
  void on_push_pull(std::uint64_t token, Time now);
  void on_reconnect(Time now);
  void on_stream_timeout(std::uint64_t stream_id, Time now);

  Identity identity_;
  Config config_;
  wire::DecodeLimits limits_;
  Rng rng_;
  bool shared_cache_;  // the caller passed a cache other nodes share (declared before cache_)
  std::shared_ptr<ClaimCache> cache_;
  swim::MemberTable table_;
  swim::PeerKeys keys_;
  swim::Awareness awareness_;
  swim::DisseminationQueue queue_;
  swim::TimerQueue timers_;

  Phase phase_ = Phase::idle;
  std::uint64_t incarnation_ = 1;
  PeerInfo local_info_;
  std::string swim_address_;
  std::uint64_t next_seq_ = 1;

  std::vector<std::uint32_t> probe_order_;
  std::size_t probe_cursor_ = 0;
  std::optional<Probe> probe_;
  std::uint64_t probe_generation_ = 0;
  std::unordered_map<std::uint64_t, Relay> relays_;               // by our first ping's seq
  std::unordered_map<std::uint64_t, std::uint64_t> relay_pings_;  // any relay ping seq -> first seq

  std::map<NodeId, Suspicion> suspicions_;
  std::unordered_map<std::uint64_t, NodeId> suspicion_tokens_;
  std::uint64_t next_token_ = 1;
  std::map<NodeId, swim::ClaimRef> status_claims_;  // suspect/dead/leave claim per non-alive member

  std::map<std::uint64_t, PendingStream> streams_;
  std::uint64_t next_stream_id_ = 1;
  std::vector<std::string> seeds_;
  std::size_t next_seed_ = 0;
  int join_attempts_ = 0;
  std::uint64_t join_generation_ = 0;

  std::vector<OutgoingDatagram> out_datagrams_;
  std::vector<StreamRequest> out_streams_;
  std::vector<MembershipEvent> out_events_;
  NodeStats stats_;

  // Set while handling a datagram that accused us at an incarnation we already
  // refuted: the ack we send then carries our current alive claim.
  bool stale_accusation_seen_ = false;
  // True while applying claims merged from a push-pull.
  bool merging_ = false;
  // Claims the last send_datagram took from the queue (gossip bursts use it).
  std::size_t last_fill_count_ = 0;

  wire::DatagramBuilder builder_;
  wire::EnvelopeView envelope_;
};

}  // namespace swell
