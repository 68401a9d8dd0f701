// FlapDamper: holds down a member that keeps being suspected and refuting, as BGP's
// route-flap dampening holds down a route. A member that stays degraded (it answers
// too late, or loses much of what it sends) is suspected by several members, refutes,
// and is suspected again, for as long as it stays degraded: every cycle is a new
// incarnation gossiped to the whole cluster (a slow member of 16 drove every member's
// traffic from ~100 to ~3,600 B/s). After `limit` confirmed suspicions refuted within
// `window`, this node declares it failed and ignores its refutations for `hold`; then it
// checks it every `probation_interval` and lets it back after `passes` good checks in a
// row. A hold-down verdict from another member puts the member on trial instead: this
// node checks it itself, up to `trials` times, and holds it down only if a check finds
// it answering badly (a lossy accuser's verdict must not hold a healthy member down).
//
//   if (damper.record_flap(id, now)) { declare_failed(id); damper.hold(id, now); }
//   if (auto due = damper.due(now)) check(due->member);   // -> record_probation / record_trial
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
  int passes = 3;                     ///< Good probation checks in a row that let it back.
  int trials = 2;                     ///< Checks of a member on trial, judged together.
  double trial_bad_below = 0.4;      ///< Bad: answered below this times what controls answered.
  Duration trial_interval{0};         ///< Time between the checks of a trial.
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
  /// Puts member on trial at now (another member's hold-down verdict): due for a check
  /// at once. False if it is already held, on trial, or was acquitted within the hold
  /// time (copies of the same verdict keep arriving for a while).
  /// `ours`: our own probes found it degraded, and our verdict is to be announced if the
  /// trial confirms it.
  bool put_on_trial(const NodeId& member, Time now, bool ours);
  /// True while member is on trial.
  [[nodiscard]] bool on_trial(const NodeId& member) const;
  /// A member due a check: a probation check of a held member, or a trial.
  struct Due {
    NodeId member;  ///< Whom to check.
    bool trial;     ///< True: a trial (its result goes to record_trial).
  };
  /// The member due a check at now, if any (the one waiting longest).
  [[nodiscard]] std::optional<Due> due(Time now) const;
  /// A check of member started at now: the next is due a probation (or trial) interval later.
  void check_started(const NodeId& member, Time now);
  /// A probation check of member was good or not; true when it has now passed (it is
  /// released, and no longer held).
  bool record_probation(const NodeId& member, bool good);
  /// A trial check of member ended: of `sent` pings it answered `answered`, while the
  /// check's controls answered `control_fraction` of theirs. After the `trials`-th
  /// check the checks together decide: bad if it answered less than trial_bad_below
  /// times what its controls' fractions predict (it is then held, from now); else it is
  /// acquitted. One check is too few pings to tell a member answering 20% from one
  /// answering half.
  enum class TrialResult : std::uint8_t {
    pending,    ///< More checks to come.
    acquitted,  ///< Not bad: it stays up.
    held,       ///< Bad: held down from now, on another member's verdict.
    held_ours,  ///< Bad: held down from now, on our own finding (announce the verdict).
  };
  TrialResult record_trial(const NodeId& member, int sent, int answered, double control_fraction, Time now);
  /// Forgets member (it left or was removed).
  void forget(const NodeId& member) { members_.erase(member); }
  /// Members tracked (with flaps or held).
  [[nodiscard]] std::size_t size() const { return members_.size(); }

 private:
  struct History {
    std::vector<Time> flaps;      // within the window, oldest first
    bool held = false;
    bool trial = false;           // on trial (never while held)
    bool our_trial = false;       // on trial on our own finding
    int trials_left = 0;          // on trial: checks still to run
    int trial_answered = 0;       // on trial: its answers so far
    double trial_expected = 0;    // on trial: the answers its controls' fractions predict
    Time acquitted{kNever};       // when its last trial acquitted it
    Time next_check{0};           // held or on trial: when the next check is due
    int passes = 0;               // held: good probation checks in a row
    Time last_change{0};          // for forgetting the oldest when full
  };
  void make_room();

  FlapLimits limits_;
  std::map<NodeId, History> members_;  // ordered: due() is deterministic
};

}  // namespace swell::swim
