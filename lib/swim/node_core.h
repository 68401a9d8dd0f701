// NodeCore: the state behind swell::Node. One class, its methods split by concern:
//   node_core.cpp   construction, public inputs, timers, queries
//   send.cpp        building, piggybacking and sealing datagrams; gossip rounds; events
//   receive.cpp     datagram intake: authentication, replay window, dispatch
//   membership.cpp  SWIM state rules for alive / suspect / dead / leave claims
//   suspect.cpp     raising, confirming and concluding suspicions (Lifeguard)
//   probe.cpp       probing: direct pings, ping-req relays, nacks, Lifeguard health
//   push_pull.cpp   anti-entropy over streams: digest, summary, delta rounds
//   join.cpp        joining through seeds, early exchanges, reconnecting failed members
//   force_leave.cpp an operator's force-leave of a failed member
//   majority_mode.cpp heartbeats, reachability views and majority verdicts (docs/majority.md)
//   mode_switch.cpp the selector's signed mode decisions (automatic mode)
//   name_conflicts.cpp settling two live keys that announce one PeerInfo id
//   rotation.cpp    moving this node to a new key; applying others' key rotations
// The protocol's concepts with rules of their own are types in their own files:
// Suspicion, ProbeScheduler, DisseminationQueue, Awareness, MemberTable, PeerKeys,
// FlapDamper, LinkQuality, AccuserBudget.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "crypto/sealed_envelope.h"
#include "swell/node.h"
#include "swim/accuser_budget.h"
#include "swim/admission.h"
#include "majority/mode_selector.h"
#include "majority/name_owner.h"
#include "majority/reachability_view.h"
#include "swim/awareness.h"
#include "swim/dissemination_queue.h"
#include "swim/flap_damper.h"
#include "swim/link_quality.h"
#include "swim/member_table.h"
#include "swim/peer_keys.h"
#include "swim/probe_scheduler.h"
#include "swim/shared_caches.h"
#include "swim/suspicion.h"
#include "swim/timer_queue.h"
#include "wire/datagram_builder.h"
#include "wire/envelope.h"
#include "wire/messages.h"
#include "wire/mode_decision.h"
#include "wire/reach_messages.h"

namespace swell {

/// The protocol state machine; see swell/node.h for the contract of each input.
class NodeCore {
 public:
  NodeCore(Identity identity, const Config& config, Rng rng, swim::SharedCaches shared);
  NodeCore(const NodeCore&) = delete;
  NodeCore& operator=(const NodeCore&) = delete;

  Result<void> start(PeerInfo info, std::string swim_address, Time now);
  Result<void> join(const std::vector<std::string>& seeds, Time now);
  Result<void> leave(Time now);
  Result<void> force_leave(const NodeId& member, Time now);
  /// join() once joining or joined: more seeds to try, or to exchange tables with now.
  void contact_seeds(const std::vector<std::string>& seeds, Time now);
  Result<void> set_local_info(PeerInfo info, Time now);
  /// Ok when sender's key is admitted; else counts the refusal and gives not_admitted.
  Result<void> admit_sender(const NodeId& sender);
  Result<void> receive(std::string_view from, ByteView datagram, Time now);
  Result<void> apply_revocation(ByteView signed_revocation, Time now);
  void set_allowlist(std::vector<NodeId> keys, Time now);
  Result<void> set_trusted_cas(std::vector<NodeId> keys, Time now);
  Result<void> rotate_key(Identity next, Bytes certificate, Time now);
  [[nodiscard]] std::vector<NodeId> revoked_keys() const { return admission_.revoked_keys(); }
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
  [[nodiscard]] majority::Mode mode() const { return mode_; }
  [[nodiscard]] std::uint64_t mode_epoch() const { return mode_epoch_; }
  /// Settles contested names after an input changed what they depend on; emits a
  /// name_conflict per new loss (name_conflicts.cpp). Node calls it after every input.
  void settle_names(Time now);
  /// The key that owns member's name, when member lost it (MemberSnapshot::name_lost_to).
  [[nodiscard]] std::optional<NodeId> name_lost_to(const NodeId& member) const;

 private:
  enum class Phase : std::uint8_t { idle, joining, joined, leaving };

