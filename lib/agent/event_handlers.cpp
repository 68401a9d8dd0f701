#include "agent/event_handlers.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <system_error>

#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "agent/event_log.h"
#include "agent/handler_process.h"
#include "agent/member_json.h"
#include "agent/no_sigpipe.h"
#include "agent/tags.h"

extern char** environ;

namespace swell::agent {

/// One event as the workers see it: a copy, so the caller's event may go at once.
struct EventHandlers::QueuedEvent {
  MembershipEvent event;  ///< The event.
  std::uint64_t unix_ms;  ///< time_ms of its JSON.
  std::string summary;    ///< "failed backend-7 (9f1c04ab)", for log lines.
};

namespace {

using Clock = HandlerProcess::Clock;

// Without an eventfd (creation failed), how often a waiting worker looks for stop().
constexpr auto kStopCheckInterval = std::chrono::milliseconds(50);

// Variables handler_env sets; inherited ones of these names are dropped so each appears once.
constexpr std::string_view kOurNames[] = {
    "SWELL_EVENT",        "SWELL_MEMBER_ID",    "SWELL_MEMBER_NAME", "SWELL_MEMBER_ADDRESS",
    "SWELL_MEMBER_SWIM_ADDRESS", "SWELL_NODE_TYPE", "SWELL_MEMBER_STATE", "SWELL_INCARNATION",
    "SWELL_SELF_ID"};
constexpr std::string_view kTagPrefix = "SWELL_TAG_";

// True for a variable name handler_env sets (or could set, for tags).
bool is_ours(std::string_view name) {
  if (name.substr(0, kTagPrefix.size()) == kTagPrefix) return true;  // A stale tag would pose as the member's.
  return std::find(std::begin(kOurNames), std::end(kOurNames), name) != std::end(kOurNames);
}

// The agent's environment, read once: workers must not read environ while another thread
// might setenv.
std::vector<std::string> inherited_env() {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (!is_ours(text.substr(0, text.find('=')))) env.emplace_back(text);
  }
  return env;
}

// "failed backend-7 (9f1c04ab)": the event as log lines name it.
std::string summary_of(const MembershipEvent& event) {
  const Announcement* a = event.announcement.get();
  std::string s = std::string(to_string(event.kind)) + " ";
  if (a != nullptr && !a->info.id.empty()) return s + a->info.id + " (" + event.member.short_hex() + ")";
  return s + event.member.short_hex();
}

}  // namespace

std::string tag_env_name(std::string_view tag) {
  std::string name(kTagPrefix);
  for (char c : tag) {
    const auto u = static_cast<unsigned char>(c);
    name.push_back(std::isalnum(u) != 0 ? static_cast<char>(std::toupper(u)) : '_');
  }
  return name;
}

std::vector<std::string> handler_env(const MembershipEvent& event, const std::string& self_hex) {
  const Announcement* a = event.announcement.get();
  // Without an announcement the PeerInfo variables are set but empty, so `set -u` scripts work.
  const auto field = [a](auto get) { return a != nullptr ? std::string(get(*a)) : std::string(); };
  std::vector<std::string> env = {
      "SWELL_EVENT=" + std::string(to_string(event.kind)),
      "SWELL_MEMBER_ID=" + event.member.to_hex(),
      "SWELL_MEMBER_NAME=" + field([](const Announcement& x) { return x.info.id; }),
      "SWELL_MEMBER_ADDRESS=" + field([](const Announcement& x) { return x.info.address; }),
      "SWELL_MEMBER_SWIM_ADDRESS=" + field([](const Announcement& x) { return x.swim_address; }),
      "SWELL_NODE_TYPE=" + field([](const Announcement& x) { return to_string(x.info.node_type); }),
      "SWELL_MEMBER_STATE=" + std::string(to_string(state_after(event.kind))),
      "SWELL_INCARNATION=" + std::to_string(event.incarnation),
      "SWELL_SELF_ID=" + self_hex,
  };
  if (a == nullptr) return env;
  const auto tags = decode_tags(a->info.metadata);
  if (!tags) return env;
  // "rack.id" and "rack-id" both map to SWELL_TAG_RACK_ID: the first in sorted order wins,
  // so the choice is the same on every run.
  std::set<std::string> seen;
  for (const auto& [key, value] : *tags) {
    std::string name = tag_env_name(key);
    if (seen.insert(name).second) env.push_back(name + "=" + value);
  }
  return env;
}

