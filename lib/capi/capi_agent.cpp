// The agent's lifecycle over the C ABI: start, set_local_info, join, force_leave, leave, stop, free, and
// the strings naming it. Calls that would wait for the loop are refused from the
// agent's own event callback, which runs on that loop (capi_callback_scope.h).
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "capi/capi_callback_scope.h"
#include "capi/capi_errors.h"
#include "capi/capi_event.h"
#include "capi/capi_guard.h"
#include "capi/capi_handle.h"
#include "capi/capi_options.h"

namespace swell::capi {
namespace {

// Runs on the loop thread: the event and its strings live for exactly this call.
void deliver(swell_agent* agent, const MembershipEvent& e) noexcept {
  swell_event event;
  fill_event(e, &event);
  const CallbackScope scope(agent);
  agent->on_event(&event, agent->on_event_user_data);
}

swell_status refuse_in_callback(std::string_view function) noexcept {
  char message[256];
  std::snprintf(message, sizeof message,
                "%.*s: called from this agent's event callback, which runs on the loop thread this call would "
                "wait for or free; call it from another thread",
                static_cast<int>(function.size()), function.data());
  return fail(SWELL_EWRONG_STATE, message);
}

swell_status start(const swell_agent_options* options, swell_agent** out) {
  static constexpr std::string_view kName = "swell_agent_start";
  if (out == nullptr) return null_argument(kName, "out");
  *out = nullptr;
  if (options == nullptr) return null_argument(kName, "options");
  swell_agent_options full;
  if (const swell_status s = complete_options(*options, &full); s != SWELL_OK) return s;
  auto cpp = to_agent_options(full);
  if (!cpp.ok()) return fail(cpp.error());
  auto handle = std::make_unique<swell_agent>();
  handle->on_event = full.on_event;
  handle->on_event_user_data = full.on_event_user_data;
  handle->info_limits = cpp.value().config.peer_info;
  if (handle->on_event != nullptr) {
    // The loop may run the callback before start() returns; it reads only the two
    // callback fields above, which never change after this point.
    swell_agent* raw = handle.get();
    cpp.value().on_event = [raw](const MembershipEvent& e) { deliver(raw, e); };
  }
  auto agent = Agent::start(std::move(cpp).value());
  if (!agent.ok()) return fail(agent.error());
  handle->id_hex = agent.value().id().to_hex();
  handle->agent.emplace(std::move(agent).value());
  *out = handle.release();
  return SWELL_OK;
}

swell_status set_local_info(swell_agent* agent, const swell_agent_options* options) {
  static constexpr std::string_view kName = "swell_agent_set_local_info";
  if (agent == nullptr) return null_argument(kName, "agent");
  if (options == nullptr) return null_argument(kName, "options");
  swell_agent_options full;
  if (const swell_status s = complete_options(*options, &full); s != SWELL_OK) return s;
  // NULL address means what it means at start: the advertised swim address.
  auto info = to_peer_info(full, agent->info_limits, agent->agent->address());
  if (!info.ok()) return fail(info.error());
  if (auto set = agent->agent->set_local_info(std::move(info).value()); !set.ok()) return fail(set.error());
  return SWELL_OK;
}

swell_status join(swell_agent* agent, const char* const* seeds, std::size_t seed_count) {
  static constexpr std::string_view kName = "swell_agent_join";
  if (agent == nullptr) return null_argument(kName, "agent");
  if (seeds == nullptr && seed_count > 0) return null_argument(kName, "seeds");
  if (in_callback_of(agent)) return refuse_in_callback(kName);
  std::vector<std::string> list;
  list.reserve(seed_count);
  for (std::size_t i = 0; i < seed_count; ++i) {
    if (seeds[i] == nullptr) return fail(SWELL_EINVAL, "swell_agent_join: seeds[" + std::to_string(i) + "] is NULL");
    list.emplace_back(seeds[i]);
  }
  if (list.empty()) return fail(SWELL_EINVAL, "swell_agent_join: seed_count is 0: give at least one host:port");
  if (auto joined = agent->agent->join(list); !joined.ok()) return fail(joined.error());
  return SWELL_OK;
}

swell_status force_leave(swell_agent* agent, const char* node_id_hex) {
  static constexpr std::string_view kName = "swell_agent_force_leave";
  if (agent == nullptr) return null_argument(kName, "agent");
  if (node_id_hex == nullptr) return null_argument(kName, "node_id_hex");
  if (in_callback_of(agent)) return refuse_in_callback(kName);
  auto id = NodeId::from_hex(node_id_hex);
  if (!id.ok()) {
    return fail(SWELL_EINVAL, "swell_agent_force_leave: node_id_hex is not a node id (64 hex characters, as "
                              "swell_member.node_id_hex gives): " + id.error().message);
  }
  if (auto done = agent->agent->force_leave(id.value()); !done.ok()) return fail(done.error());
  return SWELL_OK;
}

swell_status leave(swell_agent* agent, std::uint32_t timeout_ms) {
  if (agent == nullptr) return null_argument("swell_agent_leave", "agent");
  if (in_callback_of(agent)) return refuse_in_callback("swell_agent_leave");
  if (auto left = agent->agent->leave(std::chrono::milliseconds(timeout_ms)); !left.ok()) return fail(left.error());
  return SWELL_OK;
}

swell_status stop(swell_agent* agent) {
  if (agent == nullptr) return null_argument("swell_agent_stop", "agent");
  if (in_callback_of(agent)) return refuse_in_callback("swell_agent_stop");
  agent->agent->stop();
  return SWELL_OK;
}

}  // namespace
}  // namespace swell::capi

