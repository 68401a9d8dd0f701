// Fixtures for lib/agent's process tests: reading a file whole, waiting for a condition
// with a deadline (never a fixed sleep), and telling whether a process is gone.
#pragma once

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include <unistd.h>

#include "agent/temp_dir.h"

namespace swell::agent::testing {

using swell::test::TempDir;

/// The whole file, or "" when it does not exist.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Polls condition every few ms until it holds (true) or limit passes (false). The
/// limit only bounds a failing test; a passing one returns as soon as the condition holds.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

/// True when no process pid runs: /proc has no entry, or only a zombie awaiting its reaper.
inline bool process_gone(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return true;
  const auto paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

}  // namespace swell::agent::testing