  // A probe in flight. Lane 0 probes every probe interval; lane 1 is the ring order's
  // extra round-robin probe every round_robin_every intervals.
  // Lane 0 probes the ring successor every period, lane 1 a round-robin member every
  // round_robin_every periods, lane 2 runs trial and probation checks (degraded.cpp)
  // when any is due: checks must not take the ring's turn, or a crash behind a held
  // member waits for the round-robin lane (detection went from 6 to 13 s under four
  // slow members).
  static constexpr std::size_t kLanes = 3;
  static constexpr std::uint8_t kCheckLane = 2;
  // Pings of a probation check, spread over the probe timeout (degraded.cpp).
  static constexpr int kCheckPings = 8;
  // A trial check: this many rounds over the probe timeout, each one ping to the
  // member and one to one of kTrialControls other members, so it is judged against
  // what others answer now. One ping a round: two sent together were answered in one
  // datagram, lost or delivered together, which doubled the variance.
  static constexpr int kTrialRounds = 48;
  static constexpr std::size_t kTrialControls = 4;
  struct Probe {
    NodeId target;
    std::vector<std::uint64_t> ping_seqs;      // our pings to the target
    std::vector<std::uint64_t> request_seqs;   // our ping-reqs to relays
    std::vector<NodeId> relays;                // who each went to (same order)
    Time started{0};
    int pings_sent = 0;
    bool acked = false;
    int nacks = 0;
    std::uint64_t generation = 0;
    std::uint8_t lane = 0;
    bool probation = false;  // a held-down member's probation check
    bool trial = false;      // a check of a member another member's hold-down verdict named
    std::vector<std::uint64_t> answered_seqs;  // our pings the target answered directly
    // A trial pings a few other members alongside, as many times, to compare with.
    std::vector<NodeId> controls;
    std::vector<std::uint64_t> control_seqs;
    std::vector<std::uint8_t> control_of;  // which control each control seq went to
    std::vector<std::uint64_t> control_answered_seqs;
    [[nodiscard]] bool judged() const { return probation || trial; }
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
  // join: records back (at most join_answer_records). push_pull and reconnect: digest, then maybe a summary
  // back and a delta round (reconcile). delta: the second round.
  enum class StreamPurpose : std::uint8_t { join, push_pull, delta, reconnect };
  struct PendingStream {
    StreamPurpose purpose;
    NodeId peer;  // zero when joining through a seed address
    std::string address;
  };
  // Where a claim came from: anti-entropy news is not gossiped again (see spread()).
  enum class ClaimSource : std::uint8_t { gossip, anti_entropy };
  // What accepting a claim did.
  enum class ClaimOutcome : std::uint8_t {
    rejected,          // bad signature, or its kind does not match the message's
    applied,           // verified and applied (perhaps changing nothing)
    stale_accusation,  // it accuses us at an incarnation we already refuted
  };
  // Messages of one datagram, before piggybacked gossip.
  using Messages = std::initializer_list<std::pair<wire::MessageKind, ByteView>>;
  // Who a datagram goes to when it may not be in the table.
  struct Recipient {
    const NodeId& id;
    const std::string& address;
    bool knows_us;  // it has authenticated to us, so our compact name suffices
  };
  struct SendOptions {
    bool piggyback = true;   // fill the rest with queued gossip (and a suspect's own suspicion)
    bool introduce = false;  // name us in full with our alive claim, for a receiver that may not know us
  };
  struct Sent {
    std::uint64_t seq = 0;           // the sequence number used (0: nobody to send to)
    std::size_t gossip_claims = 0;   // queued claims it carried
  };

  // --- node_core.cpp ---
  /// A retired key's record (rotation.cpp): kept for push-pull, hidden from snapshots.
  [[nodiscard]] bool retired_record(const swim::Member& m) const {
    return m.state == MemberState::left && admission_.retired(m.id());
  }
  /// In ca mode: certificate decodes, admits key, and comes from a trusted CA.
  [[nodiscard]] Result<void> check_own_certificate(const Bytes& certificate, const NodeId& key) const;
  /// How our envelopes are protected (Config::encrypt).
  [[nodiscard]] crypto::Protection protection() const {
    return config_.encrypt ? crypto::Protection::aead : crypto::Protection::mac;
  }
  /// Our nonces when we encrypt, else null (seal_envelope then only authenticates).
  crypto::NonceSequence* nonces() { return nonces_ ? &*nonces_ : nullptr; }
  void schedule(Duration after, Time now, swim::TimerPayload what);
  void on_timer(const swim::Timer& timer, Time now);
  void start_periodic_timers(Time now);
  void reap(Time now);
  [[nodiscard]] std::size_t live_members() const;
  /// The X25519 key peer signed in the alive claim we hold of it (PeerKeys asks).
  [[nodiscard]] std::optional<X25519PublicKey> announced_key(const NodeId& peer) const;
  /// Picks up to count distinct random members in alive or suspect state, excluding self and `except`.
  std::vector<std::uint32_t> random_members(std::size_t count, const NodeId* except);
  [[nodiscard]] const std::string& address_of(std::uint32_t index) const;
  [[nodiscard]] bool probeable(std::uint32_t index) const;

