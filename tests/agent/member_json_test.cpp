#include <doctest/doctest.h>

#include <memory>

#include "agent/member_json.h"
#include "agent/tags.h"

using namespace swell;
using namespace swell::agent;

namespace {

std::shared_ptr<const Announcement> announcement(Bytes metadata) {
  auto a = std::make_shared<Announcement>();
  a->info.id = "backend-7";
  a->info.address = "10.0.3.7:3000";
  a->info.metrics_port = 9090;
  a->info.node_type = NodeType::backend;
  a->info.metadata = std::move(metadata);
  a->swim_address = "10.0.3.7:7946";
  return a;
}

}  // namespace

TEST_CASE("member_json carries the PeerInfo fields and the tags") {
  MemberSnapshot m;
  std::array<std::uint8_t, NodeId::kSize> raw{};
  raw[0] = 0xab;
  m.id = NodeId(raw);
  m.state = MemberState::suspect;
  m.incarnation = 4;
  m.announcement = announcement(encode_tags({{"zone", "a"}}));
  const auto j = member_json(m);
  CHECK(j["id"].get<std::string>().substr(0, 2) == "ab");
  CHECK(j["id"].get<std::string>().size() == 64);
  CHECK(j["state"] == "suspect");
  CHECK(j["incarnation"] == 4);
  CHECK(j["name"] == "backend-7");
  CHECK(j["address"] == "10.0.3.7:3000");
  CHECK(j["swim_address"] == "10.0.3.7:7946");
  CHECK(j["node_type"] == "backend");
  CHECK(j["metrics_port"] == 9090);
  CHECK(j["tags"]["zone"] == "a");
  CHECK_FALSE(j.contains("metadata_hex"));
}

TEST_CASE("opaque metadata is shown as hex, and a member without announcement has no PeerInfo fields") {
  MemberSnapshot m;
  m.announcement = announcement(Bytes{0x01, 0xfe});
  CHECK(member_json(m)["metadata_hex"] == "01fe");
  m.announcement = nullptr;
  CHECK_FALSE(member_json(m).contains("name"));
}

TEST_CASE("event_json: kind, time, member in its new state, evidence for failed") {
  MembershipEvent e{};
  e.kind = MembershipEvent::Kind::failed;
  e.incarnation = 2;
  e.announcement = announcement({});
  FailureEvidence ev;
  ev.confirmations.resize(2);
  ev.nacks_seen = 1;
  ev.timeout_used = std::chrono::milliseconds(2500);
  e.evidence = ev;
  const auto j = event_json(e, 1234);
  CHECK(j["kind"] == "failed");
  CHECK(j["time_ms"] == 1234);
  CHECK(j["member"]["state"] == "dead");
  CHECK(j["member"]["name"] == "backend-7");
  CHECK(j["evidence"]["confirmations"].size() == 2);
  CHECK(j["evidence"]["timeout_s"] == doctest::Approx(2.5));
  e.kind = MembershipEvent::Kind::recovered;
  e.evidence.reset();
  CHECK(event_json(e, 0)["member"]["state"] == "alive");
  CHECK_FALSE(event_json(e, 0).contains("evidence"));
}
