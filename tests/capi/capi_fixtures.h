// Helpers of the C ABI tests: loopback options, waiting by condition with a deadline,
// and an event recorder for swell_event_callback.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "swell/swell.h"

namespace capi_test {

/// Options for a member on 127.0.0.1, port 0, fresh identity, local preset.
inline swell_agent_options loopback_options(const char* id) {
  swell_agent_options o;
  swell_agent_options_init(&o);
  o.generate_identity = 1;
  o.preset = SWELL_PRESET_LOCAL;
  o.id = id;
  o.bind_address = "127.0.0.1:0";
  return o;
}

/// Polls done() until it holds or limit passes; the interval only paces the polling.
inline bool wait_for(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

/// Members in state in agent's current snapshot.
inline std::size_t count_now(const swell_agent* agent, swell_member_state state) {
  swell_snapshot* snap = swell_agent_snapshot(agent);
  const std::size_t n = swell_snapshot_count(snap, state);
  swell_snapshot_free(snap);
  return n;
}

/// One event as the callback saw it, copied (the callback's pointers die with the call).
struct SeenEvent {
  swell_event_kind kind;           ///< What happened.
  std::string member_hex;          ///< To whom.
  std::string id;                  ///< Its PeerInfo id.
  std::string metadata;            ///< Its metadata.
  bool has_evidence;               ///< Evidence attached.
  swell_evidence evidence;         ///< The evidence (plain data: copied whole).
};

/// Records every event an agent's callback sees; wait() blocks until a match or deadline.
class EventRecorder {
 public:
  /// The callback to put in swell_agent_options::on_event (user data: this).
  static void callback(const swell_event* e, void* user_data) {
    auto* self = static_cast<EventRecorder*>(user_data);
    SeenEvent seen{e->kind, e->member.node_id_hex, e->member.id,
                   std::string(reinterpret_cast<const char*>(e->member.metadata), e->member.metadata_len),
                   e->has_evidence != 0, e->evidence};
    if (self->on_each) self->on_each(e);
    {
      std::lock_guard lock(self->mutex_);
      self->events_.push_back(std::move(seen));
    }
    self->changed_.notify_all();
  }

  /// Waits until an event of kind about member_hex was seen; it, or nothing at the deadline.
  std::optional<SeenEvent> wait(swell_event_kind kind, const std::string& member_hex, std::chrono::seconds limit) {
    std::unique_lock lock(mutex_);
    std::optional<SeenEvent> found;
    changed_.wait_for(lock, limit, [&] {
      for (const SeenEvent& e : events_) {
        if (e.kind == kind && e.member_hex == member_hex) {
          found = e;
          return true;
        }
      }
      return false;
    });
    return found;
  }

  /// Runs on the loop thread for every event, before it is recorded (may be empty).
  std::function<void(const swell_event*)> on_each;

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<SeenEvent> events_;
};

/// A started agent, freed at scope end.
struct AgentHandle {
  swell_agent* agent = nullptr;  ///< Owned.
  ~AgentHandle() { swell_agent_free(agent); }
};

/// Starts o into handle; REQUIREs success, with the library's message when it fails.
inline void start(swell_agent_options o, AgentHandle& handle) {
  const swell_status s = swell_agent_start(&o, &handle.agent);
  REQUIRE_MESSAGE(s == SWELL_OK, swell_strerror(s) << ": " << swell_last_error_message());
  REQUIRE(handle.agent != nullptr);
}

}  // namespace capi_test
