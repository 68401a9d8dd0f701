#include <doctest/doctest.h>

#include "agent/status_json.h"
#include "swell/counters.h"
#include "snapshot_builder.h"

using namespace swell;
using namespace swell::agent;
using swell::test::id_with;
using swell::test::SnapshotBuilder;

TEST_CASE("self_json: this member, its address, health, incarnation, counts and every counter") {
  AgentSnapshot s = SnapshotBuilder()
                        .add(id_with(1), "me", MemberState::alive, NodeType::proxy, 7)
                        .add(id_with(2), "other", MemberState::dead)
                        .build(id_with(1));
  s.local_health = 2;
  s.node.probes = 11;
  s.node.suspicions = 3;
  s.node.failed_verdicts = 1;
  s.transport.connections_refused = 4;
  DaemonCounters d;
  d.handler_failures = 5;
  const auto j = self_json(s, d);
  CHECK(j["id"] == id_with(1).to_hex());
  CHECK(j["member"]["name"] == "me");
  CHECK(j["member"]["node_type"] == "proxy");
  CHECK(j["swim_address"] == "10.0.0.1:7946");
  CHECK(j["health_score"] == 2);
  CHECK(j["incarnation"] == 7);
  CHECK(j["counts"]["alive"] == 1);
  CHECK(j["counts"]["dead"] == 1);
  CHECK(j["counts"]["suspect"] == 0);
  CHECK(j["node"]["probes"] == 11);
  CHECK(j["node"]["suspicions"] == 3);
  CHECK(j["node"]["failed_verdicts"] == 1);
  CHECK(j["transport"]["connections_refused"] == 4);
  CHECK(j["daemon"]["handler_failures"] == 5);
  CHECK(j["node"].size() == counters_of(NodeStats{}).size());  // every counter
  CHECK(j["transport"].size() == counters_of(TransportStats{}).size());
  CHECK(j["daemon"].size() == 9);
}

TEST_CASE("health_status: the documented rule, case by case") {
  const NodeId me = id_with(1);
  const AgentSnapshot alone = SnapshotBuilder().add(me, "me", MemberState::alive).build(me);
  const AgentSnapshot joined =
      SnapshotBuilder().add(me, "me", MemberState::alive).add(id_with(2), "b", MemberState::alive).build(me);
  const AgentSnapshot isolated = SnapshotBuilder()
                                     .add(me, "me", MemberState::alive)
                                     .add(id_with(2), "b", MemberState::dead)
                                     .add(id_with(3), "c", MemberState::suspect)
                                     .build(me);
  AgentSnapshot leaving = joined;
  leaving.leaving = true;
  AgentSnapshot stopped = joined;
  stopped.running = false;
  struct Case {
    const AgentSnapshot* snap;
    bool seeds;
    int http;
    const char* status;
  };
  const Case cases[] = {
      {nullptr, true, 503, "starting"},   {&stopped, false, 503, "stopped"}, {&leaving, false, 503, "leaving"},
      {&joined, true, 200, "joined"},     {&joined, false, 200, "joined"},   {&alone, false, 200, "joined"},
      {&alone, true, 503, "joining"},     {&isolated, true, 503, "isolated"}, {&isolated, false, 200, "joined"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.status);
    CAPTURE(c.seeds);
    const HealthStatus h = health_status(c.snap, c.seeds);
    CHECK(h.http_status == c.http);
    CHECK(h.body["status"] == c.status);
    CHECK(h.body["seeds_configured"] == c.seeds);
  }
  CHECK(health_status(&joined, true).body["alive_others"] == 1);
}