  // --- send.cpp ---
  /// Builds, piggybacks, seals and queues one datagram to the member at index.
  Sent send_datagram(std::uint32_t index, Messages messages, SendOptions options);
  /// The same with the default options (piggybacked, not introducing us).
  Sent send_datagram(std::uint32_t index, Messages messages);
  /// Same, to a peer that may not be in the table.
  Sent send_datagram_to(const Recipient& to, Messages messages, SendOptions options);
  void gossip(Time now);
  [[nodiscard]] int retransmit_limit() const;
  /// The limit for first announcements: by the storm's peak backlog (send.cpp).
  [[nodiscard]] int announcement_limit() const;
  /// Queues a claim for gossip, counting what a full queue drops.
  void enqueue_gossip(const swim::ClaimRef& claim);
  /// An announcement that changed nothing arrived by gossip: if we are still spreading
  /// it, that copy counts as one of our sends (DisseminationQueue::heard).
  void heard_again(const swim::ClaimRef& claim, ClaimSource source);
  void emit(MembershipEvent::Kind kind, std::uint32_t index, Time now,
            std::optional<FailureEvidence> evidence = std::nullopt);

  // --- receive.cpp ---
  /// Resolves a sender name to its id and session; session is null if unknown.
  swim::PeerSession* session_for(const wire::SenderName& sender, NodeId& id);
  /// Acks a ping (with our alive claim if the datagram accused us stale); false if the
  /// sender is no member we answer.
  bool answer_ping(const NodeId& sender, std::uint64_t seq, bool stale_accusation);
  ClaimOutcome handle_message(const wire::MessageView& message, bool fresh, const NodeId& sender, std::uint64_t seq,
                              std::string_view from, Time now);

  // --- membership.cpp ---
  /// Verifies, interns and applies a signed claim body.
  /// `via`: the member whose datagram carried it, if known.
  ClaimOutcome accept_claim(ByteView body, wire::MessageKind kind, Time now, ClaimSource source,
                            const NodeId* via = nullptr);
  ClaimOutcome apply(const swim::ClaimRef& claim, Time now, ClaimSource source, const NodeId* via = nullptr);
  /// True if claim accuses another member and its author is over its accuser budget:
  /// the claim is then dropped (not applied, not relayed) and counted.
  bool drop_accusation(const swim::ClaimRef& claim, Time now, const NodeId* via);
  /// Another member's (non-degraded) dead claim about a member we hold alive or suspect:
  /// taken only with our own evidence or kVerdictQuorum distinct signers; otherwise it
  /// raises (or confirms) a suspicion in its author's name.
  void weigh_verdict(const swim::ClaimRef& claim, std::uint32_t index, Time now, ClaimSource source);
  /// Subject refuted the suspicion we held of it: every signer of it pays (AccuserBudget).
  void charge_refuted_accusers(const NodeId& subject, Time now);
  /// Queues a claim for gossip, unless it was learned by anti-entropy.
  void spread(const swim::ClaimRef& claim, ClaimSource source);
  void apply_alive(const swim::ClaimRef& claim, Time now, ClaimSource source);
  /// The member at index just refuted a suspicion others confirmed, or a verdict: true
  /// if that was one flap too many and it is now failed and held down (FlapDamper).
  bool hold_down_if_flapping(std::uint32_t index, Time now);
  /// A held-down member passed probation: alive again.
  void readmit(std::uint32_t index, Time now);
  void add_member(const swim::ClaimRef& claim, Time now, ClaimSource source);
  /// True if claim accuses us at an incarnation we already refuted (or while leaving).
  [[nodiscard]] bool is_stale_accusation(const swim::ClaimRef& claim) const;
  /// The member a suspect or dead claim may act on: none if the claim is stale, the
  /// member unknown or already dead/left, or the claim is about us (then we refute).
  std::optional<std::uint32_t> accused_member(const swim::ClaimRef& claim, Time now);
  void apply_dead(const swim::ClaimRef& claim, Time now, ClaimSource source, std::optional<FailureEvidence> evidence);
  void apply_leave(const swim::ClaimRef& claim, Time now, ClaimSource source);
  /// The member at index is left from now on, justified by why (a leave, force-leave or
  /// rotation claim): its suspicion, hold-down, accuser and link records go.
  void hold_as_left(std::uint32_t index, const swim::ClaimRef& why, Time now);
  // --- force_leave.cpp ---
  /// An operator's force-leave of a member we hold failed: it becomes left here too.
  void apply_retire(const swim::ClaimRef& claim, Time now, ClaimSource source);
  void refute(std::uint64_t accused_incarnation, const NodeId& accuser, Time now);
  void sign_own_alive();
  swim::ClaimRef sign(const wire::Claim& claim);

