// Real agents on 127.0.0.1 port 0 through the C ABI: start, snapshot and iteration,
// set_local_info, events by callback and by polling, failure with evidence, leave,
// stop and free. Every outcome is awaited by condition with a deadline.
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
#include <string>

#include "capi_fixtures.h"

using namespace std::chrono_literals;
using capi_test::AgentHandle;
using capi_test::count_now;
using capi_test::EventRecorder;
using capi_test::start;
using capi_test::wait_for;

namespace {

// The metadata of member_hex in agent's current snapshot ("" if unknown).
std::string metadata_seen(const swell_agent* agent, const std::string& member_hex) {
  swell_snapshot* snap = swell_agent_snapshot(agent);
  std::string out;
  for (std::size_t i = 0; i < swell_snapshot_member_count(snap); ++i) {
    swell_member m;
    REQUIRE(swell_snapshot_member(snap, i, &m) == SWELL_OK);
    if (m.node_id_hex == member_hex) out.assign(reinterpret_cast<const char*>(m.metadata), m.metadata_len);
  }
  swell_snapshot_free(snap);
  return out;
}

}  // namespace

TEST_CASE("two agents join, snapshot and iterate, update, poll, fail with evidence, leave and free") {
  EventRecorder seen_by_a;
  AgentHandle a;
  swell_agent_options oa = capi_test::loopback_options("capi-a");
  oa.address = "127.0.0.1:3000";
  oa.node_type = SWELL_NODE_PROXY;
  oa.metrics_port = 9100;
  oa.on_event = &EventRecorder::callback;
  oa.on_event_user_data = &seen_by_a;
  start(oa, a);
  const std::string a_hex = swell_agent_id(a.agent);
  const std::string a_address = swell_agent_address(a.agent);
  CHECK(a_hex.size() == 64);
  CHECK(a_address.rfind("127.0.0.1:", 0) == 0);
  CHECK(a_address != "127.0.0.1:0");  // the bound port is filled in

  AgentHandle b;
  swell_agent_options ob = capi_test::loopback_options("capi-b");
  const char* seeds[] = {a_address.c_str()};
  ob.seeds = seeds;
  ob.seed_count = 1;
  ob.is_load_balancer = 1;
  start(ob, b);
  const std::string b_hex = swell_agent_id(b.agent);

  REQUIRE(wait_for([&] { return count_now(a.agent, SWELL_STATE_ALIVE) == 2 && count_now(b.agent, SWELL_STATE_ALIVE) == 2; },
                   10s));
  CHECK(seen_by_a.wait(SWELL_EVENT_JOINED, b_hex, 10s).has_value());

  SUBCASE("the snapshot lists both members, sorted, with their announcements") {
    swell_snapshot* snap = swell_agent_snapshot(b.agent);
    REQUIRE(snap != nullptr);
    REQUIRE(swell_snapshot_member_count(snap) == 2);
    CHECK(swell_snapshot_count(snap, SWELL_STATE_ALIVE) == 2);
    CHECK(swell_snapshot_count(snap, SWELL_STATE_DEAD) == 0);
    CHECK(swell_snapshot_local_health(snap) == 0);
    swell_member first;
    swell_member second;
    REQUIRE(swell_snapshot_member(snap, 0, &first) == SWELL_OK);
    REQUIRE(swell_snapshot_member(snap, 1, &second) == SWELL_OK);
    CHECK(std::memcmp(first.node_id, second.node_id, 32) < 0);
    CHECK(swell_snapshot_member(snap, 2, &second) == SWELL_EINVAL);
    CHECK(std::string(swell_last_error_message()).find("index 2 is past the end (2 members)") != std::string::npos);
    const swell_member& ma = first.node_id_hex == a_hex ? first : second;
    const swell_member& mb = first.node_id_hex == a_hex ? second : first;
    CHECK(std::string(ma.id) == "capi-a");
    CHECK(std::string(ma.address) == "127.0.0.1:3000");
    CHECK(std::string(ma.swim_address) == a_address);
    CHECK(ma.node_type == SWELL_NODE_PROXY);
    CHECK(ma.metrics_port == 9100);
    CHECK(ma.is_load_balancer == 0);
    CHECK(ma.state == SWELL_STATE_ALIVE);
    CHECK(ma.incarnation >= 1);
    CHECK(ma.last_updated_ms > 0);
    CHECK(ma.metadata == nullptr);
    CHECK(ma.metadata_len == 0);
    CHECK(std::string(mb.id) == "capi-b");
    CHECK(std::string(mb.address) == swell_agent_address(b.agent));  // NULL address: the swim address
    CHECK(mb.is_load_balancer == 1);
    CHECK(mb.node_type == SWELL_NODE_BACKEND);
    // A snapshot outlives its agent: its strings live in the snapshot, not the agent.
    swell_agent_free(b.agent);
    b.agent = nullptr;
    CHECK(std::string(ma.id) == "capi-a");
    CHECK(swell_snapshot_member_count(snap) == 2);
    swell_snapshot_free(snap);
  }

  SUBCASE("set_local_info spreads new metadata: the snapshot and the callback see it") {
    swell_agent_options info = ob;
    const std::uint8_t load[] = {'l', 'o', 'a', 'd', '=', '3'};
    info.metadata = load;
    info.metadata_len = sizeof load;
    REQUIRE(swell_agent_set_local_info(b.agent, &info) == SWELL_OK);
    CHECK(wait_for([&] { return metadata_seen(a.agent, b_hex) == "load=3"; }, 10s));
    const auto updated = seen_by_a.wait(SWELL_EVENT_UPDATED, b_hex, 10s);
    REQUIRE(updated.has_value());
    CHECK(updated->metadata == "load=3");
    CHECK(updated->id == "capi-b");
    info.id = "has space";
    CHECK(swell_agent_set_local_info(b.agent, &info) == SWELL_EPEER_INFO);
    info.id = nullptr;
    CHECK(swell_agent_set_local_info(b.agent, &info) == SWELL_EINVAL);
    info = ob;
    info.size = 0;
    CHECK(swell_agent_set_local_info(b.agent, &info) == SWELL_EINVAL);
  }

  SUBCASE("poll_event returns the queued events, then SWELL_EAGAIN") {
    swell_event e;
    bool joined_b = false;
    // The loop queues an event just after the callback returns: poll until it is there.
    CHECK(wait_for([&] {
      while (swell_agent_poll_event(a.agent, &e) == SWELL_OK) {
        if (e.kind == SWELL_EVENT_JOINED && e.member.node_id_hex == b_hex) {
          joined_b = true;
          CHECK(std::string(e.member.id) == "capi-b");  // valid until the next poll
          CHECK(e.member.state == SWELL_STATE_ALIVE);
        }
      }
      return joined_b;
    }, 10s));
    CHECK(swell_agent_poll_event(a.agent, &e) == SWELL_EAGAIN);
    CHECK(std::string(swell_strerror(SWELL_EAGAIN)) == "again");
  }

  SUBCASE("a stopped member is declared failed, with evidence") {
    REQUIRE(swell_agent_stop(b.agent) == SWELL_OK);
    REQUIRE(swell_agent_stop(b.agent) == SWELL_OK);  // idempotent
    const auto failed = seen_by_a.wait(SWELL_EVENT_FAILED, b_hex, 30s);
    REQUIRE(failed.has_value());
    CHECK(failed->has_evidence);
    CHECK(std::string(failed->evidence.declared_by_hex) == a_hex);  // two members: a itself decided
    CHECK(std::strlen(failed->evidence.first_suspected_by_hex) == 64);
    CHECK(failed->evidence.probed_by_us == 1);
    CHECK(failed->evidence.timeout_s > 0);
    // The callback runs before the loop republishes the snapshot: wait for it.
    CHECK(wait_for([&] { return count_now(a.agent, SWELL_STATE_DEAD) == 1; }, 10s));
    CHECK(swell_agent_leave(b.agent, 100) == SWELL_ENOT_RUNNING);
    // The operator retires it: held as left, no more reconnect attempts.
    CHECK(swell_agent_force_leave(a.agent, "not-hex") == SWELL_EINVAL);
    CHECK(std::string(swell_last_error_message()).find("node_id_hex") != std::string::npos);
    CHECK(swell_agent_force_leave(a.agent, std::string(64, 'e').c_str()) == SWELL_EUNKNOWN_MEMBER);
    CHECK(swell_agent_force_leave(a.agent, nullptr) == SWELL_EINVAL);
    REQUIRE_MESSAGE(swell_agent_force_leave(a.agent, b_hex.c_str()) == SWELL_OK, swell_last_error_message());
    CHECK(seen_by_a.wait(SWELL_EVENT_LEFT, b_hex, 10s).has_value());
    CHECK(wait_for([&] { return count_now(a.agent, SWELL_STATE_LEFT) == 1; }, 10s));
    CHECK(swell_agent_address(b.agent) != nullptr);  // still answers after stop
  }

  SUBCASE("force_leave refuses a member that is alive here") {
    CHECK(swell_agent_force_leave(a.agent, b_hex.c_str()) == SWELL_EINVAL);
    CHECK(count_now(a.agent, SWELL_STATE_ALIVE) == 2);
  }

  SUBCASE("a graceful leave is seen as left, not failed") {
    REQUIRE(swell_agent_leave(b.agent, 2000) == SWELL_OK);
    CHECK(seen_by_a.wait(SWELL_EVENT_LEFT, b_hex, 10s).has_value());
    CHECK(wait_for([&] { return count_now(a.agent, SWELL_STATE_LEFT) == 1; }, 10s));
    REQUIRE(swell_agent_stop(b.agent) == SWELL_OK);
  }
  REQUIRE(swell_agent_leave(a.agent, 500) == SWELL_OK);
  REQUIRE(swell_agent_stop(a.agent) == SWELL_OK);
}

