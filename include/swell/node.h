// Node: one member's SWIM + Lifeguard protocol state machine. It owns no socket,
// clock, thread or global RNG: the driver (lib/runtime or sim/) feeds it inputs with
// the current time, then drains what it wants sent and re-arms one timer.
//
//   auto node = swell::Node::create(std::move(identity), swell::Config::lan(), info,
//                                   "10.0.0.5:7946", swell::Rng(seed), now);
//   node.value().join({"10.0.0.1:7946"}, now);
//   for (;;) {
//     for (auto& d : node.value().drain_datagrams()) udp_send(d.address, d.bytes);
//     for (auto& s : node.value().drain_streams()) tcp_request(s);
//     for (auto& e : node.value().drain_events()) app.on_event(e);
//     wait_until(node.value().next_tick());  // or a datagram arrives: receive(...)
//     node.value().tick(now);
//   }
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "swell/bytes.h"
#include "swell/config.h"
#include "swell/events.h"
#include "swell/identity.h"
#include "swell/peer_info.h"
#include "swell/result.h"
#include "swell/rng.h"
#include "swell/time.h"

namespace swell {

/// A datagram the driver must send.
struct OutgoingDatagram {
  NodeId to;            ///< The member it is for (zero for a seed not yet known).
  std::string address;  ///< host:port to send to.
  Bytes bytes;          ///< Exactly what to put on the wire.
};

/// A request/response exchange the driver must run over a stream (TCP): send bytes,
/// then hand the peer's reply to stream_response(), or call stream_failed().
struct StreamRequest {
  std::uint64_t stream_id = 0;  ///< Names the exchange in stream_response/stream_failed.
  NodeId to;                    ///< The member it is for (zero for a seed).
  std::string address;          ///< host:port to connect to.
  Bytes bytes;                  ///< The request message.
};

/// Counters of what the node did and dropped; never reset.
struct NodeStats {
  std::uint64_t datagrams_sent = 0;        ///< Datagrams handed to the driver.
  std::uint64_t datagram_bytes_sent = 0;   ///< Their bytes.
  std::uint64_t stream_bytes_sent = 0;     ///< Stream request and response bytes produced.
  std::uint64_t datagrams_received = 0;    ///< Datagrams passed to receive().
  std::uint64_t datagrams_dropped = 0;     ///< Of those, dropped whole; the dropped_* counters break it down.
  std::uint64_t dropped_bad_mac = 0;       ///< Authenticator did not verify.
  std::uint64_t dropped_malformed = 0;     ///< Did not decode (truncated, bad type, ...).
  std::uint64_t dropped_unknown_sender = 0;///< Sender not in the table.
  std::uint64_t dropped_replayed = 0;      ///< Sequence number already seen.
  std::uint64_t dropped_wrong_protection = 0;  ///< Encrypted while we do not encrypt, or the reverse
                                               ///< (Config::encrypt differs); stream messages included.
  std::uint64_t dropped_not_admitted = 0;  ///< Sender's key not admitted (Config::admission): refused
                                           ///< before, revoked, or not on the allow-list.
  std::uint64_t claims_rejected = 0;       ///< Claims with a bad signature or forged author.
  std::uint64_t messages_rejected = 0;     ///< Undecodable or misplaced messages inside accepted datagrams.
  std::uint64_t streams_rejected = 0;      ///< Stream requests that did not authenticate or decode, or were refused.
  std::uint64_t joins_refused = 0;         ///< Of those, join requests whose joiner's own claim did not verify
                                           ///< (a cluster with another label, or a forgery).
  std::uint64_t queue_drops = 0;           ///< Updates dropped from a full dissemination queue.
  std::uint64_t members_refused = 0;       ///< Joins refused because the table was full.
  std::uint64_t accusations_dropped = 0;   ///< Suspect and dead claims dropped (not applied, not relayed):
                                           ///< their author is over its accuser budget (AccuserBudget).
  std::uint64_t probes = 0;                ///< Probes started.
  std::uint64_t indirect_probes = 0;       ///< Probes that needed ping-req.
  std::uint64_t refutations = 0;           ///< Times we refuted a suspicion of ourselves.
  std::uint64_t suspicions = 0;            ///< Members this node began to suspect.
  std::uint64_t failed_verdicts = 0;       ///< Members this node declared or accepted as failed.
  // Admission (docs/security.md): every datagram, stream and claim refused, by reason.
  std::uint64_t admission_refused_not_listed = 0;      ///< Key not on the allow-list.
  std::uint64_t admission_refused_expired = 0;         ///< Certificate expired by our clock.
  std::uint64_t admission_refused_bad_certificate = 0; ///< No certificate, not its own, untrusted CA, bad signature.
  std::uint64_t admission_refused_revoked = 0;         ///< Key revoked by a trusted CA.
  std::uint64_t admission_refused_wrong_type = 0;      ///< Announced a node_type its certificate does not allow.
  std::uint64_t admission_refused_rotated = 0;         ///< Key retired by its owner's key rotation.
  std::uint64_t key_rotations = 0;         ///< Times this node moved to a new key (Node::rotate_key).
  std::uint64_t rotations_applied = 0;     ///< Other members' key rotations this node applied.
  std::uint64_t revocations_applied = 0;   ///< Distinct revocations by a trusted CA this node applied.
  std::uint64_t revocations_untrusted = 0; ///< Revocations dropped: signed by a key that is not a trusted CA.
  std::uint64_t members_removed = 0;       ///< Members removed because no longer admitted (revoked, expired, unlisted).
  std::uint64_t mode_switches = 0;         ///< Mode decisions that changed this node's failure detector.
};

class NodeCore;
namespace swim {
struct NodeFactory;
}

/// One member's protocol state machine.
class Node {
 public:
  /// Builds a node that is not yet joined. info.owner and info.version are set by the
  /// node (its own id, incarnation 1). Errors: invalid_config (the field named),
  /// invalid_argument (swim_address is not host:port), invalid_peer_info.
  static Result<Node> create(Identity identity, const Config& config, PeerInfo info, std::string swim_address,
                             Rng rng, Time now);

