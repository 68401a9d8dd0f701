#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "agent/metrics.h"
#include "snapshot_builder.h"

using namespace swell;
using namespace swell::agent;
using swell::test::id_with;
using swell::test::SnapshotBuilder;

namespace {

// sample line ("name{labels}" or "name") -> value, checking each family's HELP and TYPE come first.
std::map<std::string, std::string> samples_of(const std::string& text, std::map<std::string, std::string>& types) {
  std::map<std::string, std::string> samples;
  std::map<std::string, bool> helped;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    REQUIRE_FALSE(line.empty());
    std::istringstream words(line);
    std::string first, second, third;
    words >> first >> second >> third;
    if (first == "#" && second == "HELP") {
      helped[third] = true;
    } else if (first == "#" && second == "TYPE") {
      CHECK(helped[third]);
      types[third] = line.substr(line.rfind(' ') + 1);
    } else {
      // Label values may hold spaces: the value is after the last one.
      const std::string series = line.substr(0, line.rfind(' '));
      const std::string name = series.substr(0, series.find('{'));
      CHECK_MESSAGE(types.count(name) == 1, name);
      samples[series] = line.substr(line.rfind(' ') + 1);
    }
  }
  return samples;
}

}  // namespace

TEST_CASE("prometheus_text: every family has HELP and TYPE, swell_ names, _total exactly on counters") {
  AgentSnapshot s = SnapshotBuilder()
                        .add(id_with(1), "me \"quoted\"", MemberState::alive, NodeType::proxy, 3)
                        .add(id_with(2), "b", MemberState::alive)
                        .add(id_with(3), "c", MemberState::dead)
                        .build(id_with(1));
  s.local_health = 2;
  s.node.probes = 40;
  s.node.suspicions = 2;
  s.node.failed_verdicts = 1;
  s.node.dropped_bad_mac = 5;
  s.node.claims_rejected = 6;
  s.node.joins_refused = 11;
  s.node.dropped_wrong_protection = 12;
  s.node.admission_refused_revoked = 13;
  s.node.admission_refused_expired = 14;
  s.node.revocations_applied = 15;
  s.node.mode_switches = 2;
  s.node.accusations_dropped = 16;
  s.transport.datagram_bytes_sent = 1234;
  s.transport.connections_timed_out = 7;
  s.transport.events_dropped = 8;
  DaemonCounters d;
  d.handler_runs = 9;
  d.handler_failures = 1;
  std::map<std::string, std::string> types;
  const auto samples = samples_of(prometheus_text(s, d), types);
  for (const auto& [name, type] : types) {
    CAPTURE(name);
    CHECK(name.rfind("swell_", 0) == 0);
    const bool total = name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0;
    CHECK(total == (type == "counter"));
    CHECK((type == "counter" || type == "gauge"));
  }
  CHECK(samples.at("swell_members{state=\"alive\"}") == "2");
  CHECK(samples.at("swell_members{state=\"dead\"}") == "1");
  CHECK(samples.at("swell_members{state=\"left\"}") == "0");
  CHECK(samples.at("swell_health_score") == "2");
  CHECK(samples.at("swell_incarnation") == "3");
  CHECK(samples.at("swell_probes_total") == "40");
  CHECK(samples.at("swell_suspicions_total") == "2");
  CHECK(samples.at("swell_failed_verdicts_total") == "1");
  CHECK(samples.at("swell_rejects_total{reason=\"bad_mac\"}") == "5");
  CHECK(samples.at("swell_rejects_total{reason=\"wrong_protection\"}") == "12");
  CHECK(samples.at("swell_joins_refused_total") == "11");
  CHECK(samples.at("swell_admission_refused_total{reason=\"revoked\"}") == "13");
  CHECK(samples.at("swell_admission_refused_total{reason=\"expired\"}") == "14");
  CHECK(samples.at("swell_admission_refused_total{reason=\"not_listed\"}") == "0");
  CHECK(samples.at("swell_revocations_applied_total") == "15");
  CHECK(samples.at("swell_mode_switches_total") == "2");
  CHECK(samples.at("swell_accusations_dropped_total") == "16");
  CHECK(samples.at("swell_rejects_total{reason=\"claim\"}") == "6");
  for (const char* reason : {"malformed", "unknown_sender", "replayed", "message", "stream"}) {
    CHECK(samples.count(std::string("swell_rejects_total{reason=\"") + reason + "\"}") == 1);
  }
  CHECK(samples.at("swell_datagram_sent_bytes_total") == "1234");
  CHECK(samples.at("swell_stream_connections_timed_out_total") == "7");
  CHECK(samples.at("swell_events_dropped_total") == "8");
  CHECK(samples.at("swell_event_handler_runs_total") == "9");
  CHECK(samples.at("swell_event_handler_failures_total") == "1");
  // The name label escapes its quotes.
  bool info_found = false;
  for (const auto& [line, value] : samples) {
    if (line.rfind("swell_info{", 0) == 0) {
      info_found = true;
      CHECK(line.find("name=\"me \\\"quoted\\\"\"") != std::string::npos);
    }
  }
  CHECK(info_found);
}