TEST_CASE("leave, stop and free are refused from the agent's own callback") {
  struct Attempts {
    std::atomic<swell_agent*> self{nullptr};
    std::atomic<bool> tried{false};
    swell_status leave = SWELL_OK;
    swell_status stop = SWELL_OK;
    std::string free_message;
    swell_status set_info = SWELL_EINTERNAL;
    swell_status join = SWELL_OK;
    swell_status force_leave = SWELL_OK;
  } attempts;
  EventRecorder recorder;
  recorder.on_each = [&](const swell_event*) {
    swell_agent* self = attempts.self.load();
    if (self == nullptr || attempts.tried.exchange(true)) return;
    attempts.leave = swell_agent_leave(self, 100);
    attempts.stop = swell_agent_stop(self);
    const char* seeds[] = {"127.0.0.1:9"};
    attempts.join = swell_agent_join(self, seeds, 1);
    attempts.force_leave = swell_agent_force_leave(self, swell_agent_id(self));
    swell_agent_free(self);  // refused: self stays usable
    attempts.free_message = swell_last_error_message();
    swell_agent_options info = capi_test::loopback_options("capi-self");
    attempts.set_info = swell_agent_set_local_info(self, &info);  // non-blocking: allowed
  };
  AgentHandle a;
  swell_agent_options oa = capi_test::loopback_options("capi-self");
  oa.on_event = &EventRecorder::callback;
  oa.on_event_user_data = &recorder;
  start(oa, a);
  attempts.self = a.agent;
  AgentHandle b;
  swell_agent_options ob = capi_test::loopback_options("capi-other");
  const std::string a_address = swell_agent_address(a.agent);
  const char* seeds[] = {a_address.c_str()};
  ob.seeds = seeds;
  ob.seed_count = 1;
  start(ob, b);
  REQUIRE(recorder.wait(SWELL_EVENT_JOINED, swell_agent_id(b.agent), 10s).has_value());
  REQUIRE(attempts.tried.load());
  CHECK(attempts.leave == SWELL_EWRONG_STATE);
  CHECK(attempts.stop == SWELL_EWRONG_STATE);
  CHECK(attempts.join == SWELL_EWRONG_STATE);
  CHECK(attempts.force_leave == SWELL_EWRONG_STATE);
  CHECK(attempts.free_message.find("swell_agent_free: called from this agent's event callback") == 0);
  CHECK(attempts.set_info == SWELL_OK);
  CHECK(count_now(a.agent, SWELL_STATE_ALIVE) >= 1);  // still running after the refused calls
}

