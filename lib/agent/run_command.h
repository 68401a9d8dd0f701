// `swell-agent run`: the daemon's process. It starts a Daemon, then its main thread
// moves events on and watches for signals: SIGTERM and SIGINT leave gracefully and exit
// 0, SIGHUP reloads the config file. docs/agent.md has the flags and the exit codes.
#pragma once

#include "agent/agent_config.h"

namespace swell::agent {

/// Runs until a signal or PUT /v1/leave; returns the process exit code.
int run_daemon(const RunFlags& flags);

}  // namespace swell::agent
