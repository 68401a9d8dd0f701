// The main demo: two fresh identities exchange one authenticated datagram of every
// message kind, and the receiver verifies, decodes and prints each.
#pragma once

#include <ostream>

namespace swell::agent {

/// Runs the demo, writing a readable transcript to out; returns a process exit code.
int run_wire_demo(std::ostream& out);

}  // namespace swell::agent
