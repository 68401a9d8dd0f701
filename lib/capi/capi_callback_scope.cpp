// The thread-local marker behind CallbackScope.
#include "capi/capi_callback_scope.h"

namespace swell::capi {
namespace {

thread_local const swell_agent* t_running_callback = nullptr;

}  // namespace

CallbackScope::CallbackScope(const swell_agent* agent) noexcept : outer_(t_running_callback) {
  t_running_callback = agent;
}

CallbackScope::~CallbackScope() { t_running_callback = outer_; }

bool in_callback_of(const swell_agent* agent) noexcept { return agent != nullptr && t_running_callback == agent; }

}  // namespace swell::capi
