// The HTTP API against live in-process agents on 127.0.0.1 (port 0), each on its own
// loop thread; requests go through a real httplib client. Outcomes that depend on the
// cluster (joined, counters) are awaited with deadlines.
#include <doctest/doctest.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <set>

#include "agent/http_api.h"
#include "agent/member_json.h"
#include "agent/recent_events.h"
#include "agent_threads.h"

using namespace std::chrono_literals;
using namespace swell;
using namespace swell::agent;
using nlohmann::json;
using swell::test::wait_until;

namespace {

// Three agents (backend, proxy, backend) with the API on the first, whose events feed a ring.
struct Cluster {
  RecentEvents events;
  std::vector<Agent> agents;
  std::unique_ptr<HttpApi> api;
  std::mutex mu;
  int leaves = 0;
  std::vector<std::string> joined_seeds;
  std::vector<NodeId> forced;

  explicit Cluster(int n = 3, const std::function<void(HttpApiOptions&)>& adjust = {}) {
    auto started = swell::test::start_threaded_agents(n, "n", [&](int i, AgentOptions& o) {
      o.info.node_type = i == 1 ? NodeType::proxy : NodeType::backend;
      if (i == 0) o.on_event = [this](const MembershipEvent& e) { events.push(event_json(e, 1000)); };
    });
    REQUIRE_MESSAGE(started.ok(), (started.ok() ? "" : started.error().message));
    agents = std::move(started).value();
    HttpApiOptions o;
    o.listen = "127.0.0.1:0";
    o.seeds_configured = false;
    o.snapshot = [this] { return agents.front().snapshot(); };
    o.leave = [this] { std::lock_guard<std::mutex> l(mu); ++leaves; return success(); };
    o.join = [this](std::vector<std::string> seeds) {
      std::lock_guard<std::mutex> l(mu);
      joined_seeds = std::move(seeds);
      return success();
    };
    o.force_leave = [this](const NodeId& id) { std::lock_guard<std::mutex> l(mu); forced.push_back(id); return success(); };
    o.counters = [] { DaemonCounters c; c.handler_runs = 42; return c; };
    o.events = &events;
    if (adjust) adjust(o);
    auto a = HttpApi::start(std::move(o));
    REQUIRE_MESSAGE(a.ok(), (a.ok() ? "" : a.error().message));
    api = std::move(a).value();
  }
  ~Cluster() {
    api->stop();
    swell::test::stop_agents(agents);
  }
  bool all_alive() const { return swell::test::all_see_alive(agents, agents.size()); }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", api->port());
    c.set_read_timeout(10, 0);
    return c;
  }
};

json body_of(const httplib::Result& r) {
  REQUIRE(r);
  return json::parse(r->body);
}

}  // namespace

TEST_CASE("GET /v1/members: every member, filtered by state and node_type; bad filters are 400") {
  Cluster c;
  REQUIRE(wait_until([&] { return c.all_alive(); }, 15s));
  auto cli = c.client();
  auto all = body_of(cli.Get("/v1/members"));
  REQUIRE(all.is_array());
  CHECK(all.size() == 3);
  for (const auto& m : all) {
    CHECK(m["state"] == "alive");
    CHECK(m["id"].get<std::string>().size() == 64);
    CHECK(m.contains("swim_address"));
  }
  CHECK(body_of(cli.Get("/v1/members?state=alive")).size() == 3);
  CHECK(body_of(cli.Get("/v1/members?state=dead")).empty());
  CHECK(body_of(cli.Get("/v1/members?state=dead,alive")).size() == 3);
  auto proxies = body_of(cli.Get("/v1/members?node_type=proxy"));
  REQUIRE(proxies.size() == 1);
  CHECK(proxies[0]["name"] == "n1");
  CHECK(body_of(cli.Get("/v1/members?node_type=backend&state=alive")).size() == 2);
  CHECK(body_of(cli.Get("/v1/members?node_type=governator")).empty());
  for (const char* bad : {"/v1/members?color=red", "/v1/members?state=zombie", "/v1/members?node_type=toaster"}) {
    CAPTURE(bad);
    auto r = cli.Get(bad);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    const std::string error = json::parse(r->body)["error"];
    CHECK((error.find("color") != std::string::npos || error.find("zombie") != std::string::npos ||
           error.find("toaster") != std::string::npos));
  }
}

