#include "agent/run_command.h"

#include <csignal>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "swell/agent.h"

namespace swell::agent {
namespace {

std::atomic<int> g_signal{0};

void on_signal(int sig) { g_signal.store(sig); }

nlohmann::json status_of(const AgentSnapshot& s) {
  nlohmann::json members = nlohmann::json::array();
  for (const MemberSnapshot& m : *s.members) {
    members.push_back({{"id", m.id.short_hex()},
                       {"name", m.announcement ? m.announcement->info.id : ""},
                       {"address", m.announcement ? m.announcement->swim_address : ""},
                       {"state", to_string(m.state)},
                       {"incarnation", m.incarnation}});
  }
  return {{"self", s.self.short_hex()},
          {"address", s.swim_address},
          {"version", s.version},
          {"alive", s.count(MemberState::alive)},
          {"suspect", s.count(MemberState::suspect)},
          {"dead", s.count(MemberState::dead)},
          {"left", s.count(MemberState::left)},
          {"members", members},
          {"datagrams_sent", s.transport.datagrams_sent},
          {"datagrams_received", s.transport.datagrams_received}};
}

// Writes next to the file and renames it over, so readers never see half a status.
void write_status(const std::string& path, const nlohmann::json& status) {
  if (path.empty()) {
    std::cout << status.dump() << std::endl;
    return;
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << status.dump() << "\n";
  }
  std::rename(tmp.c_str(), path.c_str());
}

Config preset(const std::string& name) {
  if (name == "wan") return Config::wan();
  if (name == "local") return Config::local();
  return Config::lan();
}

}  // namespace

int run_agent(const RunOptions& o) {
  AgentOptions a;
  a.key_file = o.key_file;
  a.config = preset(o.preset);
  a.info.id = o.name;
  a.info.address = o.advertise.empty() ? o.bind : o.advertise;
  a.bind_address = o.bind;
  a.advertise_address = o.advertise;
  a.seeds = o.seeds;
  a.event_queue_capacity = 0;
  auto agent = Agent::start(std::move(a));
  if (!agent.ok()) {
    std::cerr << "swell-agent: " << agent.error().message << "\n";
    return 1;
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::cerr << "swell-agent: " << agent.value().id().short_hex() << " running at " << agent.value().address() << "\n";
  while (g_signal.load() == 0) {
    write_status(o.status_file, status_of(*agent.value().snapshot()));
    std::this_thread::sleep_for(std::chrono::milliseconds(o.status_interval_ms));
  }
  if (auto left = agent.value().leave(std::chrono::seconds(2)); !left.ok()) {
    std::cerr << "swell-agent: " << left.error().message << "\n";
  }
  agent.value().stop();
  write_status(o.status_file, status_of(*agent.value().snapshot()));
  return 0;
}

}  // namespace swell::agent