  // --- admission_checks.cpp ---
  /// Counts one refusal by its reason (NodeStats::admission_refused_*).
  void count_refusal(AdmissionRefusal why);
  /// The admission decision on a verified claim: an alive claim by its key and
  /// certificate, any other by its author (in ca mode, a member we hold). A refused
  /// claim is counted, its key remembered, and it is neither applied nor gossiped.
  bool admitted(const swim::ClaimRef& claim, Time now);
  /// A trusted CA's revocation: remember the key, remove its member, gossip it always
  /// (even when learned by anti-entropy: a revocation must reach everyone).
  ClaimOutcome apply_revocation_claim(const swim::ClaimRef& claim, Time now);
  /// Removes the member at index for good: failed (if it was not already) with
  /// evidence.removed_for = why, its key refused; status (a revocation) justifies the
  /// state in push-pull records, so joiners learn it too.
  void remove_not_admitted(std::uint32_t index, AdmissionRefusal why, const NodeId& by, const swim::ClaimRef& status,
                           Time now);
  /// Removes members no longer admitted: certificates expired by now, keys off a
  /// replaced allow-list or of a CA no longer trusted (reap() runs it every interval).
  void sweep_admission(Time now);

  // --- rotation.cpp ---
  /// How long after our rotation a datagram to a member that does not know our new key
  /// carries the rotation claim first, so it meets the new key as ours, not a stranger.
  static constexpr Duration kRotationIntroduction = std::chrono::seconds(120);
  /// Whether we may move to key next with certificate (required in ca mode).
  [[nodiscard]] Result<void> check_rotation_target(const NodeId& next, const Bytes& certificate) const;
  /// The record of a retired key: left, justified by its rotation claim, until reaped.
  void add_retired_record(const swim::ClaimRef& old_alive, const swim::ClaimRef& rotation, Time now);
  /// The successor's alive claim inside a stored rotation (verified with it).
  Result<swim::ClaimRef> successor_of(const swim::ClaimRef& rotation);
  /// Another member's rotation: retire its old key, take in the successor. old_alive:
  /// the old key's alive claim when a push-pull record brought it (else null).
  ClaimOutcome apply_rotation(const swim::ClaimRef& claim, Time now, ClaimSource source,
                              const swim::ClaimRef& old_alive = nullptr);
  /// Moves the member from the old key's record to the successor's, with a rotated
  /// event (joined if we never knew the old key).
  void move_member(const swim::ClaimRef& claim, const swim::ClaimRef& successor, const swim::ClaimRef& old_alive,
                   Time now);

  // --- degraded.cpp ---
  /// A probe ended: records how many direct pings the target answered (LinkQuality);
  /// settles a trial or probation check; holds the target down if it answers too little.
  void judge_link(const Probe& probe, Time now);
  /// Another member's hold-down verdict (a degraded dead claim) about a member we hold
  /// alive or suspect: spread it, and check the member ourselves before agreeing.
  void on_hold_down_verdict(const swim::ClaimRef& claim, Time now, ClaimSource source);
  /// Declares the member at index failed with a hold-down verdict of ours and holds it
  /// down; `announce`: gossip the verdict (the prober that found it), else keep it local
  /// (a receiver that agreed after its own check: the verdict is already spreading).
  void hold_down_degraded(std::uint32_t index, Time now, bool announce);

