#include "agent/metrics.h"

#include <cstdint>
#include <string_view>
#include <utility>

namespace swell::agent {
namespace {

// Builds one exposition: a family's HELP and TYPE lines, then its samples.
class Exposition {
 public:
  /// Starts a metric family.
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  }
  /// One sample; labels is empty or `key="value",...` already escaped.
  void sample(std::string_view name, std::string_view labels, std::uint64_t value) {
    out_.append(name);
    if (!labels.empty()) out_.append("{").append(labels).append("}");
    out_.append(" ").append(std::to_string(value)).append("\n");
  }
  /// A family of one unlabelled sample.
  void single(std::string_view name, std::string_view type, std::string_view help, std::uint64_t value) {
    family(name, type, help);
    sample(name, "", value);
  }
  /// The text so far.
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Label values may hold any UTF-8; the format escapes backslash, quote and newline.
std::string label_value(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void membership(Exposition& x, const AgentSnapshot& s) {
  x.family("swell_members", "gauge", "Members in this node's view by state, this node included.");
  for (MemberState st : {MemberState::alive, MemberState::suspect, MemberState::dead, MemberState::left}) {
    x.sample("swell_members", std::string("state=\"") + to_string(st) + "\"", s.count(st));
  }
  const MemberSnapshot* self = s.find(s.self);
  x.family("swell_info", "gauge", "Always 1; its labels name this node.");
  std::string labels = "id=\"" + s.self.to_hex() + "\"";
  if (self != nullptr && self->announcement) {
    const PeerInfo& info = self->announcement->info;
    labels += ",name=\"" + label_value(info.id) + "\",node_type=\"" + std::string(to_string(info.node_type)) + "\"";
  }
  x.sample("swell_info", labels, 1);
  x.single("swell_incarnation", "gauge", "This node's incarnation (a refutation or a PeerInfo update raises it).",
           self != nullptr ? self->incarnation : 0);
  x.single("swell_leaving", "gauge", "1 once a graceful leave has begun, else 0.", s.leaving ? 1 : 0);
  x.single("swell_health_score", "gauge",
           "Lifeguard local health score: 0 is healthy; each point stretches probe timeouts.",
           static_cast<std::uint64_t>(s.local_health < 0 ? 0 : s.local_health));
}

void protocol(Exposition& x, const NodeStats& n) {
  x.single("swell_probes_total", "counter", "Probes this node started.", n.probes);
  x.single("swell_indirect_probes_total", "counter", "Probes that needed indirect probes (ping-req).",
           n.indirect_probes);
  x.single("swell_suspicions_total", "counter", "Members this node began to suspect.", n.suspicions);
  x.single("swell_refutations_total", "counter", "Times this node refuted a suspicion of itself.", n.refutations);
  x.single("swell_failed_verdicts_total", "counter", "Members this node declared or accepted as failed.",
           n.failed_verdicts);
  x.family("swell_rejects_total", "counter", "Inputs rejected, by reason.");
  const std::pair<const char*, std::uint64_t> reasons[] = {
      {"bad_mac", n.dropped_bad_mac},     {"malformed", n.dropped_malformed},
      {"unknown_sender", n.dropped_unknown_sender}, {"replayed", n.dropped_replayed},
      {"claim", n.claims_rejected},       {"message", n.messages_rejected},
      {"stream", n.streams_rejected},    {"wrong_protection", n.dropped_wrong_protection}};
  for (const auto& [reason, value] : reasons) {
    x.sample("swell_rejects_total", std::string("reason=\"") + reason + "\"", value);
  }
  x.single("swell_joins_refused_total", "counter",
           "Join requests refused because the joiner's own claim did not verify (another cluster label, or a forgery); "
           "also counted in swell_rejects_total{reason=\"stream\"}.",
           n.joins_refused);
  x.single("swell_dissemination_queue_drops_total", "counter", "Updates dropped from a full dissemination queue.",
           n.queue_drops);
  x.single("swell_members_refused_total", "counter", "Joins refused because the member table was full.",
           n.members_refused);
  x.single("swell_accusations_dropped_total", "counter",
           "Suspect and dead claims dropped because their author keeps accusing members that refute.",
           n.accusations_dropped);
}

// Admission, revocation and the mode selector (docs/security.md, docs/majority.md).
void admission_and_mode(Exposition& x, const NodeStats& n) {
  x.family("swell_admission_refused_total", "counter",
           "Datagrams, streams and claims refused because their key is not admitted, by reason.");
  const std::pair<const char*, std::uint64_t> reasons[] = {
      {"not_listed", n.admission_refused_not_listed}, {"expired", n.admission_refused_expired},
      {"bad_certificate", n.admission_refused_bad_certificate}, {"revoked", n.admission_refused_revoked},
      {"wrong_type", n.admission_refused_wrong_type},
      {"rotated", n.admission_refused_rotated}};
  for (const auto& [reason, value] : reasons) {
    x.sample("swell_admission_refused_total", std::string("reason=\"") + reason + "\"", value);
  }
  x.single("swell_dropped_not_admitted_total", "counter",
           "Datagrams dropped unread because their sender's key was refused before.", n.dropped_not_admitted);
  x.single("swell_revocations_applied_total", "counter", "Distinct CA-signed revocations this node applied.",
           n.revocations_applied);
  x.single("swell_revocations_untrusted_total", "counter",
           "Revocations dropped because no trusted CA signed them.", n.revocations_untrusted);
  x.single("swell_members_removed_total", "counter",
           "Members removed because they are no longer admitted (revoked, expired, struck off the allow-list).",
           n.members_removed);
  x.single("swell_mode_switches_total", "counter",
           "Mode decisions that switched this node between majority and SWIM failure detection.", n.mode_switches);
}

void transport(Exposition& x, const TransportStats& t) {
  x.single("swell_datagrams_sent_total", "counter", "UDP datagrams handed to the kernel.", t.datagrams_sent);
  x.single("swell_datagram_sent_bytes_total", "counter", "Bytes of the UDP datagrams sent.", t.datagram_bytes_sent);
  x.single("swell_datagrams_received_total", "counter", "UDP datagrams read from the socket.", t.datagrams_received);
  x.single("swell_datagram_received_bytes_total", "counter", "Bytes of the UDP datagrams received.",
           t.datagram_bytes_received);
  x.single("swell_datagrams_oversized_total", "counter", "Inbound datagrams over max_datagram_bytes, dropped unread.",
           t.datagrams_oversized);
  x.single("swell_send_errors_total", "counter", "UDP sends the kernel refused, or addresses that did not parse.",
           t.send_errors);
  x.single("swell_stream_sent_bytes_total", "counter", "TCP stream bytes written.", t.stream_bytes_sent);
  x.single("swell_stream_received_bytes_total", "counter", "TCP stream bytes read.", t.stream_bytes_received);
  x.single("swell_stream_connections_accepted_total", "counter", "Inbound TCP connections served.",
           t.connections_accepted);
  x.single("swell_stream_connections_made_total", "counter", "Outbound TCP connections established.",
           t.connections_made);
  x.single("swell_stream_connections_refused_total", "counter",
           "Inbound TCP connections closed at once for exceeding max_inbound_streams.", t.connections_refused);
  x.single("swell_stream_connections_timed_out_total", "counter",
           "TCP connections (either way) closed at the stream timeout.", t.connections_timed_out);
  x.single("swell_stream_connections_failed_total", "counter",
           "Outbound TCP connects or exchanges that failed before the timeout.", t.connections_failed);
  x.single("swell_streams_oversized_total", "counter", "TCP streams whose length prefix exceeded max_stream_bytes.",
           t.streams_oversized);
  x.single("swell_events_dropped_total", "counter",
           "Membership events not queued for the daemon because the agent's event queue was full.", t.events_dropped);
}

void daemon_counters(Exposition& x, const DaemonCounters& d) {
  x.single("swell_event_handler_runs_total", "counter", "Event handler commands started.", d.handler_runs);
  x.single("swell_event_handler_failures_total", "counter",
           "Event handler runs that exited non-zero or were killed by a signal.", d.handler_failures);
  x.single("swell_event_handler_timeouts_total", "counter",
           "Event handler runs killed for exceeding the handler timeout.", d.handler_timeouts);
  x.single("swell_event_handler_dropped_total", "counter",
           "Event handler runs dropped because the handler queue was full.", d.handler_dropped);
  x.single("swell_event_lines_written_total", "counter", "JSON event lines written to stdout or the events file.",
           d.event_lines_written);
  x.single("swell_event_line_write_errors_total", "counter", "JSON event lines that could not be written.",
           d.event_write_errors);
  x.single("swell_allowlist_reloads_total", "counter", "SIGHUP reloads that applied the allow-list file.",
           d.allowlist_reloads);
  x.single("swell_allowlist_reload_failures_total", "counter",
           "SIGHUP reloads of the allow-list file refused (unreadable, a bad line); the old list stays.",
           d.allowlist_reload_failures);
  x.single("swell_revoked_keys_save_errors_total", "counter",
           "Failed writes of the data directory's revoked-keys.txt (retried at the next change).", d.revoked_save_errors);
}

}  // namespace

std::string prometheus_text(const AgentSnapshot& snapshot, const DaemonCounters& daemon) {
  Exposition x;
  membership(x, snapshot);
  protocol(x, snapshot.node);
  admission_and_mode(x, snapshot.node);
  transport(x, snapshot.transport);
  daemon_counters(x, daemon);
  return x.take();
}

}  // namespace swell::agent
