// Config: every tunable of the protocol core, with documented defaults and presets.
//
//   swell::Config config = swell::Config::lan();
//   config.stall_tolerance = std::chrono::seconds(5);   // backends that stall longer
//   if (auto ok = config.validate(); !ok.ok()) std::cerr << ok.error().message;
//
// Values that depend on the cluster size (retransmit limit, suspicion timeout,
// push-pull interval) are computed from the live member count, as memberlist does,
// so one Config serves a cluster as it grows and shrinks.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "swell/admission.h"
#include "swell/peer_info.h"
#include "swell/result.h"
#include "swell/time.h"

namespace swell {

/// Whom each probe period goes to (docs/protocol.md, "Probing").
enum class ProbeOrder : std::uint8_t {
  ring,         ///< This node's ring successor every period: every member is checked every period.
  round_robin,  ///< SWIM's shuffled round-robin over all members.
};

/// Which failure detector a node runs (docs/majority.md). Identity, claims, PeerInfo
/// and the member table are the same in every mode; only how failures are found differs.
enum class ClusterMode : std::uint8_t {
  swim = 0,       ///< SWIM + Lifeguard probing, always.
  majority = 1,   ///< Heartbeats to every member, verdicts by majority of views, always.
  automatic = 2,  ///< Majority below swim_at_members live members, SWIM from there, back at majority_at_members.
};

/// "swim", "majority" or "auto".
const char* to_string(ClusterMode mode);

/// Protocol tunables; docs/protocol.md explains each default and its trade-off.
struct Config {
  // --- probing (SWIM) ---
  /// Time between probes; must be > probe_timeout. Each costs a ping and an ack
  /// (~66 bytes), so it sets most of the steady traffic.
  Duration probe_interval = std::chrono::milliseconds(1000);
  /// Wait for a direct ack before asking others to probe indirectly; must be > 0.
  Duration probe_timeout = std::chrono::milliseconds(500);
  /// Whom each probe goes to: the ring successor (every member checked every period,
  /// the default) or SWIM's shuffled round-robin.
  ProbeOrder probe_order = ProbeOrder::ring;
  /// With the ring order, one more probe every this many probe intervals goes to the
  /// next member of a shuffled round-robin, so every member is also checked by random
  /// others and both sides of a partition see it within seconds; 0 disables. 0..64.
  int round_robin_every = 4;
  /// Direct pings per probe: the first, then resends spaced evenly within probe_timeout
  /// if no ack came; a lost datagram then costs a resend, not a suspicion. 1..5.
  int ping_attempts = 4;
  /// Members asked to probe indirectly (ping-req) when the direct probe fails; 0..16.
  int indirect_checks = 5;

  // --- suspicion (Lifeguard) ---
  /// A member silent for less than this (a paused process or VM, a long GC, a driver
  /// call) is never declared failed: the suspicion timeout never drops below
  /// stall_tolerance - probe_interval / 2, and the verdict needs a probe of our own that
  /// failed within the last probe interval. Detection takes about this long plus a
  /// probe interval. 0..10 min.
  Duration stall_tolerance = std::chrono::seconds(3);
  /// Minimum suspicion timeout = max(suspicion_mult * log10(max(n, 10)) * probe_interval,
  /// the stall_tolerance floor); > 0.
  double suspicion_mult = 1.0;
  /// Maximum suspicion timeout = suspicion_max_mult * minimum; with no confirmations
  /// the timeout starts here and shrinks as distinct members confirm. >= 1.
  double suspicion_max_mult = 2.0;
  /// Confirmations by distinct members that shrink the timeout to the minimum; 0..16.
  int suspicion_confirmations = 3;
  /// Local health (Lifeguard LHM) scales timeouts up to this multiple; 1..16.
  int awareness_max_multiplier = 8;
  /// Lifeguard, each part switchable (for experiments; all on by default):
  /// local health stretches our own timeouts when we are the slow one,
  bool lifeguard_local_health = true;
  /// the suspicion timeout starts long and shrinks with independent confirmations
  /// (off: always the minimum),
  bool lifeguard_dynamic_suspicion = true;
  /// and a suspect hears of its suspicion on every ping sent to it (buddy system).
  bool lifeguard_buddy = true;
  /// A member whose suspicions, confirmed by others, it refuted this many times within
  /// flap_window is declared failed and held down (it stays degraded: answering late,
  /// losing what it sends); 0 never holds one down. 0..100.
  int flap_limit = 3;
  /// The window flaps are counted in; > 0.
  Duration flap_window = std::chrono::seconds(120);
  /// How long a held-down member's refutations are ignored before probation; then it is
  /// pinged directly every four probe intervals and let back after probation_passes
  /// probes in a row it answered within the probe interval.
  Duration flap_hold = std::chrono::seconds(20);
  /// Answered probation probes in a row that let a held-down member back; 1..16.
  int probation_passes = 3;
  /// A member that answers fewer than this fraction of our direct pings, against the
  /// fraction our other members answer (the ring successor is pinged every period, so
  /// its prober has the samples), is declared failed and held down with a hold-down
  /// verdict; each receiver checks the member with its own pings before agreeing.
  /// Catches members that lose most of what they send yet still refute (Rapid's
  /// egress-loss case). 0 turns it off; 0..0.9.
  double degraded_ratio = 0.5;

