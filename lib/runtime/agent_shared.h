// AgentShared: what the Agent handle (any thread) and the loop side (AgentLoop) share:
// the command queue that wakes the loop, the published snapshots, the event queue, and
// the agent's own loop thread when it has one.
#pragma once

#include <uv.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/event_queue.h"
#include "runtime/snapshot_slot.h"
#include "swell/agent.h"

namespace swell {

namespace runtime {
class AgentLoop;
}

/// Shared between an Agent and its loop side; lives until both let go of it.
class AgentShared {
 public:
  /// Work for the loop thread.
  using Command = std::function<void(runtime::AgentLoop&)>;

  /// Shared state with an event queue of event_capacity (0: none).
  explicit AgentShared(std::size_t event_capacity);

  /// Queues command for the loop and wakes it; not_running once the agent is stopping.
  Result<void> post(Command command);
  /// Loop side: commands are accepted from now on, waking async.
  void attach(uv_async_t* async);
  /// Loop side: the queued commands, in order.
  std::vector<Command> take_commands();
  /// Loop side: refuse commands from now on (async is about to close).
  void detach();

  /// Joins the agent's own loop thread, or detaches it when called on that thread.
  void release_thread();
  /// True when the calling thread runs this agent's loop.
  [[nodiscard]] bool on_loop_thread() const;

  runtime::SnapshotSlot<AgentSnapshot> snapshots;          ///< Published by the loop.
  std::unique_ptr<runtime::EventQueue<MembershipEvent>> events;  ///< Null without a queue.
  /// The agent's key now: set before start() returns, changed by a key rotation.
  [[nodiscard]] NodeId id() const {
    std::lock_guard<std::mutex> lock(id_mutex_);
    return id_;
  }
  /// Loop side: the node moved to key id (or started with it).
  void set_id(const NodeId& id) {
    std::lock_guard<std::mutex> lock(id_mutex_);
    id_ = id;
  }
  std::string address;            ///< Advertised host:port; immutable after start.
  std::uint16_t port = 0;         ///< Bound port; immutable after start.
  PeerInfoLimits info_limits;     ///< For validating set_local_info on the caller's thread.
  std::atomic<bool> stopped{false};  ///< Every handle closed.
  std::thread thread;             ///< The own loop thread (not joinable with a caller's loop).
  std::thread::id loop_thread;    ///< The thread that runs the loop.

 private:
  std::mutex mutex_;  // guards commands_ and async_; never held while the loop runs commands
  std::vector<Command> commands_;
  uv_async_t* async_ = nullptr;
  std::mutex thread_mutex_;  // one joiner at a time
  mutable std::mutex id_mutex_;  // guards id_: read from any thread, rotated on the loop
  NodeId id_;
};

}  // namespace swell
