// swell_agent_poll_event: the queued events, with their storage kept in the handle.
#include "capi/capi_errors.h"
#include "capi/capi_event.h"
#include "capi/capi_guard.h"
#include "capi/capi_handle.h"

namespace swell::capi {
namespace {

swell_status poll_event(swell_agent* agent, swell_event* event) {
  static constexpr std::string_view kName = "swell_agent_poll_event";
  if (agent == nullptr) return null_argument(kName, "agent");
  if (event == nullptr) return null_argument(kName, "event");
  // Replacing the previous event frees its strings: documented as "valid until the
  // next poll", which is what lets the caller own nothing.
  agent->last_polled = agent->agent->poll_event();
  if (!agent->last_polled) return fail(SWELL_EAGAIN, "swell_agent_poll_event: no event is queued");
  fill_event(*agent->last_polled, event);
  return SWELL_OK;
}

}  // namespace
}  // namespace swell::capi

extern "C" swell_status swell_agent_poll_event(swell_agent* agent, swell_event* event) {
  return swell::capi::guarded("swell_agent_poll_event", [&] { return swell::capi::poll_event(agent, event); });
}
