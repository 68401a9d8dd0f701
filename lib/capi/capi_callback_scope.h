// Which agent's event callback is running on this thread. The C ABI starts every agent
// on its own loop thread and runs no other user code there, so "inside the callback" is
// exactly "on the loop thread", where leave, stop and free would deadlock or free the
// loop under its own feet.
#pragma once

#include "swell/swell.h"

namespace swell::capi {

/// Marks agent's callback as running on this thread for the scope's lifetime.
class CallbackScope {
 public:
  /// Enters agent's callback on this thread.
  explicit CallbackScope(const swell_agent* agent) noexcept;
  /// Leaves it (restoring any outer scope).
  ~CallbackScope();
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;

 private:
  const swell_agent* outer_;
};

/// True when this thread is running agent's event callback.
bool in_callback_of(const swell_agent* agent) noexcept;

}  // namespace swell::capi
