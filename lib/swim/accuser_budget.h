// AccuserBudget: how much this node still believes each member's accusations. An
// insider may sign suspect and dead claims about anyone; every accusation it makes
// that ends refuted (the subject answers with a newer incarnation) costs it one point,
// and so does every accusation dropped while it is over budget. Points decay with a
// half-life, so an honest member that once had a few refuted suspicions (a lossy
// moment) gets its full say back, while a member that keeps accusing stays silenced
// for as long as it keeps accusing. Accusations from a member at or over its budget are
// dropped: not applied, not relayed, not counted toward any verdict.
//
//   AccuserBudget budget(AccuserLimits{});
//   if (budget.exhausted(claim.author, now)) { budget.charge(claim.author, now); drop(); }
//   ... on a refutation: for (auto& who : suspicion.signers()) budget.charge(who, now);
#pragma once

#include <cstddef>
#include <map>

#include "swell/node_id.h"
#include "swell/time.h"

namespace swell::swim {

/// How many refuted accusations an accuser may have, and how fast they are forgiven.
struct AccuserLimits {
  /// Decayed points at which an accuser's accusations are dropped; <= 0: never.
  double budget = 4;
  /// Time for an accuser's points to halve.
  Duration half_life{std::chrono::seconds(60)};
  /// Accusers tracked at once; the one with the fewest points is forgotten first.
  std::size_t max_tracked = 1024;
};

/// Per-accuser points for refuted and dropped accusations, decaying, bounded.
class AccuserBudget {
 public:
  /// A budget with these limits.
  explicit AccuserBudget(AccuserLimits limits) : limits_(limits) {}

  /// One accusation by accuser ended refuted, or was dropped, at now: one more point.
  void charge(const NodeId& accuser, Time now);
  /// Accuser's points at now, decayed since its last charge.
  [[nodiscard]] double points(const NodeId& accuser, Time now) const;
  /// True if accuser's accusations are to be dropped at now.
  [[nodiscard]] bool exhausted(const NodeId& accuser, Time now) const {
    return limits_.budget > 0 && points(accuser, now) >= limits_.budget;
  }
  /// Forgets accuser (it left or was removed).
  void forget(const NodeId& accuser) { scores_.erase(accuser); }
  /// Accusers tracked.
  [[nodiscard]] std::size_t size() const { return scores_.size(); }

 private:
  struct Score {
    double points = 0;
    Time at{0};  // when points was last brought up to date
  };
  [[nodiscard]] double decayed(const Score& s, Time now) const;
  void make_room(Time now);

  AccuserLimits limits_;
  std::map<NodeId, Score> scores_;  // ordered: eviction ties break the same way every run
};

}  // namespace swell::swim
