// Fuzzes swell-agent's HTTP request path without a socket: an httplib::Request built
// from the input the way httplib's parser fills one (method, target split at '?', the
// path percent-decoded, the query parsed by httplib's own parse_query_text, headers,
// body) goes to HttpApiResponder, which runs the same screen (bearer token, routes:
// 401, 404, 405) and endpoint handlers as a running HttpApi. The agent behind it is a
// hand-built snapshot (tests/agent/snapshot_builder.h) whose members are made to collide:
// two share an 8-hex-digit short id, two share a name, one is named like a short id,
// one announces nothing, one has metadata that is not tags.
//
// Input: a settings byte, then text as on the wire:
//
//   settings  bit 0: a token is configured; bit 1: no snapshot yet (503); bit 2: no
//             leave/join/force-leave callbacks (501); bits 3-4: what those callbacks
//             return (success, invalid_argument, wrong_state, not_running);
//             bit 5: seeds configured (GET /v1/health)
//   text      METHOD SP TARGET [SP VERSION] LF {NAME ":" VALUE LF}* LF BODY
//
// Invariants: no exception escapes; the status is one the API documents, never 500; a
// JSON answer parses and every error answer says what is wrong ("error"); with a token
// configured a request without the right "Authorization: Bearer" header (or the status
// page's ?token=) is answered 401 with WWW-Authenticate, and one with it never is;
// without a token nothing is 401; 405 names the allowed methods; the callbacks see only
// what the API promises (1..64 seeds of 1..261 bytes; force-leave of a member in the
// snapshot other than this node).
#include <httplib.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "agent/http_api.h"
#include "agent/member_json.h"
#include "agent/recent_events.h"
#include "agent/sample_events.h"
#include "agent/snapshot_builder.h"
#include "agent/tags.h"
#include "invariant.h"

namespace {

using namespace swell;
using namespace swell::agent;

constexpr const char* kToken = "fuzz-token-0123456789abcdef";

NodeId id_from(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint8_t last) {
  std::array<std::uint8_t, NodeId::kSize> raw{};
  raw[0] = a;
  raw[1] = b;
  raw[2] = c;
  raw[3] = d;
  raw[31] = last;
  return NodeId(raw);
}

/// The agent the requests reach: its snapshot, events and counters.
struct FakeAgent {
  NodeId self = id_from(0x5e, 0x1f, 0x00, 0x01, 1);
  std::shared_ptr<const AgentSnapshot> snapshot;
  RecentEvents events{8};

  FakeAgent() {
    test::SnapshotBuilder b;
    b.add(self, "self-node", MemberState::alive);
    b.add(id_from(0x9f, 0x1c, 0x04, 0xab, 1), "backend-7", MemberState::alive);
    b.add(id_from(0x9f, 0x1c, 0x04, 0xab, 2), "backend-8", MemberState::suspect, NodeType::proxy);
    b.add(id_from(0x1a, 0x2b, 0x3c, 0x4d, 1), "twin", MemberState::dead, NodeType::governator);
    b.add(id_from(0x2b, 0x3c, 0x4d, 0x5e, 1), "twin", MemberState::left);
    b.add(id_from(0x3c, 0x4d, 0x5e, 0x6f, 1), "deadbeef", MemberState::alive);
    AgentSnapshot s = b.build(self);
    auto members = std::make_shared<std::vector<MemberSnapshot>>(*s.members);
    for (MemberSnapshot& m : *members) {
      auto a = std::make_shared<Announcement>(*m.announcement);
      if (m.id == self) a->info.metadata = encode_tags({{"zone", "eu-1"}, {"quote", "a\"b\\c"}});
      if (a->info.id == "backend-8") a->info.metadata = Bytes{0xff, 0xfe, '{', 0x80};  // not tags, not UTF-8
      if (a->info.id == "deadbeef") a->info.id = "deadbeef\xc3";                     // truncated UTF-8
      m.announcement = std::move(a);
    }
    MemberSnapshot bare;  // known by id only: nothing announced yet
    bare.id = id_from(0x4d, 0x5e, 0x6f, 0x70, 1);
    bare.state = MemberState::alive;
    members->push_back(bare);
    std::sort(members->begin(), members->end(), [](const auto& x, const auto& y) { return x.id < y.id; });
    s.members = std::move(members);
    s.node.datagrams_received = 12345;
    s.transport.connections_accepted = 7;
    snapshot = std::make_shared<const AgentSnapshot>(std::move(s));
    for (auto kind : {MembershipEvent::Kind::joined, MembershipEvent::Kind::failed}) {
      events.push(event_json(testing::sample_event(kind), 1700000000000ull));
    }
  }