  // --- suspect.cpp ---
  void apply_suspect(const swim::ClaimRef& claim, Time now, ClaimSource source);
  /// Puts the member at index under a new suspicion raised by claim's author (a suspect
  /// claim, or a dead claim we do not take as a verdict yet), and spreads claim.
  void raise_suspicion(const swim::ClaimRef& claim, std::uint32_t index, Time now, ClaimSource source);
  /// Our own probe of the member at index failed (with nacks nacks): sign and apply our
  /// suspicion of it, or confirm the one it is under. The only way we accuse anyone.
  void suspect_member(std::uint32_t index, Time now, int nacks);
  /// Arms (or re-arms) the timer of subject's suspicion at its deadline.
  void arm_suspicion_timer(const NodeId& subject, swim::Suspicion& suspicion);
  void on_suspicion_timer(const swim::SuspicionTimeout& timer, Time now);
  /// Signs and applies our dead verdict on a suspect, with the evidence we hold.
  void declare_dead(const NodeId& subject, Time now);
  void clear_suspicion(const NodeId& subject);

  // --- probe.cpp ---
  /// Starts the next probe of a lane.
  void start_probe(std::uint8_t lane, Time now);
  /// This lane's time between probes, stretched by local health.
  [[nodiscard]] Duration lane_interval(std::uint8_t lane) const;
  /// The probe in flight with this generation, if any.
  Probe* probe_with(std::uint64_t generation);
  /// Ends every probe (leaving).
  void stop_probing();
  /// Lifeguard's local health update at the end of a probe.
  void update_health(const Probe& probe);
  void on_probe_resend(std::uint64_t generation);
  void on_probe_indirect(std::uint64_t generation);
  void on_probe_end(std::uint64_t generation, Time now);
  void on_ack(std::uint64_t seq);
  void on_nack(std::uint64_t seq);
  /// Sends a ping to the member at index; returns its sequence number.
  std::uint64_t send_ping_to(std::uint32_t index, bool introduce);
  void send_ping(Probe& probe, std::uint32_t index, bool introduce);
  /// One round of a trial of the member at index: a ping to it and one to the round's
  /// control.
  void send_trial_round(Probe& probe, std::uint32_t index);

  // --- relay.cpp ---
  void on_ping_req(const wire::PingReq& req, const NodeId& requester, std::uint64_t requester_seq,
                   std::string_view from, Time now);
  /// Pings the relay target (in the table or not) and returns the sequence number used.
  std::uint64_t ping_relay_target(const NodeId& target, const std::string& address, bool introduce);
  /// Forwards the target's ack to the requester; false if seq is no relay ping of ours.
  bool forward_relay_ack(std::uint64_t seq);
  void on_relay_resend(std::uint64_t first_seq);
  void on_relay_timeout(std::uint64_t first_seq);

  // --- push_pull.cpp ---
  /// Opens a stream carrying request (plus our digest, and our own record when joining).
  void start_stream(StreamPurpose purpose, const NodeId& peer, const std::string& address, Time now,
                    wire::PushPullView request = {});
  /// The summary entry for the member at index.
  [[nodiscard]] wire::SummaryEntry summary_of(std::uint32_t index) const;
  /// Appends the member's record (alive claim, plus the claim behind a non-alive state;
  /// left out if that claim is missing).
  void add_record(wire::PushPullView& state, std::uint32_t index) const;
  /// The reply to a push-pull request: a bounded sample for a joiner (add_join_answer),
  /// the records asked for, or our summary when the digests differ.
  Bytes answer_push_pull(const wire::PushPullView& theirs, const NodeId& sender);
  /// Encodes, frames and authenticates a push-pull message; empty if over max_stream_bytes.
  Bytes seal_state(wire::MessageKind kind, const wire::PushPullView& state, const NodeId& peer, bool with_tag);
  /// From the peer's summary: sends it the records it lacks and asks for those we lack.
  void reconcile(const wire::PushPullView& theirs, const NodeId& peer, const std::string& address, Time now);
  /// XOR of a hash of (id, incarnation, status) over every member: order-free, so
  /// two tables with the same content have the same digest.
  [[nodiscard]] wire::StateDigest state_digest() const;
  /// Authenticates and decodes one stream message of kind `expected`; expected_peer
  /// (unless null or zero) must be its sender. Errors: those of open_envelope,
  /// bad_field_type (not one message of that kind), wrong_peer, and the push-pull decoder's.
  /// env holds what the view points into when the message was encrypted: keep it while
  /// the view is used.
  Result<wire::PushPullView> open_stream_message(ByteView bytes, wire::MessageKind expected,
                                                 const NodeId* expected_peer, NodeId& sender, wire::EnvelopeView& env);
  void merge_state(const wire::PushPullView& state, Time now);
  void on_push_pull(const swim::PushPullRound& round, Time now);
  void on_stream_timeout(std::uint64_t stream_id, Time now);

