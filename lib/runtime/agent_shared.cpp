#include "runtime/agent_shared.h"

namespace swell {

AgentShared::AgentShared(std::size_t event_capacity) {
  if (event_capacity > 0) events = std::make_unique<runtime::EventQueue<MembershipEvent>>(event_capacity);
}

Result<void> AgentShared::post(Command command) {
  const std::lock_guard lock(mutex_);
  if (async_ == nullptr) return Error{ErrorCode::not_running, "the agent is stopped or stopping; start a new one"};
  commands_.push_back(std::move(command));
  // Under the lock, so the loop cannot close the handle between the check and the send.
  uv_async_send(async_);
  return success();
}

void AgentShared::attach(uv_async_t* async) {
  const std::lock_guard lock(mutex_);
  async_ = async;
}

std::vector<AgentShared::Command> AgentShared::take_commands() {
  const std::lock_guard lock(mutex_);
  return std::exchange(commands_, {});
}

void AgentShared::detach() {
  const std::lock_guard lock(mutex_);
  async_ = nullptr;
  commands_.clear();
}

void AgentShared::release_thread() {
  if (on_loop_thread()) {
    // A thread cannot join itself: let it finish on its own (it holds this object).
    if (thread_mutex_.try_lock()) {
      if (thread.joinable()) thread.detach();
      thread_mutex_.unlock();
    }
    return;
  }
  const std::lock_guard lock(thread_mutex_);
  if (thread.joinable()) thread.join();
}

bool AgentShared::on_loop_thread() const { return std::this_thread::get_id() == loop_thread; }

}  // namespace swell