using swell::capi::guarded;

extern "C" {

swell_status swell_agent_start(const swell_agent_options* options, swell_agent** out) {
  return guarded("swell_agent_start", [&] { return swell::capi::start(options, out); });
}

swell_status swell_agent_set_local_info(swell_agent* agent, const swell_agent_options* options) {
  return guarded("swell_agent_set_local_info", [&] { return swell::capi::set_local_info(agent, options); });
}

swell_status swell_agent_join(swell_agent* agent, const char* const* seeds, size_t seed_count) {
  return guarded("swell_agent_join", [&] { return swell::capi::join(agent, seeds, seed_count); });
}

swell_status swell_agent_force_leave(swell_agent* agent, const char* node_id_hex) {
  return guarded("swell_agent_force_leave", [&] { return swell::capi::force_leave(agent, node_id_hex); });
}

swell_status swell_agent_leave(swell_agent* agent, uint32_t timeout_ms) {
  return guarded("swell_agent_leave", [&] { return swell::capi::leave(agent, timeout_ms); });
}

swell_status swell_agent_stop(swell_agent* agent) {
  return guarded("swell_agent_stop", [&] { return swell::capi::stop(agent); });
}

void swell_agent_free(swell_agent* agent) {
  if (agent == nullptr) return;
  if (swell::capi::in_callback_of(agent)) {
    // Freeing would destroy the loop that is running this very callback: refuse, and
    // leave a message (the function returns nothing) rather than crash.
    (void)swell::capi::refuse_in_callback("swell_agent_free");
    return;
  }
  (void)guarded("swell_agent_free", [&] {
    delete agent;  // ~Agent stops it and joins its loop thread
    return SWELL_OK;
  });
}

const char* swell_agent_id(const swell_agent* agent) {
  if (agent == nullptr) {
    (void)swell::capi::null_argument("swell_agent_id", "agent");
    return nullptr;
  }
  return agent->id_hex.c_str();
}

const char* swell_agent_address(const swell_agent* agent) {
  if (agent == nullptr) {
    (void)swell::capi::null_argument("swell_agent_address", "agent");
    return nullptr;
  }
  return agent->agent->address().c_str();  // immutable after start
}

}  // extern "C"
