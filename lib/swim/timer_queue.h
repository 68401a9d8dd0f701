// Deadlines of the protocol core in one min-heap. Entries are never removed early:
// each carries a token, and the owner ignores a popped entry whose token is stale
// (foca's TimerToken idea), which keeps rescheduling O(log n).
#pragma once

#include <cstdint>
#include <queue>
#include <vector>

#include "swell/time.h"

namespace swell::swim {

/// What a deadline is for.
enum class TimerKind : std::uint8_t {
  probe,          ///< Start the next probe.
  probe_resend,   ///< Resend the direct ping of the current probe.
  probe_indirect, ///< Direct probe timed out: ask others.
  probe_end,      ///< Probe period over: suspect if still no ack.
  relay_resend,   ///< Resend a relayed ping that got no ack yet.
  relay_nack,     ///< Our relayed ping got no ack: nack the requester.
  suspicion,      ///< A suspicion's timeout may have expired.
  gossip,         ///< Gossip round.
  push_pull,      ///< Periodic anti-entropy.
  reconnect,      ///< Try a remembered failed member.
  join_retry,     ///< Try the seeds again.
  stream_timeout, ///< A stream request went unanswered.
  reap,           ///< Forget members past the reconnect window.
};

/// One scheduled deadline.
struct Timer {
  Time at;               ///< When it fires.
  TimerKind kind;        ///< What for.
  std::uint64_t token;   ///< Owner-defined: identifies the object and its generation.
};

/// Min-heap of deadlines.
class TimerQueue {
 public:
  /// Schedules a deadline.
  void schedule(Time at, TimerKind kind, std::uint64_t token) { heap_.push(Timer{at, kind, token}); }
  /// Earliest deadline, or kNever.
  [[nodiscard]] Time next() const { return heap_.empty() ? kNever : heap_.top().at; }
  /// True if a deadline is <= now.
  [[nodiscard]] bool due(Time now) const { return !heap_.empty() && heap_.top().at <= now; }
  /// Removes and returns the earliest deadline; requires !empty().
  Timer pop() {
    Timer t = heap_.top();
    heap_.pop();
    return t;
  }
  /// Number of entries, stale ones included.
  [[nodiscard]] std::size_t size() const { return heap_.size(); }

 private:
  struct Later {
    bool operator()(const Timer& a, const Timer& b) const {
      if (a.at != b.at) return a.at > b.at;
      if (a.kind != b.kind) return a.kind > b.kind;
      return a.token > b.token;
    }
  };
  std::priority_queue<Timer, std::vector<Timer>, Later> heap_;
};

}  // namespace swell::swim
