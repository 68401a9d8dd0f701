#include "agent/run_command.h"

#include <csignal>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "agent/daemon.h"
#include "agent/query_commands.h"

namespace swell::agent {
namespace {

std::atomic<int> g_stop_signal{0};
std::atomic<bool> g_reload{false};

void on_stop_signal(int sig) { g_stop_signal.store(sig); }
void on_reload_signal(int) { g_reload.store(true); }

// How often the main thread moves events on: their delay to the log and handlers.
constexpr std::chrono::milliseconds kPumpInterval{20};

int exit_code_for(const Error& e) {
  // A setting or key the operator must fix is a usage error; the rest is run time.
  return e.code == ErrorCode::io || e.code == ErrorCode::crypto ? kExitFailure : kExitUsage;
}

}  // namespace

int run_daemon(const RunFlags& flags) {
  // Installed before start, so a signal during the join is not lost.
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGHUP, on_reload_signal);
  auto daemon = Daemon::start(flags);
  if (!daemon.ok()) {
    std::cerr << "swell-agent: " << daemon.error().message << "\n";
    return exit_code_for(daemon.error());
  }
  Daemon& d = *daemon.value();
  while (g_stop_signal.load() == 0 && !d.leave_requested()) {
    if (g_reload.exchange(false)) d.reload();
    d.pump();
    std::this_thread::sleep_for(kPumpInterval);
  }
  if (const int sig = g_stop_signal.load(); sig != 0) d.log().log_line(std::string("got ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
  return d.shutdown();
}

}  // namespace swell::agent
