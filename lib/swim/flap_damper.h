// FlapDamper: holds down a member that keeps being suspected and refuting, as BGP's
// route-flap dampening holds down a route. A member that stays degraded (it answers
// too late, or loses much of what it sends) is suspected by several members, refutes,
// and is suspected again, for as long as it stays degraded: every cycle is a new
// incarnation gossiped to the whole cluster (a slow member of 16 drove every member's
// traffic from ~100 to ~3,600 B/s). After `limit` confirmed suspicions refuted within
// `window`, this node declares it failed and ignores its refutations for `hold`; then it
// probes it every `probation_interval` and lets it back after `passes` answers in a row.
//
//   if (damper.record_flap(id, now)) { declare_failed(id); damper.hold(id, now); }
//   for (const NodeId& id : damper.due(now)) probe(id);     // answered -> record_probation
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "swell/node_id.h"
#include "swell/time.h"

namespace swell::swim {

/// What makes a member flap, and how long it is held down.
struct FlapLimits {
  int limit = 3;                      ///< Confirmed suspicions refuted within window that hold a member down; 0: never.
  Duration window{0};                 ///< The window they are counted in.
  Duration hold{0};                   ///< How long refutations are ignored before probation starts.
  Duration probation_interval{0};     ///< Time between probation probes.
  int passes = 3;                     ///< Answered probation probes in a row that let it back.
  std::size_t max_tracked = 1024;     ///< Members tracked at once; the oldest are forgotten first.
};

/// Per-member flap history and hold-downs, bounded.
class FlapDamper {
 public:
  /// A damper with these limits.
  explicit FlapDamper(FlapLimits limits) : limits_(limits) {}

  /// A suspicion of member that others had confirmed was refuted at now; true if that
  /// makes `limit` within the window (hold it down now).
  bool record_flap(const NodeId& member, Time now);
  /// Starts holding member down at now.
  void hold(const NodeId& member, Time now);
  /// True while member is held down: its refutations do not bring it back.
  [[nodiscard]] bool held(const NodeId& member) const;
  /// The held member due a probation probe at now, if any (the one waiting longest).
  [[nodiscard]] std::optional<NodeId> due(Time now) const;
  /// A probation probe of member started at now.
  void probation_started(const NodeId& member, Time now);
  /// The probation probe of member was answered or not; true when it has now passed
  /// (it is released, and no longer held).
  bool record_probation(const NodeId& member, bool answered);
  /// Forgets member (it left or was removed).
  void forget(const NodeId& member) { members_.erase(member); }
  /// Members tracked (with flaps or held).
  [[nodiscard]] std::size_t size() const { return members_.size(); }

 private:
  struct History {
    std::vector<Time> flaps;      // within the window, oldest first
    bool held = false;
    Time next_probation{0};       // held: when the next probation probe is due
    int passes = 0;               // held: answered probation probes in a row
    Time last_change{0};          // for forgetting the oldest when full
  };
  void make_room();

  FlapLimits limits_;
  std::map<NodeId, History> members_;  // ordered: due() is deterministic
};

}  // namespace swell::swim