TEST_CASE("GET /v1/members/{id}: by full id, short id and name; 404 for an unknown one") {
  Cluster c;
  REQUIRE(wait_until([&] { return c.all_alive(); }, 15s));
  auto cli = c.client();
  const NodeId target = c.agents[2].id();
  for (const std::string& key : {target.to_hex(), target.short_hex(), std::string("n2")}) {
    CAPTURE(key);
    auto r = cli.Get("/v1/members/" + key);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(json::parse(r->body)["id"] == target.to_hex());
  }
  for (const char* unknown : {"/v1/members/nobody", "/v1/members/00000000",
                              "/v1/members/0000000000000000000000000000000000000000000000000000000000000000"}) {
    CAPTURE(unknown);
    auto r = cli.Get(unknown);
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(json::parse(r->body).contains("error"));
  }
}

TEST_CASE("GET /v1/self, /v1/health, /v1/events, /metrics and /") {
  Cluster c;
  REQUIRE(wait_until([&] { return c.all_alive(); }, 15s));
  // Counters are republished every stats_interval: wait until probing shows in the snapshot.
  REQUIRE(wait_until([&] { return c.agents[0].snapshot()->node.probes > 0; }, 10s));
  auto cli = c.client();
  auto self = body_of(cli.Get("/v1/self"));
  CHECK(self["id"] == c.agents[0].id().to_hex());
  CHECK(self["member"]["name"] == "n0");
  CHECK(self["swim_address"] == c.agents[0].address());
  CHECK(self["health_score"].is_number_integer());
  CHECK(self["incarnation"].get<std::uint64_t>() >= 1);
  CHECK(self["counts"]["alive"] == 3);
  CHECK(self["node"]["probes"].get<std::uint64_t>() > 0);
  CHECK(self["transport"]["datagrams_sent"].get<std::uint64_t>() > 0);
  CHECK(self["daemon"]["handler_runs"] == 42);

  auto health = cli.Get("/v1/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(json::parse(health->body)["status"] == "joined");

  // Two joins seen by n0, newest first; every entry is event_json.
  REQUIRE(wait_until([&] { return c.events.newest_first().size() >= 2; }, 5s));
  auto events = body_of(cli.Get("/v1/events"));
  REQUIRE(events.size() >= 2);
  std::set<std::string> joined;
  for (const auto& e : events) {
    if (e["kind"] == "joined") joined.insert(e["member"]["name"].get<std::string>());
  }
  CHECK(joined.count("n1") == 1);
  CHECK(joined.count("n2") == 1);
  // Newest first: the last entry served is the oldest in the ring.
  CHECK(events[events.size() - 1] == *c.events.newest_first().back());

  auto metrics = cli.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->get_header_value("Content-Type").find("version=0.0.4") != std::string::npos);
  CHECK(metrics->body.find("swell_members{state=\"alive\"} 3\n") != std::string::npos);
  CHECK(metrics->body.find("swell_event_handler_runs_total 42\n") != std::string::npos);

  auto page = cli.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type").find("text/html") == 0);
  CHECK(page->body.find("<table id=\"members\">") != std::string::npos);
}

TEST_CASE("unknown paths are 404 and wrong methods 405, both as JSON") {
  Cluster c(1);
  auto cli = c.client();
  for (const char* path : {"/nope", "/v1", "/v1/members/", "/v1/members/a/b", "/v2/members"}) {
    CAPTURE(path);
    auto r = cli.Get(path);
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(json::parse(r->body).contains("error"));
  }
  auto post_members = cli.Post("/v1/members", "{}", "application/json");
  REQUIRE(post_members);
  CHECK(post_members->status == 405);
  CHECK(post_members->get_header_value("Allow") == "GET, HEAD");
  CHECK(json::parse(post_members->body).contains("error"));
  auto get_leave = cli.Get("/v1/leave");
  REQUIRE(get_leave);
  CHECK(get_leave->status == 405);
  CHECK(get_leave->get_header_value("Allow") == "PUT");
  auto delete_self = cli.Delete("/v1/self");
  REQUIRE(delete_self);
  CHECK(delete_self->status == 405);
  auto put_join = cli.Put("/v1/join", "{}", "application/json");
  REQUIRE(put_join);
  CHECK(put_join->status == 405);
  CHECK(put_join->get_header_value("Allow") == "POST");
}

