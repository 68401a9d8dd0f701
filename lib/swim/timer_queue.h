// Deadlines of the protocol core in one min-heap. Each timer's payload says what it is
// for (the probe, relay, suspicion or stream it belongs to). Entries are never removed
// early: the owner ignores a popped timer whose generation is stale (foca's
// TimerToken idea), which keeps rescheduling O(log n).
#pragma once

#include <cstdint>
#include <queue>
#include <variant>
#include <vector>

#include "swell/node_id.h"
#include "swell/time.h"

namespace swell::swim {

/// Start the next probe of a lane (0: every probe interval; 1: the extra round-robin one).
struct ProbeStart { std::uint64_t generation; std::uint8_t lane; };
/// Resend the direct ping of the probe with this generation.
struct ProbeResend { std::uint64_t generation; };
/// The direct probe timed out: ask relays to probe indirectly.
struct ProbeIndirect { std::uint64_t generation; };
/// The probe period is over: suspect the target if it never answered.
struct ProbeEnd { std::uint64_t generation; };
/// Resend the relayed ping whose first sequence number this is.
struct RelayResend { std::uint64_t first_seq; };
/// The relayed ping got no ack: nack the requester.
struct RelayNack { std::uint64_t first_seq; };
/// The suspicion of subject may have expired.
struct SuspicionTimeout { NodeId subject; std::uint64_t generation; };
/// A gossip round.
struct GossipRound {};
/// An anti-entropy exchange; early ones (after joining) do not re-arm the periodic one.
struct PushPullRound { bool early; };
/// Try one remembered failed member, to heal partitions.
struct ReconnectRound {};
/// Try the seeds again.
struct JoinRetry { std::uint64_t generation; };
/// The stream request with this id went unanswered.
struct StreamTimeout { std::uint64_t stream_id; };
/// Forget members past the reconnect window.
struct ReapRound {};
/// Majority mode: the next heartbeat of the rotation, and a look at who fell silent.
struct HeartbeatRound {};
/// Automatic mode: the selector's look at the live count, and decision resends.
struct ModeRound {};

/// What a deadline is for.
using TimerPayload = std::variant<ProbeStart, ProbeResend, ProbeIndirect, ProbeEnd, RelayResend, RelayNack,
                                  SuspicionTimeout, GossipRound, PushPullRound, ReconnectRound, JoinRetry,
                                  StreamTimeout, ReapRound, HeartbeatRound, ModeRound>;

/// One scheduled deadline.
struct Timer {
  Time at;           ///< When it fires.
  TimerPayload what; ///< What for.
};

/// Min-heap of deadlines; equal deadlines pop in a fixed order (by payload kind, then
/// by the number that names the payload), so runs are deterministic.
class TimerQueue {
 public:
  /// Schedules a deadline.
  void schedule(Time at, TimerPayload what) { heap_.push(Timer{at, std::move(what)}); }
  /// Earliest deadline, or kNever.
  [[nodiscard]] Time next() const { return heap_.empty() ? kNever : heap_.top().at; }
  /// True if a deadline is <= now.
  [[nodiscard]] bool due(Time now) const { return !heap_.empty() && heap_.top().at <= now; }
  /// Removes and returns the earliest deadline; requires due() or a non-empty queue.
  Timer pop() {
    Timer t = heap_.top();
    heap_.pop();
    return t;
  }
  /// Number of entries, stale ones included.
  [[nodiscard]] std::size_t size() const { return heap_.size(); }

 private:
  /// The number that names a payload among those of its kind (0 when there is none).
  static std::uint64_t ordinal(const TimerPayload& what);
  struct Later {
    bool operator()(const Timer& a, const Timer& b) const {
      if (a.at != b.at) return a.at > b.at;
      if (a.what.index() != b.what.index()) return a.what.index() > b.what.index();
      return ordinal(a.what) > ordinal(b.what);
    }
  };
  std::priority_queue<Timer, std::vector<Timer>, Later> heap_;
};

inline std::uint64_t TimerQueue::ordinal(const TimerPayload& what) {
  struct Ordinal {
    std::uint64_t operator()(const ProbeStart& t) const { return t.generation; }
    std::uint64_t operator()(const ProbeResend& t) const { return t.generation; }
    std::uint64_t operator()(const ProbeIndirect& t) const { return t.generation; }
    std::uint64_t operator()(const ProbeEnd& t) const { return t.generation; }
    std::uint64_t operator()(const RelayResend& t) const { return t.first_seq; }
    std::uint64_t operator()(const RelayNack& t) const { return t.first_seq; }
    std::uint64_t operator()(const SuspicionTimeout& t) const { return t.generation; }
    std::uint64_t operator()(const PushPullRound& t) const { return t.early ? 1 : 0; }
    std::uint64_t operator()(const JoinRetry& t) const { return t.generation; }
    std::uint64_t operator()(const StreamTimeout& t) const { return t.stream_id; }
    std::uint64_t operator()(const GossipRound&) const { return 0; }
    std::uint64_t operator()(const ReconnectRound&) const { return 0; }
    std::uint64_t operator()(const ReapRound&) const { return 0; }
    std::uint64_t operator()(const HeartbeatRound&) const { return 0; }
    std::uint64_t operator()(const ModeRound&) const { return 0; }
  };
  return std::visit(Ordinal{}, what);
}

}  // namespace swell::swim
