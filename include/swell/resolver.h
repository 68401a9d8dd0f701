// Resolver: majority rule over the PeerInfo views of a small cluster's peers.
//
// Each of P peers reports its view (a list of PeerInfo). For every node id the Resolver
// groups the reports by (address, metrics_port, node_type, is_load_balancer); a group
// reported by at least (P + 1) / 2 peers wins and its newest record is returned. When no
// group gets there, the newest report overall wins (a "tie-break"). docs/majority.md has
// the whole rule, where it differs from the first user's resolver, and measurements.
//
//   swell::Resolver resolver;      // keep both objects: their buffers are reused, so
//   swell::Resolution resolution;  // a warmed-up resolve allocates nothing
//   if (auto r = resolver.resolve(views, resolution); !r.ok()) {
//     std::cerr << r.error().message << "\n";   // only no_peer_views
//   }
//   for (const swell::PeerInfo* info : resolution.winners()) use(*info);  // sorted by id
//
// The winners point into `views`: copy them (Resolution::copy_winners) before the views
// change or go away. Bad entries never fail a resolve; they are skipped and listed in
// Resolution::issues().
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "swell/peer_info.h"
#include "swell/result.h"

namespace swell {

/// Caller-supplied health of a candidate record (e.g. from its backend's metrics); higher is healthier.
using HealthScore = std::function<std::int64_t(const PeerInfo& candidate)>;

/// How a Resolver validates its input and breaks ties.
struct ResolverConfig {
  /// An entry is counted only if validate(entry, limits) accepts it; others are reported.
  PeerInfoLimits limits{};
  /// Off (empty) by default, so results follow the plain rule. When set, it is asked only
  /// where the rule has no clear answer: between groups that both reach the threshold
  /// with equal size, and among all groups when none reaches it. There the healthier
  /// candidate wins before timestamps are compared. It must not throw.
  HealthScore health;
  /// Seeds the id hash. Any value gives the same results; a per-process random one keeps
  /// a peer from crafting colliding ids that slow resolves down.
  std::uint64_t hash_seed = 0x5157454c4c4d414aull;
};

/// Why an entry of a peer's view was not counted as given.
enum class ResolveIssueKind : std::uint8_t {
  duplicate_report = 1,   ///< The peer listed this id before; only its newest report counts.
  invalid_peer_info = 2,  ///< validate() rejected the entry; call it for the message.
};

/// One entry that was skipped or merged: views[peer][entry].
struct ResolveIssue {
  ResolveIssueKind kind = ResolveIssueKind::invalid_peer_info;  ///< What happened to it.
  std::uint32_t peer = 0;   ///< Index of the peer's view.
  std::uint32_t entry = 0;  ///< Index of the entry in that view.

  /// Field-by-field equality.
  friend bool operator==(const ResolveIssue&, const ResolveIssue&) = default;
};

/// Counters of one resolve: the first user's ConsensusMetrics, plus swell's own.
struct ResolveMetrics {
  std::size_t peers = 0;                 ///< Peer views given (P), empty ones included.
  std::size_t threshold = 0;             ///< Reports a group needs to win: (P + 1) / 2.
  std::size_t nodes = 0;                 ///< Node ids with at least one counted report.
  std::size_t conflicts = 0;             ///< Nodes with two or more counted reports, even if all agree.
  std::size_t tie_breaks = 0;            ///< Conflicts where no group reached the threshold.
  std::size_t ambiguous_majorities = 0;  ///< Conflicts where two or more groups reached it.
  std::size_t duplicate_reports = 0;     ///< Entries repeating an id their peer already listed.
  std::size_t invalid_entries = 0;       ///< Entries validate() rejected.

  /// Field-by-field equality.
  friend bool operator==(const ResolveMetrics&, const ResolveMetrics&) = default;
};

/// The outcome of one resolve; reuse one object so that warmed-up resolves allocate nothing.
class Resolution {
 public:
  /// One winning record per node id, sorted by id (bytewise); points into the resolved views.
  [[nodiscard]] std::span<const PeerInfo* const> winners() const { return winners_; }
  /// Counters of the resolve.
  [[nodiscard]] const ResolveMetrics& metrics() const { return metrics_; }
  /// Skipped or merged entries, in input order (by peer, then entry).
  [[nodiscard]] std::span<const ResolveIssue> issues() const { return issues_; }
  /// Copies of the winners, which outlive the views.
  [[nodiscard]] std::vector<PeerInfo> copy_winners() const;

 private:
  friend class Resolver;
  std::vector<const PeerInfo*> winners_;
  ResolveMetrics metrics_;
  std::vector<ResolveIssue> issues_;
};

/// An owned resolution: the winners copied out, with the counters and issues.
struct ResolvedPeers {
  std::vector<PeerInfo> peers;       ///< One record per node id, sorted by id.
  ResolveMetrics metrics;            ///< Counters of the resolve.
  std::vector<ResolveIssue> issues;  ///< Skipped or merged entries, in input order.
};

/// Majority-rule resolver; keeps scratch buffers between calls. Not thread-safe: one per thread.
class Resolver {
 public:
  /// A resolver with the given limits, health signal and hash seed.
  explicit Resolver(ResolverConfig config = {});
  /// Frees the scratch buffers.
  ~Resolver();
  /// Moves the scratch buffers along.
  Resolver(Resolver&&) noexcept;
  /// Moves the scratch buffers along.
  Resolver& operator=(Resolver&&) noexcept;
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  /// Resolves the views into out; fails with no_peer_views (out emptied) when views is empty.
  Result<void> resolve(std::span<const std::vector<PeerInfo>> views, Resolution& out);
  /// Resolves borrowed views into out; same rule and errors.
  Result<void> resolve(std::span<const std::span<const PeerInfo>> views, Resolution& out);
  /// Resolves and copies the winners out (allocates; for callers that keep the answer).
  Result<ResolvedPeers> resolve_copy(std::span<const std::vector<PeerInfo>> views);

  /// The configuration given at construction.
  [[nodiscard]] const ResolverConfig& config() const { return config_; }

 private:
  struct State;
  ResolverConfig config_;
  std::unique_ptr<State> state_;  // scratch buffers; never in the public header
};

}  // namespace swell