  // --- majority mode (docs/majority.md) ---
  /// The failure detector. swim (the default) keeps every existing behaviour; the
  /// simulator defaults to automatic.
  ClusterMode mode = ClusterMode::swim;
  /// Majority mode: each member heartbeats every other member once per this interval,
  /// spread evenly over it (one peer per interval / (n - 1)). At 20 members and ~40-byte
  /// heartbeats, 800 ms costs ~950 B/node/s; > 0.
  Duration heartbeat_interval = std::chrono::milliseconds(800);
  /// Majority mode: a peer silent for stall_tolerance + this (+ the measured loss's
  /// share, docs/majority.md) is reported unreachable in our view. It covers the median
  /// observer's place in the heartbeat rotation (half an interval) and jitter, so a pause
  /// of stall_tolerance never gets a majority of views to agree; >= 0.
  Duration silence_margin = std::chrono::milliseconds(500);
  /// Majority mode: reach failed members that may be back (docs/majority.md, "After a
  /// partition"): our own new alive claim goes to them too, one of them is heartbeated
  /// per interval, and one that heartbeats us is told our verdict. Off only to measure
  /// a heal without it.
  bool heal_contact = true;
  /// Automatic mode: into SWIM when the live count reaches this; >= 3.
  std::size_t swim_at_members = 25;
  /// Automatic mode: back to majority when the live count falls to this; < swim_at_members.
  std::size_t majority_at_members = 20;

  // --- dissemination ---
  /// Each update is sent retransmit_mult * ceil(log10(n + 1)) times; 1..16.
  int retransmit_mult = 4;
  /// Time between gossip rounds (only when there is something to send); > 0.
  Duration gossip_interval = std::chrono::milliseconds(200);
  /// Members each gossip round sends to; 1..16.
  int gossip_nodes = 3;
  /// Largest datagram built or accepted, authenticator included; 256..65507.
  std::size_t max_datagram_bytes = 1400;
  /// Updates the dissemination queue holds; the oldest most-sent are dropped first; >= 16.
  std::size_t max_queue_entries = 4096;

  // --- anti-entropy, join, leave ---
  /// Base push-pull interval, scaled up with log2 of the cluster size beyond 256; 0 disables.
  Duration push_pull_interval = std::chrono::seconds(30);
  /// A stream request unanswered this long counts as failed; > 0.
  Duration stream_timeout = std::chrono::seconds(5);
  /// First retry delay when no seed answers a join; doubles up to join_retry_max; > 0.
  Duration join_retry_initial = std::chrono::seconds(1);
  /// Longest delay between join retries; >= join_retry_initial.
  Duration join_retry_max = std::chrono::seconds(30);
  /// How long failed and left members are remembered (and retried after a partition); > 0.
  Duration reconnect_window = std::chrono::hours(6);
  /// How often one remembered failed member is tried with a push-pull, to heal partitions; > 0.
  Duration reconnect_interval = std::chrono::seconds(10);
  /// Records a seed's answer to a join holds at most: itself, the joiner as it holds it,
  /// and a random sample of live members (its whole table when that is no larger). The
  /// joiner fetches the rest with a summary-first exchange with one of them, so a storm
  /// of N joins through one seed costs it O(N) records of uplink, not O(N^2). 128 (about
  /// 20 KB) keeps a cluster of up to 128 exactly as with whole tables, and a larger one
  /// nearly so. 3..65536.
  std::size_t join_answer_records = 128;

  // --- bounds ---
  /// Members the table holds; joins beyond it are refused and counted; >= 2.
  std::size_t max_members = 65536;
  /// Largest push-pull message accepted; >= max_datagram_bytes.
  std::size_t max_stream_bytes = 16u << 20;
  /// Pairwise keys kept (each derivation costs an X25519, ~74 us); when full, the least
  /// recently used of a few sampled goes first; >= 16.
  std::size_t max_peer_keys = 4096;
  /// PeerInfo bounds (metadata default 512 bytes; at most max_datagram_bytes / 2, so an
  /// alive claim fits a datagram: 256-byte datagrams need metadata capped at 128).
  PeerInfoLimits peer_info;

  // --- isolation and confidentiality (docs/security.md) ---
  /// The cluster's name: bound into every pairwise key and every claim signature (never
  /// sent), so members of clusters with different labels cannot talk even when they
  /// share seeds or a network. "" is the unnamed cluster (what every version before
  /// labels spoke); otherwise 1..64 printable ASCII bytes. Every member must agree.
  std::string cluster_label;
  /// Encrypt every datagram and stream message (XChaCha20-Poly1305 under a pairwise key)
  /// instead of only authenticating it. Off by default: it adds 26 bytes to every
  /// datagram (a ping grows from 31 to 57) and the first user's membership is not
  /// secret; see docs/security.md for the measured cost. Every member must agree:
  /// members with different settings drop each other's traffic (counted).
  bool encrypt = false;
  /// Which keys may be members: open (the default, for compatibility), an allow-list,
  /// or certificates of a cluster CA; see swell/admission.h and docs/security.md.
  AdmissionConfig admission;

  /// LAN defaults (the fields' defaults).
  static Config lan();
  /// WAN: longer timeouts and intervals for high-latency links.
  static Config wan();
  /// Local (one host, tests): shorter intervals.
  static Config local();
  /// Checks every field's range; the error names the field and its limit.
  [[nodiscard]] Result<void> validate() const;
};

}  // namespace swell