  // --- join.cpp ---
  void try_join(Time now);
  void on_join_retry(Time now);
  /// A seed answered our join: we are a member; start probing and the early exchanges,
  /// and exchange at once with another member if the answer was not the seed's whole
  /// table (our digest differs from seed_digest).
  void complete_join(const NodeId& seed, const wire::StateDigest& seed_digest, Time now);
  /// A seed's answer to joiner: our whole table if it has at most join_answer_records
  /// members, else our own record, the joiner's as we hold it and a random sample of
  /// live members, join_answer_records in all.
  void add_join_answer(wire::PushPullView& reply, const NodeId& joiner);
  void on_reconnect(Time now);
  /// A second round brought `brought` records we lacked or held older: ask another
  /// member again soon while our table is far behind or we joined lately.
  void catch_up(std::size_t brought, Time now);

  // --- majority_mode.cpp ---
  // What we know of one peer in majority mode.
  struct PeerReach {
    Time last_heard{0};              // last authentic datagram from it
    majority::ReachabilityView view; // its latest view
    bool have_view = false;          // view was received (else it votes "reachable")
    Time view_asked{0};              // when we last asked for its view
    bool live = false;               // alive or suspect at the last refresh
    bool was_live = false;           // the same, one refresh earlier
    Time last_heartbeat{0};          // its last heartbeat, for the loss estimate
    Time verdict_told{0};            // when we last sent it our verdict on it (tell_of_verdict)
    Time revived_at{0};              // when it became live here (new, or back from dead or left)
    Time view_at{0};                 // when its view arrived
  };
  [[nodiscard]] bool majority_active() const;
  /// Silence after which a peer is unreachable in our view: stall_tolerance + silence_margin.
  [[nodiscard]] Duration silence_limit() const;
  void note_heard(const NodeId& sender, Time now);
  /// Counts a heartbeat, and the ones its gap shows were lost, for silence_limit().
  void count_heartbeat(PeerReach& reach, Time now);
  /// Live members other than us, in table order.
  [[nodiscard]] std::vector<std::uint32_t> heartbeat_peers() const;
  void on_heartbeat_timer(Time scheduled, Time now);
  /// Tracks who is live now; a member new or back from dead starts with a fresh silence.
  void refresh_reach(const std::vector<std::uint32_t>& peers, Time now);
  /// Marks silent peers unreachable in our view; sends it to everyone if it changed.
  void update_own_view(const std::vector<std::uint32_t>& peers, Time now);
  void send_heartbeat(std::uint32_t index, bool wants_view);
  void send_reach_view(std::uint32_t index);
  void on_heartbeat(const wire::Heartbeat& heartbeat, const NodeId& sender, Time now);
  void on_reach_view(const wire::ReachView& view, const NodeId& sender, Time now);
  /// Declares failed every live member a majority of live members' views report unreachable.
  void tally_majority(Time now);
  void declare_majority_dead(const NodeId& subject, Time now);
  /// Majority mode: sends a claim that is news to us to every live member at once.
  void broadcast_claim(const swim::ClaimRef& claim);
  /// Majority mode: sends our own new alive claim (a refutation, an update) to every
  /// member we know that may hear it, the failed ones included.
  void broadcast_own_alive(const swim::ClaimRef& own);
  /// True if the member at index is failed but may be back (not held down, retired or
  /// refused admission): worth a heartbeat, and worth telling of its verdict.
  [[nodiscard]] bool may_come_back(std::uint32_t index) const;
  /// Majority mode: one heartbeat per interval to a failed member that may be back, in
  /// id order, so a healed partition is noticed within an interval or so.
  void heartbeat_failed_member(Time now);
  /// Majority mode: a member we hold failed heartbeats us: send it our verdict, at most
  /// once per half interval, so it refutes to everyone at once.
  void tell_of_verdict(std::uint32_t index, Time now);

