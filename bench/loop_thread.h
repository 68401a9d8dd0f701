// LoopThread: a libuv loop run by its own thread, onto which other threads post work.
// swell-loopback spreads its agents over one per core, as the memberlist harness's
// goroutines spread over every core.
#pragma once

#include <uv.h>

#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace swell::bench {

/// A loop on its own thread; call() runs a function there and waits for its result.
class LoopThread {
 public:
  LoopThread() {
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &async_, on_async);
    async_.data = this;
    thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
  }
  /// Closes the wake-up handle and joins the thread once every other handle is closed.
  ~LoopThread() {
    post([this] { uv_close(reinterpret_cast<uv_handle_t*>(&async_), nullptr); });
    thread_.join();
    uv_loop_close(&loop_);
  }
  LoopThread(const LoopThread&) = delete;
  LoopThread& operator=(const LoopThread&) = delete;

  /// The loop, for AgentOptions::loop.
  uv_loop_t* loop() { return &loop_; }

  /// Runs fn on the loop thread and returns what it returned.
  template <class F>
  auto call(F fn) {
    using R = decltype(fn());
    std::packaged_task<R()> task(std::move(fn));
    auto result = task.get_future();
    auto shared = std::make_shared<std::packaged_task<R()>>(std::move(task));
    post([shared] { (*shared)(); });
    return result.get();
  }

 private:
  void post(std::function<void()> fn) {
    const std::lock_guard lock(mu_);
    work_.push_back(std::move(fn));
    uv_async_send(&async_);
  }
  static void on_async(uv_async_t* async) {
    auto* self = static_cast<LoopThread*>(async->data);
    std::vector<std::function<void()>> work;
    {
      const std::lock_guard lock(self->mu_);
      work.swap(self->work_);
    }
    for (auto& fn : work) fn();
  }

  uv_loop_t loop_{};
  uv_async_t async_{};
  std::mutex mu_;
  std::vector<std::function<void()>> work_;
  std::thread thread_;
};

}  // namespace swell::bench
