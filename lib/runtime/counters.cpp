#include "swell/counters.h"

namespace swell {

// tests/runtime/counters_test.cpp checks that every field of both structs is listed.
std::vector<Counter> counters_of(const NodeStats& s) {
  return {
      {"datagrams_sent", s.datagrams_sent},
      {"datagram_bytes_sent", s.datagram_bytes_sent},
      {"stream_bytes_sent", s.stream_bytes_sent},
      {"datagrams_received", s.datagrams_received},
      {"datagrams_dropped", s.datagrams_dropped},
      {"dropped_bad_mac", s.dropped_bad_mac},
      {"dropped_malformed", s.dropped_malformed},
      {"dropped_unknown_sender", s.dropped_unknown_sender},
      {"dropped_replayed", s.dropped_replayed},
      {"dropped_wrong_protection", s.dropped_wrong_protection},
      {"dropped_not_admitted", s.dropped_not_admitted},
      {"claims_rejected", s.claims_rejected},
      {"messages_rejected", s.messages_rejected},
      {"streams_rejected", s.streams_rejected},
      {"joins_refused", s.joins_refused},
      {"queue_drops", s.queue_drops},
      {"members_refused", s.members_refused},
      {"accusations_dropped", s.accusations_dropped},
      {"probes", s.probes},
      {"indirect_probes", s.indirect_probes},
      {"refutations", s.refutations},
      {"suspicions", s.suspicions},
      {"failed_verdicts", s.failed_verdicts},
      {"admission_refused_not_listed", s.admission_refused_not_listed},
      {"admission_refused_expired", s.admission_refused_expired},
      {"admission_refused_bad_certificate", s.admission_refused_bad_certificate},
      {"admission_refused_revoked", s.admission_refused_revoked},
      {"admission_refused_wrong_type", s.admission_refused_wrong_type},
      {"admission_refused_rotated", s.admission_refused_rotated},
      {"key_rotations", s.key_rotations},
      {"rotations_applied", s.rotations_applied},
      {"revocations_applied", s.revocations_applied},
      {"revocations_untrusted", s.revocations_untrusted},
      {"members_removed", s.members_removed},
      {"mode_switches", s.mode_switches},
  };
}

std::vector<Counter> counters_of(const TransportStats& s) {
  return {
      {"datagrams_sent", s.datagrams_sent},
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
      {"events_dropped", s.events_dropped},
  };
}

}  // namespace swell