TEST_CASE("PUT /v1/leave, POST /v1/join and POST /v1/force-leave/{id} call their callbacks") {
  Cluster c(2);
  REQUIRE(wait_until([&] { return c.all_alive(); }, 15s));
  auto cli = c.client();
  auto leave = cli.Put("/v1/leave");
  REQUIRE(leave);
  CHECK(leave->status == 202);
  CHECK(json::parse(leave->body)["status"] == "accepted");

  auto join = cli.Post("/v1/join", R"({"seeds":["127.0.0.1:7000","[::1]:7001"]})", "application/json");
  REQUIRE(join);
  CHECK(join->status == 202);

  const NodeId other = c.agents[1].id();
  auto force = cli.Post("/v1/force-leave/" + other.short_hex());
  REQUIRE(force);
  CHECK(force->status == 202);
  {
    std::lock_guard<std::mutex> l(c.mu);
    CHECK(c.leaves == 1);
    CHECK(c.joined_seeds == std::vector<std::string>{"127.0.0.1:7000", "[::1]:7001"});
    REQUIRE(c.forced.size() == 1);
    CHECK(c.forced[0] == other);
  }
  auto unknown = cli.Post("/v1/force-leave/nobody");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  auto self = cli.Post("/v1/force-leave/n0");
  REQUIRE(self);
  CHECK(self->status == 400);
  std::lock_guard<std::mutex> l(c.mu);
  CHECK(c.forced.size() == 1);
}

TEST_CASE("POST /v1/join: malformed or oversized bodies are 400 or 413 and never reach the callback") {
  Cluster c(1);
  auto cli = c.client();
  const char* bad_bodies[] = {"", "{", "not json", "[]", "{}", R"({"seeds":[]})", R"({"seeds":"127.0.0.1:1"})",
                              R"({"seeds":[1]})", R"({"seeds":[""]})", R"({"seeds":["127.0.0.1:1"],"extra":1})"};
  for (const char* body : bad_bodies) {
    CAPTURE(body);
    auto r = cli.Post("/v1/join", body, "application/json");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(json::parse(r->body)["error"].get<std::string>().find("join body") != std::string::npos);
  }
  auto big = cli.Post("/v1/join", std::string(70 * 1024, ' '), "application/json");
  REQUIRE(big);
  CHECK(big->status == 413);
  CHECK(json::parse(big->body).contains("error"));
  std::lock_guard<std::mutex> l(c.mu);
  CHECK(c.joined_seeds.empty());
}

TEST_CASE("action errors map to statuses; a throwing or missing callback never escapes") {
  Cluster c(1, [](HttpApiOptions& o) {
    o.leave = [] { return Result<void>(Error{ErrorCode::wrong_state, "already left"}); };
    o.join = [](std::vector<std::string>) -> Result<void> { throw std::runtime_error("boom"); };
    o.force_leave = nullptr;
  });
  auto cli = c.client();
  auto leave = cli.Put("/v1/leave");
  REQUIRE(leave);
  CHECK(leave->status == 409);
  CHECK(json::parse(leave->body)["code"] == "wrong_state");
  auto join = cli.Post("/v1/join", R"({"seeds":["127.0.0.1:1"]})", "application/json");
  REQUIRE(join);
  CHECK(join->status == 500);
  CHECK(json::parse(join->body)["error"].get<std::string>().find("boom") != std::string::npos);
  auto force = cli.Post("/v1/force-leave/" + c.agents[0].id().to_hex());
  REQUIRE(force);
  CHECK(force->status == 501);
}

