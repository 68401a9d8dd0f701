// LinkQuality: how much of what this node pings each member answers directly, against
// what its other members answer. A member that loses most of what it sends still
// refutes every suspicion (a fifth of its gossip gets out), so SWIM's suspicion never
// removes it (Rapid, ATC'18, Figure 1); but its prober sees most direct pings go
// unanswered. Comparing with the other members' answers makes the test about the
// member, not about the network: under 20% loss everywhere every member answers about
// 64% of pings, and none stands out.
//
//   quality.record(target, pings_sent, pings_answered, now); // at each probe's end
//   if (quality.degraded(target, config.degraded_ratio, now)) put_on_trial(target);
//   quality.relative(target, answered, sent, now) < 0.5     // a trial's verdict
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "swell/node_id.h"
#include "swell/time.h"

namespace swell::swim {

/// Recent direct-ping outcomes per member, bounded, and the comparison between members.
class LinkQuality {
 public:
  /// Outcomes kept per member (below 64): a lossy ring successor costs its prober
  /// three or four pings a probe, so 48 outcomes are its last 12-16 probes, and a
  /// member that turns lossy is found within 15 s or so.
  static constexpr int kWindow = 48;
  /// Outcomes of the other members needed before any comparison: with fewer, nothing
  /// is judged (a guess of 1, every ping answered, condemned healthy members under 30%
  /// loss everywhere, where every member answers about half).
  static constexpr int kMinBaseline = 16;

  /// The baseline counts only outcomes of the last 30-60 s (two buckets of 30 s per
  /// member): the network of a minute ago (before 30% loss began, say) is no yardstick
  /// for a member now. With every outcome's age counted instead, old answers of
  /// rarely probed members raised it to 0.8 under 30% loss and condemned healthy ones.
  static constexpr Duration kBucket = std::chrono::seconds(30);

  /// Tracks at most max_tracked members; the least recently probed is forgotten first.
  explicit LinkQuality(std::size_t max_tracked = 64) : max_tracked_(max_tracked) {}

  /// One probe of member sent `sent` direct pings, of which `answered` were answered
  /// directly within the probe period.
  void record(const NodeId& member, int sent, int answered, Time now);
  /// True if member's window is full and it answered less than `ratio` times the
  /// fraction the other tracked members answered (1 if too few outcomes of theirs).
  /// ratio 0: never.
  [[nodiscard]] bool degraded(const NodeId& member, double ratio, Time now) const;
  /// answered / sent, divided by the other members' answered fraction: 1 means member
  /// answers as well as the others do; nullopt with too few outcomes of the others, or
  /// when they answered nothing (then we cannot judge anyone).
  [[nodiscard]] std::optional<double> relative(const NodeId& member, int answered, int sent, Time now) const;
  /// Member's whole window, relative to the others as relative() is; nullopt if it is
  /// untracked or the others cannot be compared with.
  [[nodiscard]] std::optional<double> window_relative(const NodeId& member, Time now) const;
  /// The answered fraction of every member but `member` over the last 30-60 s; nullopt
  /// with fewer than kMinBaseline outcomes.
  [[nodiscard]] std::optional<double> baseline_without(const NodeId& member, Time now) const;
  /// Forgets member (it left, was removed, or its hold ended).
  void forget(const NodeId& member) { windows_.erase(member); }
  /// Members tracked.
  [[nodiscard]] std::size_t size() const { return windows_.size(); }

 private:
  struct Window {
    std::uint64_t bits = 0;     // 1: answered; the newest outcome in bit 0
    int count = 0;              // outcomes held, <= kWindow
    std::uint64_t last_use = 0; // for forgetting the least recently probed
    Time bucket_start{0};       // when the current bucket began
    int sent[2] = {0, 0};       // pings: [0] the current bucket, [1] the one before
    int answers[2] = {0, 0};    // of which answered
    void roll(Time now);        // starts a new bucket if the current one is over
    [[nodiscard]] int answered() const;
  };
  std::size_t max_tracked_;
  std::uint64_t clock_ = 0;
  std::map<NodeId, Window> windows_;  // ordered: eviction is deterministic
};

}  // namespace swell::swim