  [[nodiscard]] bool holds(const NodeId& id) const {
    for (const MemberSnapshot& m : *snapshot->members) {
      if (m.id == id) return true;
    }
    return false;
  }
};

const FakeAgent& agent() {
  static const FakeAgent a;
  return a;
}

Result<void> outcome(std::uint8_t settings) {
  switch ((settings >> 3) & 3) {
    case 1: return Error{ErrorCode::invalid_argument, "fuzz: refused"};
    case 2: return Error{ErrorCode::wrong_state, "fuzz: leaving"};
    case 3: return Error{ErrorCode::not_running, "fuzz: stopped"};
    default: return success();
  }
}

HttpApiOptions options_for(std::uint8_t settings) {
  HttpApiOptions o;
  o.listen = "127.0.0.1:0";
  if ((settings & 1) != 0) o.token = kToken;
  o.seeds_configured = (settings & 32) != 0;
  const bool no_snapshot = (settings & 2) != 0;
  o.snapshot = [no_snapshot] { return no_snapshot ? nullptr : agent().snapshot; };
  if ((settings & 4) == 0) {
    const Result<void> result = outcome(settings);
    o.leave = [result] { return result; };
    o.join = [result](std::vector<std::string> seeds) {
      SWELL_FUZZ_REQUIRE(!seeds.empty() && seeds.size() <= 64);
      for (const std::string& s : seeds) SWELL_FUZZ_REQUIRE(!s.empty() && s.size() <= 261);
      return result;
    };
    o.force_leave = [result](const NodeId& id) {
      SWELL_FUZZ_REQUIRE(agent().holds(id) && id != agent().self);
      return result;
    };
  }
  o.counters = [] {
    DaemonCounters c;
    c.handler_runs = 3;
    return c;
  };
  o.events = &agent().events;
  return o;
}

// One responder per settings byte, built on first use: a responder holds an
// httplib::Server (with its regexes), too costly to build per input.
HttpApiResponder& responder(std::uint8_t settings) {
  static std::unique_ptr<HttpApiResponder> responders[64];
  auto& r = responders[settings & 63];
  if (!r) r = std::make_unique<HttpApiResponder>(options_for(settings));
  return *r;
}

std::string_view take_line(std::string_view& text) {
  const std::size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Fills req as httplib's Server::process_request does from the request line, headers and body.
void parse_request(std::string_view text, httplib::Request& req) {
  std::string_view line = take_line(text);
  const std::size_t sp = line.find(' ');
  req.method = std::string(line.substr(0, sp));
  std::string_view target = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
  if (const std::size_t sp2 = target.find(' '); sp2 != std::string_view::npos) {
    req.version = std::string(target.substr(sp2 + 1));
    target = target.substr(0, sp2);
  }
  req.target = std::string(target);
  const std::size_t q = target.find('?');
  req.path = httplib::detail::decode_url(std::string(target.substr(0, q)), false);
  if (q != std::string_view::npos) httplib::detail::parse_query_text(std::string(target.substr(q + 1)), req.params);
  while (!text.empty()) {
    const std::string_view header = take_line(text);
    if (header.empty()) break;
    const std::size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;  // httplib skips a line it cannot split
    std::string_view value = header.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    req.headers.emplace(std::string(header.substr(0, colon)), std::string(value));
  }
  req.body = std::string(text);
}

bool is_documented(int status) {
  switch (status) {
    case 200: case 202: case 400: case 401: case 404: case 405: case 409: case 501: case 503: return true;
    default: return false;
  }
}

void run(std::uint8_t settings, std::string_view text) {
  httplib::Request req;
  parse_request(text, req);
  httplib::Response res;
  responder(settings).answer(req, res);

  SWELL_FUZZ_REQUIRE(is_documented(res.status));
  const std::string type = res.get_header_value("Content-Type");
  if (type == "application/json") {
    const auto body = nlohmann::json::parse(res.body, nullptr, /*allow_exceptions=*/false);
    SWELL_FUZZ_REQUIRE(!body.is_discarded());
    if (res.status >= 400 && res.status != 409 && res.status != 503) {
      SWELL_FUZZ_REQUIRE(body.is_object() && body.contains("error") && body["error"].is_string());
    }
  }
  if (res.status == 405) SWELL_FUZZ_REQUIRE(!res.get_header_value("Allow").empty());
  const bool token = (settings & 1) != 0;
  if (!token) {
    SWELL_FUZZ_REQUIRE(res.status != 401);
    return;
  }
  if (res.status == 401) SWELL_FUZZ_REQUIRE(res.has_header("WWW-Authenticate"));
  // The oracle, written apart from bearer_matches: the one header that must pass, and
  // a request with no credentials at all, which must not.
  const std::string right = std::string("Bearer ") + kToken;
  if (req.get_header_value("Authorization") == right) SWELL_FUZZ_REQUIRE(res.status != 401);
  if (!req.has_header("Authorization") && !req.has_param("token")) SWELL_FUZZ_REQUIRE(res.status == 401);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  try {
    run(data[0], std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_http_request: exception escaped: %s\n", e.what());
    SWELL_FUZZ_REQUIRE(!"no exception escapes");
  } catch (...) {
    SWELL_FUZZ_REQUIRE(!"no exception escapes");
  }
  return 0;
}