  /// Starts joining through seeds (host:port; our own address is skipped, and none
  /// left makes a cluster of one); retries with back-off until one answers. Called
  /// again, it adds seeds to try (while joining) or exchanges tables with each at once
  /// (once joined: how an operator merges two clusters). Errors: wrong_state (after
  /// leave), invalid_argument (a seed address; no seed is used then).
  Result<void> join(const std::vector<std::string>& seeds, Time now);
  /// Announces a graceful leave; the node stops probing once it is sent. Calling it
  /// again is a no-op. Errors: wrong_state (before join).
  Result<void> leave(Time now);
  /// An operator's verdict on a failed member: hold it as left (no more reconnect
  /// attempts, forgotten after the reconnect window) here and, by a signed claim, at
  /// every member that also holds it failed. A member that comes back with a higher
  /// incarnation is let in as usual. Errors: wrong_state (not joined), unknown_member,
  /// invalid_argument (ourselves, or a member not failed in this view: only a failed
  /// member can be force-left). Force-leaving a member already left is a no-op.
  Result<void> force_leave(const NodeId& member, Time now);
  /// Announces new PeerInfo with a higher incarnation, signed by this node.
  /// Errors: wrong_state (after leave), invalid_peer_info, invalid_argument
  /// (the incarnation limit, 2^62, is reached: use a new identity).
  Result<void> set_local_info(PeerInfo info, Time now);

  /// Applies a CA-signed revocation (the signed claim body `swell-agent ca revoke`
  /// writes): the key is removed here, refused from now on, and the revocation gossiped
  /// to every member. Errors: wrong_state (before join), the claim decoder's,
  /// bad_signature, invalid_argument (not a revocation, or its CA is not trusted here).
  Result<void> apply_revocation(ByteView signed_revocation, Time now);
  /// Replaces the allow-list (Config::admission.allowed); in allowlist mode members no
  /// longer listed are removed at once (a failed event, evidence.removed_for = not_listed).
  void set_allowlist(std::vector<NodeId> keys, Time now);
  /// Replaces the trusted CA keys (a CA rotation: add the new CA, re-issue, drop the
  /// old); in ca mode members whose certificate no CA trusts any more are removed.
  /// Errors: invalid_argument (empty in ca mode, or our own certificate's CA missing).
  Result<void> set_trusted_cas(std::vector<NodeId> keys, Time now);
  /// Moves this member to a new key (docs/security.md, "Key rotation"): a claim signed
  /// by the old key, with the new key's consent, makes every member hold it under the
  /// new key (a rotated event, no failed one) and refuse the old key from then on.
  /// certificate: the new key's (required in ca mode). Errors: wrong_state (not joined),
  /// invalid_argument (the same key, a member's key, a key not admitted here, a
  /// certificate for another key or from an untrusted CA).
  Result<void> rotate_key(Identity next, Bytes certificate, Time now);
  /// Keys revoked by a trusted CA that this node remembers, oldest first.
  [[nodiscard]] std::vector<NodeId> revoked_keys() const;

