#include "agent/status_json.h"

#include "agent/member_json.h"

namespace swell::agent {

nlohmann::json node_stats_json(const NodeStats& s) {
  return {{"datagrams_sent", s.datagrams_sent},
          {"datagram_bytes_sent", s.datagram_bytes_sent},
          {"stream_bytes_sent", s.stream_bytes_sent},
          {"datagrams_received", s.datagrams_received},
          {"datagrams_dropped", s.datagrams_dropped},
          {"dropped_bad_mac", s.dropped_bad_mac},
          {"dropped_malformed", s.dropped_malformed},
          {"dropped_unknown_sender", s.dropped_unknown_sender},
          {"dropped_replayed", s.dropped_replayed},
          {"claims_rejected", s.claims_rejected},
          {"messages_rejected", s.messages_rejected},
          {"streams_rejected", s.streams_rejected},
          {"queue_drops", s.queue_drops},
          {"members_refused", s.members_refused},
          {"accusations_dropped", s.accusations_dropped},
          {"probes", s.probes},
          {"indirect_probes", s.indirect_probes},
          {"refutations", s.refutations},
          {"suspicions", s.suspicions},
          {"failed_verdicts", s.failed_verdicts}};
}

nlohmann::json transport_stats_json(const TransportStats& s) {
  return {{"datagrams_sent", s.datagrams_sent},
          {"datagram_bytes_sent", s.datagram_bytes_sent},
          {"datagrams_received", s.datagrams_received},
          {"datagram_bytes_received", s.datagram_bytes_received},
          {"datagrams_injected_drops", s.datagrams_injected_drops},
          {"datagrams_oversized", s.datagrams_oversized},
          {"send_errors", s.send_errors},
          {"stream_bytes_sent", s.stream_bytes_sent},
          {"stream_bytes_received", s.stream_bytes_received},
          {"connections_accepted", s.connections_accepted},
          {"connections_made", s.connections_made},
          {"connections_refused", s.connections_refused},
          {"connections_timed_out", s.connections_timed_out},
          {"connections_failed", s.connections_failed},
          {"streams_oversized", s.streams_oversized},
          {"streams_rejected", s.streams_rejected},
          {"events_dropped", s.events_dropped}};
}

nlohmann::json daemon_counters_json(const DaemonCounters& c) {
  return {{"handler_runs", c.handler_runs},
          {"handler_failures", c.handler_failures},
          {"handler_timeouts", c.handler_timeouts},
          {"handler_dropped", c.handler_dropped},
          {"event_lines_written", c.event_lines_written},
          {"event_write_errors", c.event_write_errors}};
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
