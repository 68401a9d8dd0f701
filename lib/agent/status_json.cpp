#include "agent/status_json.h"

#include "agent/member_json.h"
#include "swell/counters.h"

namespace swell::agent {

namespace {

nlohmann::json counters_json(const std::vector<Counter>& counters) {
  nlohmann::json out = nlohmann::json::object();
  for (const Counter& c : counters) out[std::string(c.name)] = c.value;
  return out;
}

}  // namespace

nlohmann::json node_stats_json(const NodeStats& s) { return counters_json(counters_of(s)); }

nlohmann::json transport_stats_json(const TransportStats& s) { return counters_json(counters_of(s)); }

nlohmann::json daemon_counters_json(const DaemonCounters& c) {
  return {{"handler_runs", c.handler_runs},
          {"handler_failures", c.handler_failures},
          {"handler_timeouts", c.handler_timeouts},
          {"handler_dropped", c.handler_dropped},
          {"event_lines_written", c.event_lines_written},
          {"event_write_errors", c.event_write_errors},
          {"allowlist_reloads", c.allowlist_reloads},
          {"allowlist_reload_failures", c.allowlist_reload_failures},
          {"revoked_save_errors", c.revoked_save_errors}};
}

nlohmann::json self_json(const AgentSnapshot& s, const DaemonCounters& counters) {
  const MemberSnapshot* self = s.find(s.self);
  nlohmann::json counts = nlohmann::json::object();
  for (MemberState st : {MemberState::alive, MemberState::suspect, MemberState::dead, MemberState::left}) {
    counts[to_string(st)] = s.count(st);
  }
  return {{"id", s.self.to_hex()},
          {"member", self != nullptr ? member_json(*self) : nlohmann::json(nullptr)},
          {"swim_address", s.swim_address},
          {"health_score", s.local_health},
          {"incarnation", self != nullptr ? self->incarnation : 0},
          {"running", s.running},
          {"leaving", s.leaving},
          {"snapshot_version", s.version},
          {"counts", counts},
          {"node", node_stats_json(s.node)},
          {"transport", transport_stats_json(s.transport)},
          {"daemon", daemon_counters_json(counters)}};
}

HealthStatus health_status(const AgentSnapshot* s, bool seeds_configured) {
  auto answer = [&](int code, const char* status, std::size_t alive_others) {
    return HealthStatus{code, {{"status", status}, {"alive_others", alive_others},
                               {"seeds_configured", seeds_configured}}};
  };
  if (s == nullptr) return answer(503, "starting", 0);
  if (!s->running) return answer(503, "stopped", 0);
  if (s->leaving) return answer(503, "leaving", 0);
  const MemberSnapshot* self = s->find(s->self);
  const bool self_alive = self != nullptr && self->state == MemberState::alive;
  const std::size_t alive = s->count(MemberState::alive);
  const std::size_t alive_others = alive - (self_alive && alive > 0 ? 1 : 0);
  if (alive_others > 0 || !seeds_configured) return answer(200, "joined", alive_others);
  const std::size_t known = s->members ? s->members->size() : 0;
  const std::size_t known_others = known - (self != nullptr && known > 0 ? 1 : 0);
  return answer(503, known_others > 0 ? "isolated" : "joining", 0);
}

}  // namespace swell::agent