TEST_CASE("an agent without a queue never has an event to poll, and one can be freed running") {
  AgentHandle a;
  swell_agent_options o = capi_test::loopback_options("capi-noqueue");
  o.event_queue_capacity = 0;
  start(o, a);
  swell_event e;
  CHECK(swell_agent_poll_event(a.agent, &e) == SWELL_EAGAIN);
  swell_agent_free(a.agent);  // running: free stops it first
  a.agent = nullptr;
}

TEST_CASE("swell_agent_join merges two lone agents; bad seeds are SWELL_EINVAL") {
  AgentHandle a, b;
  start(capi_test::loopback_options("lone-a"), a);
  start(capi_test::loopback_options("lone-b"), b);
  CHECK(swell_agent_join(b.agent, nullptr, 0) == SWELL_EINVAL);
  CHECK(swell_agent_join(b.agent, nullptr, 1) == SWELL_EINVAL);
  const char* bad[] = {"no-port"};
  CHECK(swell_agent_join(b.agent, bad, 1) == SWELL_EINVAL);
  const char* with_null[] = {nullptr};
  CHECK(swell_agent_join(b.agent, with_null, 1) == SWELL_EINVAL);
  CHECK(count_now(b.agent, SWELL_STATE_ALIVE) == 1);
  const std::string a_address = swell_agent_address(a.agent);
  const char* seeds[] = {a_address.c_str()};
  REQUIRE_MESSAGE(swell_agent_join(b.agent, seeds, 1) == SWELL_OK, swell_last_error_message());
  CHECK(wait_for([&] { return count_now(a.agent, SWELL_STATE_ALIVE) == 2 && count_now(b.agent, SWELL_STATE_ALIVE) == 2; },
                 10s));
}
