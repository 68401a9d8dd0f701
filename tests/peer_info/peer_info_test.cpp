#include <doctest/doctest.h>

#include "swell/peer_info.h"

using swell::ErrorCode;
using swell::NodeType;
using swell::PeerInfo;

namespace {

PeerInfo valid_info() {
  PeerInfo info;
  info.id = "backend-7";
  info.address = "10.0.3.7:3000";
  info.metrics_port = 9090;
  info.node_type = NodeType::backend;
  info.last_updated_ms = 1764000000000;
  return info;
}

}  // namespace

TEST_CASE("a well-formed PeerInfo validates") {
  CHECK(swell::validate(valid_info()).ok());
  PeerInfo v6 = valid_info();
  v6.address = "[fe80::1]:65535";
  CHECK(swell::validate(v6).ok());
  PeerInfo dns = valid_info();
  dns.address = "backend-7.inference.svc.cluster.local:80";
  CHECK(swell::validate(dns).ok());
}

TEST_CASE("PeerInfo validation names the bad field") {
  PeerInfo info = valid_info();
  std::string expect;
  SUBCASE("empty id") { info.id.clear(); expect = "id is empty"; }
  SUBCASE("id with a space") { info.id = "backend 7"; expect = "space or control"; }
  SUBCASE("id too long") { info.id = std::string(129, 'x'); expect = "over the limit"; }
  SUBCASE("empty address") { info.address.clear(); expect = "is empty"; }
  SUBCASE("no port") { info.address = "10.0.0.1"; expect = "has no port"; }
  SUBCASE("port zero") { info.address = "10.0.0.1:0"; expect = "outside 1..65535"; }
  SUBCASE("port too big") { info.address = "10.0.0.1:65536"; expect = "outside 1..65535"; }
  SUBCASE("port not a number") { info.address = "10.0.0.1:http"; expect = "not a number"; }
  SUBCASE("no host") { info.address = ":3000"; expect = "has no host"; }
  SUBCASE("bad host char") { info.address = "a/b:3000"; expect = "not allowed"; }
  SUBCASE("unclosed bracket") { info.address = "[::1:3000"; expect = "IPv6"; }
  SUBCASE("bad node type") { info.node_type = static_cast<NodeType>(7); expect = "node_type"; }
  SUBCASE("metadata too large") { info.metadata.assign(513, 1); expect = "metadata is 513 bytes"; }
  auto result = swell::validate(info);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::invalid_peer_info);
  CHECK_MESSAGE(result.error().message.find(expect) != std::string::npos, result.error().message);
}

TEST_CASE("the metadata limit is configurable") {
  PeerInfo info = valid_info();
  info.metadata.assign(600, 1);
  CHECK_FALSE(swell::validate(info).ok());
  swell::PeerInfoLimits limits;
  limits.max_metadata_bytes = 1024;
  CHECK(swell::validate(info, limits).ok());
}

TEST_CASE("node types round-trip through their names") {
  for (auto type : {NodeType::proxy, NodeType::backend, NodeType::governator}) {
    auto parsed = swell::parse_node_type(swell::to_string(type));
    REQUIRE(parsed.ok());
    CHECK(parsed.value() == type);
  }
  CHECK_FALSE(swell::parse_node_type("router").ok());
}
