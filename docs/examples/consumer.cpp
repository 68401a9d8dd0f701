// A C++ host of swell (include/swell/agent.h): consumer.c's program with the C++ API.
// Build against an installed swell:  c++ -std=c++20 consumer.cpp $(pkg-config --cflags --libs swell)
// The test suite builds and runs this very file (tests/capi/install_test.py).
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "swell/agent.h"

using namespace std::chrono_literals;

namespace {

// Starts one member on 127.0.0.1 with a port the kernel picks.
swell::Result<swell::Agent> start_member(const std::string& name, const std::vector<std::string>& seeds) {
  auto identity = swell::Identity::generate();  // a real host loads its key file
  if (!identity.ok()) return identity.error();
  swell::AgentOptions o;
  o.identity.emplace(std::move(identity).value());
  o.config = swell::Config::local();
  o.info.id = name;
  o.info.address = "127.0.0.1:3000";
  o.bind_address = "127.0.0.1:0";
  o.seeds = seeds;
  return swell::Agent::start(std::move(o));
}

// Waits until both agents see want alive members, or gives up at the deadline.
bool wait_until_alive(const swell::Agent& a, const swell::Agent& b, std::size_t want, std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (a.snapshot()->count(swell::MemberState::alive) != want ||
         b.snapshot()->count(swell::MemberState::alive) != want) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);  // polling interval, not a decision
  }
  return true;
}

// Prints every member of the agent's view.
void print_members(const std::string& name, const swell::Agent& agent) {
  auto snap = agent.snapshot();  // held while its members are read
  for (const swell::MemberSnapshot& m : *snap->members) {
    std::cout << name << " sees " << m.announcement->info.id << " " << m.id.short_hex() << " "
              << swell::to_string(m.state) << " swim=" << m.announcement->swim_address << "\n";
  }
}

}  // namespace

int main() {
  auto first = start_member("member-1", {});
  if (!first.ok()) {
    std::cerr << first.error().message << "\n";
    return 1;
  }
  auto second = start_member("member-2", {first.value().address()});
  if (!second.ok()) {
    std::cerr << second.error().message << "\n";
    return 1;
  }
  const bool ok = wait_until_alive(first.value(), second.value(), 2, 10s);
  if (!ok) std::cerr << "the members did not see each other within 10 s\n";
  print_members("member-1", first.value());
  print_members("member-2", second.value());
  if (auto left = second.value().leave(2s); !left.ok()) std::cerr << "leave: " << left.error().message << "\n";
  second.value().stop();
  first.value().stop();
  std::cout << (ok ? "consumer: ok" : "consumer: failed") << "\n";
  return ok ? 0 : 1;
}