TEST_CASE("the token rule: 401 without or with a wrong token, 200 with it; ?token= only for the page") {
  Cluster c(1, [](HttpApiOptions& o) { o.token = "s3cret"; });
  auto cli = c.client();
  for (const char* path : {"/v1/members", "/v1/self", "/metrics", "/", "/nope"}) {
    CAPTURE(path);
    auto none = cli.Get(path);
    REQUIRE(none);
    CHECK(none->status == 401);
    CHECK(none->get_header_value("WWW-Authenticate").find("Bearer") == 0);
    CHECK(json::parse(none->body).contains("error"));
    const httplib::Headers wrong_token = {{"Authorization", "Bearer s3cre"}};
    auto wrong = cli.Get(path, wrong_token);
    REQUIRE(wrong);
    CHECK(wrong->status == 401);
  }
  auto put = cli.Put("/v1/leave");
  REQUIRE(put);
  CHECK(put->status == 401);
  {
    std::lock_guard<std::mutex> l(c.mu);
    CHECK(c.leaves == 0);
  }
  const httplib::Headers good = {{"Authorization", "Bearer s3cret"}};
  for (const char* path : {"/v1/members", "/v1/self", "/metrics", "/v1/events", "/"}) {
    CAPTURE(path);
    auto r = cli.Get(path, good);
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  auto missing = cli.Get("/nope", good);
  REQUIRE(missing);
  CHECK(missing->status == 404);
  auto page = cli.Get("/?token=s3cret");
  REQUIRE(page);
  CHECK(page->status == 200);
  auto page_wrong = cli.Get("/?token=nope");
  REQUIRE(page_wrong);
  CHECK(page_wrong->status == 401);
  auto data_by_query = cli.Get("/v1/members?token=s3cret");
  REQUIRE(data_by_query);
  CHECK(data_by_query->status == 401);
}

TEST_CASE("start: non-loopback needs a token, a taken port is an io error, [::1] works, stop is final") {
  auto null_snapshot = [] { return std::shared_ptr<const AgentSnapshot>(); };
  HttpApiOptions open;
  open.listen = "0.0.0.0:0";
  open.snapshot = null_snapshot;
  auto refused = HttpApi::start(open);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::invalid_config);
  CHECK(refused.error().message.find("token") != std::string::npos);
  open.token = "t";
  auto with_token = HttpApi::start(open);
  REQUIRE_MESSAGE(with_token.ok(), (with_token.ok() ? "" : with_token.error().message));
  with_token.value()->stop();

  HttpApiOptions bad;
  bad.listen = "localhost:80";
  bad.snapshot = null_snapshot;
  auto unparsed = HttpApi::start(bad);
  REQUIRE_FALSE(unparsed.ok());
  CHECK(unparsed.error().code == ErrorCode::invalid_config);

  HttpApiOptions first;
  first.listen = "127.0.0.1:0";
  first.snapshot = null_snapshot;
  auto a = HttpApi::start(first);
  REQUIRE(a.ok());
  HttpApiOptions second = first;
  second.listen = "127.0.0.1:" + std::to_string(a.value()->port());
  auto taken = HttpApi::start(second);
  REQUIRE_FALSE(taken.ok());
  CHECK(taken.error().code == ErrorCode::io);
  CHECK(taken.error().message.find(second.listen) != std::string::npos);
  CHECK(taken.error().message.find("in use") != std::string::npos);

  // No snapshot yet: data endpoints answer 503, health says starting.
  httplib::Client cli("127.0.0.1", a.value()->port());
  auto self = cli.Get("/v1/self");
  REQUIRE(self);
  CHECK(self->status == 503);
  auto health = cli.Get("/v1/health");
  REQUIRE(health);
  CHECK(health->status == 503);
  CHECK(json::parse(health->body)["status"] == "starting");
  a.value()->stop();
  a.value()->stop();  // idempotent
  CHECK_FALSE(cli.Get("/v1/health"));

  HttpApiOptions v6;
  v6.listen = "[::1]:0";
  v6.snapshot = null_snapshot;
  auto six = HttpApi::start(v6);
  REQUIRE_MESSAGE(six.ok(), (six.ok() ? "" : six.error().message));
  httplib::Client cli6("::1", six.value()->port());
  auto r = cli6.Get("/v1/health");
  REQUIRE(r);
  CHECK(r->status == 503);
}

TEST_CASE("POST /v1/revocations: the body reaches the callback; its error and a bad size are 400; no callback is 501") {
  std::vector<Bytes> bodies;
  std::mutex mu;
  const NodeId revoked = NodeId::from_hex(std::string(62, '0') + "01").value();
  Cluster c(1, [&](HttpApiOptions& o) {
    o.token = "0123456789abcdef";
    o.revoke = [&](Bytes body) -> Result<NodeId> {
      std::lock_guard<std::mutex> l(mu);
      bodies.push_back(body);
      if (body.size() == 1) return Error{ErrorCode::invalid_argument, "not a revocation"};
      return revoked;
    };
  });
  auto cli = c.client();
  auto anonymous = cli.Post("/v1/revocations", "abc", "application/octet-stream");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
  cli.set_bearer_token_auth("0123456789abcdef");
  const std::string bytes("\x92\xc4\x01\x00\xc4", 5);
  auto ok = cli.Post("/v1/revocations", bytes, "application/octet-stream");
  REQUIRE(ok);
  CHECK(ok->status == 202);
  CHECK(json::parse(ok->body)["revoked"] == revoked.to_hex());
  auto refused = cli.Post("/v1/revocations", "x", "application/octet-stream");
  REQUIRE(refused);
  CHECK(refused->status == 400);
  CHECK(json::parse(refused->body)["error"] == "not a revocation");
  for (const std::string& bad : {std::string(), std::string(5000, 'x')}) {
    auto r = cli.Post("/v1/revocations", bad, "application/octet-stream");
    REQUIRE(r);
    CHECK(r->status == 400);
  }
  {
    std::lock_guard<std::mutex> l(mu);
    REQUIRE(bodies.size() == 2);
    CHECK(bodies[0] == Bytes(bytes.begin(), bytes.end()));
  }
  Cluster none(1);
  auto plain = none.client();
  auto missing = plain.Post("/v1/revocations", "abc", "application/octet-stream");
  REQUIRE(missing);
  CHECK(missing->status == 501);
}