EventHandlers::EventHandlers(EventHandlerSettings settings, const NodeId& self, HandlerLogSink log)
    : settings_(std::move(settings)), self_hex_(self.to_hex()), log_(std::move(log)), base_env_(inherited_env()) {
  for (const auto& [kind, command] : settings_.commands) {
    if (kind == "all") {
      for (auto& commands : commands_by_kind_) commands.push_back(&command);
      continue;
    }
    bool known = false;
    for (std::size_t i = 0; i < commands_by_kind_.size(); ++i) {
      if (kind == to_string(static_cast<MembershipEvent::Kind>(i))) {
        commands_by_kind_[i].push_back(&command);
        known = true;
      }
    }
    if (!known) this->log("handler `" + command + "` is for unknown event kind `" + kind + "` and never runs");
  }
  if (settings_.commands.empty()) return;
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  // Workers start with every signal blocked: signals are the daemon's to take on its own
  // threads, and a SIGPIPE from a handler's stdin cannot reach them (write_no_sigpipe).
  sigset_t all;
  sigset_t old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  const std::size_t count = std::max<std::size_t>(1, settings_.max_concurrent);
  try {
    for (std::size_t i = 0; i < count; ++i) workers_.emplace_back([this] { work(); });
  } catch (const std::system_error& e) {
    this->log("started only " + std::to_string(workers_.size()) + " of " + std::to_string(count) +
              " event handler threads: " + e.what());
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  worker_count_ = workers_.size();
}

EventHandlers::~EventHandlers() {
  stop(std::chrono::milliseconds(0));
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void EventHandlers::dispatch(const MembershipEvent& event) noexcept {
  dispatch(event, unix_now_ms());
}

void EventHandlers::dispatch(const MembershipEvent& event, std::uint64_t unix_ms) noexcept {
  const auto index = static_cast<std::size_t>(event.kind);
  if (index >= commands_by_kind_.size() || commands_by_kind_[index].empty()) return;
  const std::size_t wanted = commands_by_kind_[index].size();
  std::size_t accepted = 0;
  std::string message;
  try {
    auto queued = std::make_shared<const QueuedEvent>(QueuedEvent{event, unix_ms, summary_of(event)});
    const std::lock_guard lock(mutex_);
    const std::size_t limit = std::max<std::size_t>(1, settings_.max_queued);
    for (const std::string* command : commands_by_kind_[index]) {
      if (stopping_ || worker_count_ == 0 || queue_.size() >= limit) continue;
      queue_.push_back(Run{command, queued});
      ++accepted;
    }
    const std::size_t refused = wanted - accepted;
    dropped_ += refused;
    if (refused > 0 && !stopping_) {
      burst_drops_ += refused;
      // One line when a burst of drops begins and one when it ends, not one per drop.
      if (!in_overflow_) {
        in_overflow_ = true;
        message = worker_count_ == 0 ? "no event handler threads; dropping handler runs, from " + queued->summary
                                     : "event handler queue full (max_queued " + std::to_string(limit) +
                                           "); dropping handler runs, from " + queued->summary;
      }
    } else if (refused == 0 && in_overflow_) {
      in_overflow_ = false;
      message = "event handler queue has room again; dropped " + std::to_string(burst_drops_) + " runs while full";
      burst_drops_ = 0;
    }
  } catch (...) {
    // Only allocation throws here; the event's remaining runs are lost, and counted.
    dropped_ += wanted - accepted;
  }
  if (accepted > 0) work_ready_.notify_all();
  if (!message.empty()) log(message);
}

void EventHandlers::stop(std::chrono::milliseconds grace) noexcept {
  const std::lock_guard stop_lock(stop_mutex_);
  std::size_t dropped_now = 0;
  {
    const std::lock_guard lock(mutex_);
    if (!stopping_) {
      // The deadline is published before the flag, so a worker that sees the flag sees it.
      stop_deadline_ = (Clock::now() + grace).time_since_epoch().count();
      stop_requested_ = true;
      stopping_ = true;
      dropped_now = queue_.size();
      queue_.clear();
      dropped_ += dropped_now;
    }
  }
  work_ready_.notify_all();
  idle_.notify_all();
  if (wake_fd_ >= 0) {
    // Never read back: the eventfd stays readable, so every worker's poll wakes.
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
  }
  if (dropped_now > 0) log("stopping: dropped " + std::to_string(dropped_now) + " queued event handler runs");
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

bool EventHandlers::wait_idle(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, limit, [this] { return queue_.empty() && running_ == 0; });
}

std::size_t EventHandlers::queued() const {
  const std::lock_guard lock(mutex_);
  return queue_.size();
}

std::size_t EventHandlers::running() const {
  const std::lock_guard lock(mutex_);
  return running_;
}

void EventHandlers::work() noexcept {
  for (;;) {
    Run run{};
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_ || queue_.empty()) return;  // stop() emptied the queue.
      run = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    try {
      execute(run);
    } catch (...) {
      // Allocation failure while preparing the run; count it rather than lose the thread.
      ++failures_;
      log("handler `" + *run.command + "` for " + run.event->summary + ": internal error, not run");
    }
    {
      const std::lock_guard lock(mutex_);
      --running_;
    }
    idle_.notify_all();
  }
}

void EventHandlers::execute(const Run& run) {
  const QueuedEvent& queued = *run.event;
  ++runs_;
  HandlerCommand command;
  command.command = *run.command;
  // replace: a peer's name that is not valid UTF-8 must not make dump() throw.
  command.input = event_json(queued.event, queued.unix_ms).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  command.env = base_env_;
  for (std::string& entry : handler_env(queued.event, self_hex_)) command.env.push_back(std::move(entry));
  const std::string what = "handler `" + command.command + "` for " + queued.summary + ": ";
  auto started = HandlerProcess::start(command);
  if (!started.ok()) {
    ++failures_;
    log(what + started.error().message);
    return;
  }
  HandlerProcess& process = started.value();
  switch (supervise(process, Clock::now() + settings_.timeout)) {
    case Ending::exited:
      if (!exited_cleanly(process)) {
        ++failures_;
        log(what + describe_exit(process));
      }
      return;
    case Ending::timed_out:
      ++timeouts_;
      log(what + "timed out after " + std::to_string(settings_.timeout.count()) +
          " ms; killed it and its process group (" + describe_exit(process) + ")");
      return;
    case Ending::killed_at_stop:
      ++timeouts_;
      log(what + "still running at shutdown; killed it and its process group (" + describe_exit(process) + ")");
      return;
  }
}

// Waits for the run's end: its exit, its timeout, or stop()'s grace running out, whichever
// comes first. stop() can come at any moment, so the wait also watches wake_fd_.
EventHandlers::Ending EventHandlers::supervise(HandlerProcess& process, Clock::time_point timeout_at) {
  for (;;) {
    const bool stopping = stop_requested_.load();
    Clock::time_point deadline = timeout_at;
    if (stopping) deadline = std::min(deadline, Clock::time_point(Clock::duration(stop_deadline_.load())));
    const Clock::time_point now = Clock::now();
    if (now >= deadline) {
      process.terminate(kKillGrace);
      return deadline < timeout_at ? Ending::killed_at_stop : Ending::timed_out;
    }
    const Clock::time_point until = (stopping || wake_fd_ >= 0) ? deadline : std::min(deadline, now + kStopCheckInterval);
    if (process.wait_until(until, stopping ? -1 : wake_fd_)) return Ending::exited;
  }
}

void EventHandlers::log(const std::string& line) noexcept {
  try {
    if (log_) {
      log_(line);
      return;
    }
    const std::string text = "swell-agent: " + line + "\n";
    [[maybe_unused]] const ssize_t n = write_no_sigpipe(STDERR_FILENO, text);
  } catch (...) {
    // A log sink that throws loses its line, not the worker.
  }
}

}  // namespace swell::agent
