// `swell-agent run`: one cluster member as a process. It runs a swell::Agent on its own
// loop thread, writes the membership to a status file (JSON, replaced atomically) at a
// fixed interval, and on SIGTERM or SIGINT leaves gracefully and stops.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace swell::agent {

/// What `swell-agent run` was asked to do.
struct RunOptions {
  std::string key_file;               ///< Identity key file (see `swell-agent keygen`).
  std::string name;                   ///< PeerInfo id.
  std::string bind = "0.0.0.0:7946";  ///< UDP and TCP bind address.
  std::string advertise;              ///< Address peers use; required for 0.0.0.0.
  std::vector<std::string> seeds;     ///< Members to join through.
  std::string preset = "lan";         ///< Config preset: lan, wan or local.
  std::string status_file;            ///< Where to write the membership; empty: stdout lines.
  int status_interval_ms = 200;       ///< How often to write it.
};

/// Runs until a signal; returns a process exit code (errors are printed to stderr).
int run_agent(const RunOptions& options);

}  // namespace swell::agent