  // --- mode_switch.cpp ---
  /// True if no live member has a lower id than ours: we make the mode decisions.
  [[nodiscard]] bool coordinates_modes() const;
  void on_mode_round(Time now);
  void send_mode_decision(std::uint32_t index);
  void on_mode_decision(ByteView body, const NodeId& sender, Time now);
  /// True if decision replaces the one in force (higher epoch; same epoch, lower author).
  [[nodiscard]] bool supersedes(const wire::ModeDecision& decision) const;
  void apply_mode_decision(const wire::ModeDecision& decision, Bytes body, Time now);
  /// A heartbeat showed another epoch: send our decision, or show ours to get theirs.
  void sync_mode_epoch(std::uint64_t their_epoch, std::uint32_t index, Time now);

  Identity identity_;
  Config config_;
  wire::DecodeLimits limits_;
  Rng rng_;
  std::shared_ptr<swim::ClaimCache> cache_;
  std::shared_ptr<crypto::PairKeySource> pair_keys_;
  swim::MemberTable table_;
  swim::PeerKeys keys_;
  X25519PublicKey agreement_key_;  // ours, signed in our alive claims
  swim::Awareness awareness_;
  swim::DisseminationQueue queue_;
  swim::TimerQueue timers_;
  swim::FlapDamper damper_;
  swim::LinkQuality link_;
  swim::AccuserBudget accusers_;
  swim::Admission admission_;

  Phase phase_ = Phase::idle;
  Time joined_at_{};  // when a seed answered our join (complete_join)
  std::uint64_t incarnation_ = 1;
  PeerInfo local_info_;
  std::string swim_address_;
  std::uint64_t next_seq_ = 1;

  swim::ProbeScheduler probe_order_;
  std::array<std::optional<Probe>, kLanes> probes_;
  std::array<std::uint64_t, kLanes> lane_generation_{};  // the generation each lane runs
  std::uint64_t next_probe_generation_ = 0;
  std::unordered_map<std::uint64_t, Relay> relays_;               // by our first ping's seq
  std::unordered_map<std::uint64_t, std::uint64_t> relay_pings_;  // any relay ping seq -> first seq

  std::map<NodeId, swim::Suspicion> suspicions_;
  std::uint64_t next_suspicion_generation_ = 1;
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

  wire::DatagramBuilder builder_;
  wire::EnvelopeView envelope_;
  std::optional<crypto::NonceSequence> nonces_;  // set exactly when config_.encrypt
  swim::ClaimRef own_rotation_;  // our latest rotation, sent first to members that do not know our key
  Time own_rotation_until_{0};

  majority::Mode mode_ = majority::Mode::swim;
  std::uint64_t mode_epoch_ = 0;
  Time mode_switched_at_{0};
  Bytes decision_body_;      // the signed decision in force (empty: none yet)
  NodeId decision_author_;
  int decision_resends_ = 0;  // rounds left in which we resend our own decision
  std::map<NodeId, Time> decision_replied_;  // when each member was last sent our decision
  std::map<NodeId, PeerReach> reach_;  // majority mode: each peer's silence and view, by id
  majority::ReachabilityView own_view_;
  bool own_view_changed_ = false;
  std::uint64_t heartbeat_cursor_ = 0;  // id prefix of the last peer heartbeated
  std::uint64_t failed_cursor_ = 0;     // id prefix of the last failed member heartbeated
  Time failed_heartbeat_at_{0};         // when we last heartbeated a failed member
  Time stalled_until_{0};               // no verdicts of ours before this (we were stalled)
  double heartbeats_heard_ = 0, heartbeats_missed_ = 0;  // our inbound heartbeat loss, estimated
  std::map<NodeId, std::vector<NodeId>> majority_reporters_;  // evidence for the next verdict

  // --- name_conflicts.cpp ---
  majority::NameOwnership names_;  // contested names: owners and losers, as last settled
  bool names_dirty_ = false;       // a claim, a member's state or a view changed since
};

}  // namespace swell