  /// Feeds one datagram received from `from`; a bad one is dropped, counted in stats()
  /// and returned as an error, and the node's state is unchanged. Errors: wrong_state
  /// (before join), the decoder's (truncated, unknown_version, unknown_kind,
  /// bad_field_type, oversized, malformed), unknown_sender, bad_mac, replayed. A claim
  /// with a bad signature inside an authentic datagram is dropped alone and counted
  /// (claims_rejected); the call still succeeds.
  Result<void> receive(std::string_view from, ByteView datagram, Time now);
  /// Answers a stream request from a peer; the reply bytes go back on the stream.
  /// Errors: wrong_state (before join), those of receive() for the envelope,
  /// bad_field_type (not one push-pull request), oversized (our reply would exceed
  /// max_stream_bytes).
  Result<Bytes> handle_stream(std::string_view from, ByteView request, Time now);
  /// The peer's reply to one of our stream requests. Errors: invalid_argument (no such
  /// request is pending), wrong_peer (answered by another member than the one asked),
  /// and those of handle_stream for the envelope; a failed join reply retries the seeds.
  Result<void> stream_response(std::uint64_t stream_id, ByteView response, Time now);
  /// One of our stream requests failed (connect refused, timeout, reset); unknown ids
  /// are ignored.
  void stream_failed(std::uint64_t stream_id, Time now);

  /// Runs every deadline that is <= now.
  void tick(Time now);
  /// Earliest time tick() has work to do; kNever when idle.
  [[nodiscard]] Time next_tick() const;

  /// Hands over queued datagrams in send order and empties the queue.
  [[nodiscard]] std::vector<OutgoingDatagram> drain_datagrams();
  /// Hands over queued stream requests.
  [[nodiscard]] std::vector<StreamRequest> drain_streams();
  /// Hands over queued membership events in the order they happened.
  [[nodiscard]] std::vector<MembershipEvent> drain_events();

  /// This node's id.
  [[nodiscard]] const NodeId& id() const;
  /// Every member this node knows (itself included), sorted by id.
  [[nodiscard]] std::vector<MemberSnapshot> members() const;
  /// Number of members in each state, cheaper than members().
  [[nodiscard]] std::size_t count(MemberState state) const;
  /// One member's state, if known.
  [[nodiscard]] std::optional<MemberSnapshot> member(const NodeId& id) const;
  /// Counters.
  [[nodiscard]] const NodeStats& stats() const;
  /// Lifeguard local health score: 0 healthy .. awareness_max_multiplier - 1.
  [[nodiscard]] int local_health() const;
  /// Updates still queued for gossip from this node; 0 once everything it learned has
  /// been retransmitted its full share (the cluster is quiet).
  [[nodiscard]] std::size_t pending_updates() const;
  /// The failure detector running now: ClusterMode::swim or ClusterMode::majority (never
  /// automatic; under automatic it is the mode the selector chose).
  [[nodiscard]] ClusterMode mode() const;
  /// The epoch of the mode decision in force (0: the configured starting mode).
  [[nodiscard]] std::uint64_t mode_epoch() const;

  Node(Node&&) noexcept;
  Node& operator=(Node&&) noexcept;
  ~Node();

 private:
  friend struct swim::NodeFactory;  // the simulator's nodes share caches (lib/swim/shared_caches.h)
  explicit Node(std::unique_ptr<NodeCore> core);
  std::unique_ptr<NodeCore> core_;
};

}  // namespace swell
