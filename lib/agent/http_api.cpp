#include "agent/http_api.h"

#include <httplib.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "agent/bearer_token.h"
#include "agent/revocation_file.h"
#include "agent/listen_address.h"
#include "agent/member_json.h"
#include "agent/member_query.h"
#include "agent/metrics.h"
#include "agent/route_table.h"
#include "agent/status_json.h"
#include "agent/status_page.h"

namespace swell::agent {
namespace {

constexpr std::size_t kMaxBodyBytes = 64 * 1024;  // a join request is well under 1 KiB
constexpr std::size_t kServerThreads = 4;
constexpr std::size_t kMaxJoinSeeds = 64;
constexpr std::size_t kMaxSeedBytes = 261;  // PeerInfoLimits::max_address_bytes
constexpr const char* kJson = "application/json";

// Peers' names and tags may hold invalid UTF-8: replace it rather than throw.
std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void reply(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(dump(body), kJson);
}

void reply_error(httplib::Response& res, int status, const std::string& message) {
  reply(res, status, {{"error", message}});
}

// What an action's error means for the client, by how Result codes are documented.
int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
    case ErrorCode::invalid_config: return 400;
    case ErrorCode::wrong_state: return 409;
    case ErrorCode::not_running: return 503;
    default: return 500;
  }
}

void reply_result(httplib::Response& res, const Result<void>& result) {
  if (result.ok()) {
    reply(res, 202, {{"status", "accepted"}});
  } else {
    reply(res, status_for(result.error().code),
          {{"error", result.error().message}, {"code", std::string(to_string(result.error().code))}});
  }
}

// The status line's text for the statuses httplib produces itself (413, 414, 400).
std::string generic_error(int status) {
  switch (status) {
    case 400: return "bad request";
    case 413: return "request body over " + std::to_string(kMaxBodyBytes) + " bytes";
    case 414: return "request URI too long";
    default: return "HTTP " + std::to_string(status);
  }
}

}  // namespace

/// The httplib server, its routes and its thread.
class HttpApiServer {
 public:
  /// Keeps options and registers the routes.
  explicit HttpApiServer(HttpApiOptions options);
  /// Binds address; returns the port bound.
  Result<std::uint16_t> bind(const ListenAddress& address);
  /// Starts the accept thread and waits until it is accepting, so stop() cannot miss it.
  void run();
  /// Closes the listening socket and joins the threads; idempotent.
  void stop();
  /// What httplib does with a parsed request once routed: screen(), then dispatch()
  /// unless screen() answered, then the error handler for a bodiless error.
  void answer(const httplib::Request& req, httplib::Response& res);

 private:
  /// One endpoint's handler; params are the path's wildcard segments.
  using Action = void (HttpApiServer::*)(const httplib::Request&, httplib::Response&,
                                         const std::vector<std::string>&);
  /// Registers a route and its handler under the same number.
  void add(const char* method, const char* pattern, Action action);
  /// Sets httplib's limits, timeouts, socket options and hooks.
  void configure();
  /// Before the body is read: 401, 404 and 405 are answered here, the rest passed on.
  httplib::Server::HandlerResponse screen(const httplib::Request& req, httplib::Response& res);
  /// The token rule (docs/agent.md).
  bool authorized(const httplib::Request& req) const;
  /// Runs the matched route's handler, turning any exception into a JSON 500.
  void dispatch(const httplib::Request& req, httplib::Response& res);
  /// The latest snapshot, or null after answering 503.
  std::shared_ptr<const AgentSnapshot> snapshot_or_503(httplib::Response& res) const;
  /// The daemon's counters, zero when no callback was given.
  DaemonCounters counters() const;

  /// GET /v1/members with its filters.
  void get_members(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);
  /// GET /v1/members/{key}.
  void get_member(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);
  /// GET /v1/self.
  void get_self(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);
  /// GET /v1/health.
  void get_health(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);
  /// GET /v1/events, newest first.
  void get_events(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);
  /// GET /metrics.
  void get_metrics(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);
  /// GET /, the status page.
  void get_page(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);
  /// PUT /v1/leave.
  void put_leave(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);
  /// POST /v1/join.
  void post_join(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);
  /// POST /v1/force-leave/{key}.
  void post_force_leave(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);
  /// POST /v1/revocations.
  void post_revocation(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);
  /// POST /v1/rotate-key.
  void post_rotate_key(const httplib::Request&, httplib::Response&, const std::vector<std::string>&);

  HttpApiOptions options_;
  httplib::Server server_;
  RouteTable routes_;
  std::vector<Action> actions_;  // indexed by route number
  int page_route_ = -1;
  std::thread thread_;
  std::atomic<bool> finished_{false};
  std::once_flag stopped_;
};

HttpApiServer::HttpApiServer(HttpApiOptions options) : options_(std::move(options)) {
  add("GET", "/", &HttpApiServer::get_page);
  page_route_ = 0;
  add("GET", "/v1/members", &HttpApiServer::get_members);
  add("GET", "/v1/members/{}", &HttpApiServer::get_member);
  add("GET", "/v1/self", &HttpApiServer::get_self);
  add("GET", "/v1/health", &HttpApiServer::get_health);
  add("GET", "/v1/events", &HttpApiServer::get_events);
  add("GET", "/metrics", &HttpApiServer::get_metrics);
  add("PUT", "/v1/leave", &HttpApiServer::put_leave);
  add("POST", "/v1/join", &HttpApiServer::post_join);
  add("POST", "/v1/force-leave/{}", &HttpApiServer::post_force_leave);
  add("POST", "/v1/revocations", &HttpApiServer::post_revocation);
  add("POST", "/v1/rotate-key", &HttpApiServer::post_rotate_key);
  configure();
}

void HttpApiServer::add(const char* method, const char* pattern, Action action) {
  routes_.add(method, pattern);
  actions_.push_back(action);
}

void HttpApiServer::configure() {
  server_.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  server_.set_payload_max_length(kMaxBodyBytes);
  // httplib's default sets SO_REUSEPORT, which would let a second agent bind the same
  // port and silently take half the requests. SO_REUSEADDR alone still allows a quick
  // restart past TIME_WAIT, and a taken port fails start-up as it should.
  server_.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Short timeouts bound how long stop() waits for idle keep-alive or slow clients.
  server_.set_keep_alive_timeout(1);
  server_.set_read_timeout(std::chrono::seconds(2));
  server_.set_write_timeout(std::chrono::seconds(5));
  // Authentication and 404/405 are decided before httplib reads a body.
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return screen(req, res);
  });
  const httplib::Server::Handler handler = [this](const httplib::Request& req, httplib::Response& res) {
    dispatch(req, res);
  };
  // Every method reaches dispatch(), which answers 405 for the ones a path does not take.
  server_.Get(".*", handler);
  server_.Put(".*", handler);
  server_.Post(".*", handler);
  server_.Patch(".*", handler);
  server_.Delete(".*", handler);
  server_.Options(".*", handler);
  // httplib's own errors (413, 414, bad request lines) get a JSON body like ours.
  server_.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    reply_error(res, res.status, generic_error(res.status));
    return httplib::Server::HandlerResponse::Handled;
  }));
  server_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    reply_error(res, 500, "internal error");
  });
}


bool HttpApiServer::authorized(const httplib::Request& req) const {
  if (options_.token.empty()) return true;
  if (bearer_matches(options_.token, req.get_header_value("Authorization"))) return true;
  // A browser's address bar cannot set headers, so the status page alone also takes
  // ?token=; the page holds no cluster data itself and its script sends the header.
  const bool page = (req.method == "GET" || req.method == "HEAD") && req.path == "/";
  return page && req.has_param("token") && constant_time_equal(options_.token, req.get_param_value("token"));
}

httplib::Server::HandlerResponse HttpApiServer::screen(const httplib::Request& req, httplib::Response& res) {
  try {
    if (!authorized(req)) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"swell\"");
      reply_error(res, 401, "missing or wrong token: send the header \"Authorization: Bearer TOKEN\"");
      return httplib::Server::HandlerResponse::Handled;
    }
    const RouteMatch m = routes_.match(req.method, req.path);
    if (m.route >= 0) return httplib::Server::HandlerResponse::Unhandled;  // dispatch() runs it
    if (m.path_known) {
      res.set_header("Allow", m.allow);
      reply_error(res, 405, req.method + " is not allowed on " + req.path + ": use " + m.allow);
    } else {
      reply_error(res, 404, "no such endpoint: " + req.path + " (docs/agent.md lists them)");
    }
  } catch (const std::exception& e) {
    reply_error(res, 500, std::string("internal error: ") + e.what());
  }
  return httplib::Server::HandlerResponse::Handled;
}

void HttpApiServer::dispatch(const httplib::Request& req, httplib::Response& res) {
  // No exception may reach httplib: each one becomes a JSON 500 naming it.
  try {
    const RouteMatch m = routes_.match(req.method, req.path);
    if (m.route < 0) {
      reply_error(res, 404, "no such endpoint: " + req.path);
      return;
    }
    (this->*actions_[static_cast<std::size_t>(m.route)])(req, res, m.params);
  } catch (const std::exception& e) {
    reply_error(res, 500, std::string("internal error: ") + e.what());
  } catch (...) {
    reply_error(res, 500, "internal error");
  }
}

std::shared_ptr<const AgentSnapshot> HttpApiServer::snapshot_or_503(httplib::Response& res) const {
  auto snap = options_.snapshot();
  if (!snap) reply_error(res, 503, "the agent has not published a snapshot yet; retry shortly");
  return snap;
}

DaemonCounters HttpApiServer::counters() const { return options_.counters ? options_.counters() : DaemonCounters{}; }

void HttpApiServer::get_members(const httplib::Request& req, httplib::Response& res,
                                const std::vector<std::string>&) {
  auto filter = parse_member_filter(req.params);
  if (!filter.ok()) {
    reply_error(res, 400, filter.error().message);
    return;
  }
  auto snap = snapshot_or_503(res);
  if (!snap) return;
  nlohmann::json out = nlohmann::json::array();
  if (snap->members) {
    for (const MemberSnapshot& m : *snap->members) {
      if (filter.value().matches(m)) out.push_back(member_json(m));
    }
  }
  reply(res, 200, out);
}

void HttpApiServer::get_member(const httplib::Request&, httplib::Response& res,
                               const std::vector<std::string>& params) {
  auto snap = snapshot_or_503(res);
  if (!snap) return;
  const MemberLookup found = lookup_member(*snap, params.at(0));
  if (found.found() != nullptr) {
    reply(res, 200, member_json(*found.found()));
  } else if (found.matches.empty()) {
    reply_error(res, 404, "no member \"" + params.at(0) + "\": give a full id, an 8-hex-digit short id or a name");
  } else {
    nlohmann::json ids = nlohmann::json::array();
    for (const MemberSnapshot* m : found.matches) ids.push_back(m->id.to_hex());
    reply(res, 409, {{"error", "\"" + params.at(0) + "\" names " + std::to_string(ids.size()) +
                                   " members: give the full id"},
                     {"matches", ids}});
  }
}

void HttpApiServer::get_self(const httplib::Request&, httplib::Response& res, const std::vector<std::string>&) {
  if (auto snap = snapshot_or_503(res)) reply(res, 200, self_json(*snap, counters()));
}

void HttpApiServer::get_health(const httplib::Request&, httplib::Response& res, const std::vector<std::string>&) {
  auto snap = options_.snapshot();
  const HealthStatus health = health_status(snap.get(), options_.seeds_configured);
  reply(res, health.http_status, health.body);
}

void HttpApiServer::get_events(const httplib::Request&, httplib::Response& res, const std::vector<std::string>&) {
  // Joined from the stored documents: the ring hands out shared entries, never copies.
  std::string body = "[";
  if (options_.events != nullptr) {
    for (const auto& e : options_.events->newest_first()) {
      if (body.size() > 1) body += ",";
      body += dump(*e);
    }
  }
  body += "]";
  res.status = 200;
  res.set_content(body, kJson);
}

void HttpApiServer::get_metrics(const httplib::Request&, httplib::Response& res, const std::vector<std::string>&) {
  auto snap = snapshot_or_503(res);
  if (!snap) return;
  res.status = 200;
  res.set_content(prometheus_text(*snap, counters()), kPrometheusContentType);
}

void HttpApiServer::get_page(const httplib::Request&, httplib::Response& res, const std::vector<std::string>&) {
  static const std::string page = status_page_html();
  res.status = 200;
  res.set_header("Cache-Control", "no-store");
  res.set_content(page, "text/html; charset=utf-8");
}

namespace {

// {"seeds": ["host:port", ...]}: every other shape is a 400 naming what is wrong.
Result<std::vector<std::string>> parse_join_body(const std::string& body) {
  const nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  auto bad = [](const std::string& why) {
    return Error{ErrorCode::invalid_argument, "join body: " + why + R"(; send {"seeds":["host:port",...]})"};
  };
  if (j.is_discarded()) return bad("not valid JSON");
  if (!j.is_object()) return bad("not a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (key != "seeds") return bad("unknown key \"" + key + "\"");
  }
  if (!j.contains("seeds") || !j["seeds"].is_array() || j["seeds"].empty()) return bad("\"seeds\" must be a non-empty array");
  if (j["seeds"].size() > kMaxJoinSeeds) return bad("more than " + std::to_string(kMaxJoinSeeds) + " seeds");
  std::vector<std::string> seeds;
  for (const auto& s : j["seeds"]) {
    if (!s.is_string() || s.get_ref<const std::string&>().empty() ||
        s.get_ref<const std::string&>().size() > kMaxSeedBytes) {
      return bad("each seed must be a non-empty \"host:port\" string of at most " + std::to_string(kMaxSeedBytes) +
                 " bytes");
    }
    seeds.push_back(s.get<std::string>());
  }
  return seeds;
}

}  // namespace

void HttpApiServer::put_leave(const httplib::Request&, httplib::Response& res, const std::vector<std::string>&) {
  if (!options_.leave) {
    reply_error(res, 501, "this agent does not take leave requests");
    return;
  }
  reply_result(res, options_.leave());
}

void HttpApiServer::post_join(const httplib::Request& req, httplib::Response& res, const std::vector<std::string>&) {
  if (!options_.join) {
    reply_error(res, 501, "this agent does not take join requests");
    return;
  }
  auto seeds = parse_join_body(req.body);
  if (!seeds.ok()) {
    reply_error(res, 400, seeds.error().message);
    return;
  }
  reply_result(res, options_.join(std::move(seeds).value()));
}

void HttpApiServer::post_force_leave(const httplib::Request&, httplib::Response& res,
                                     const std::vector<std::string>& params) {
  if (!options_.force_leave) {
    reply_error(res, 501, "this agent does not take force-leave requests");
    return;
  }
  auto snap = snapshot_or_503(res);
  if (!snap) return;
  const MemberLookup found = lookup_member(*snap, params.at(0));
  if (found.found() == nullptr) {
    reply_error(res, found.matches.empty() ? 404 : 409,
                "\"" + params.at(0) + "\" " + (found.matches.empty() ? "names no member" : "names several members") +
                    ": give the full id");
    return;
  }
  if (found.found()->id == snap->self) {
    reply_error(res, 400, "force-leave names this node itself: use PUT /v1/leave");
    return;
  }
  reply_result(res, options_.force_leave(found.found()->id));
}

void HttpApiServer::post_revocation(const httplib::Request& req, httplib::Response& res,
                                    const std::vector<std::string>&) {
  if (!options_.revoke) {
    reply_error(res, 501, "this agent does not take revocations");
    return;
  }
  if (req.body.empty() || req.body.size() > kMaxRevocationBytes) {
    reply_error(res, 400, "the body must be the revocation file `swell-agent ca revoke` wrote (1.." +
                              std::to_string(kMaxRevocationBytes) + " bytes)");
    return;
  }
  auto revoked = options_.revoke(Bytes(req.body.begin(), req.body.end()));
  if (!revoked.ok()) {
    reply(res, status_for(revoked.error().code),
          {{"error", revoked.error().message}, {"code", std::string(to_string(revoked.error().code))}});
    return;
  }
  reply(res, 202, {{"status", "accepted"}, {"revoked", revoked.value().to_hex()}});
}

void HttpApiServer::post_rotate_key(const httplib::Request& req, httplib::Response& res,
                                    const std::vector<std::string>&) {
  if (!options_.rotate_key) {
    reply_error(res, 501, "this agent does not take key rotations");
    return;
  }
  auto moved = options_.rotate_key(req.body);
  if (!moved.ok()) {
    reply(res, status_for(moved.error().code),
          {{"error", moved.error().message}, {"code", std::string(to_string(moved.error().code))}});
    return;
  }
  reply(res, 200, {{"status", "rotated"}, {"id", moved.value().to_hex()}});
}

Result<std::uint16_t> HttpApiServer::bind(const ListenAddress& address) {
  errno = 0;
  int port = address.port;
  if (address.port == 0) {
    port = server_.bind_to_any_port(address.host);
  } else if (!server_.bind_to_port(address.host, address.port)) {
    port = -1;
  }
  if (port <= 0) {
    const int err = errno;
    const std::string where = options_.listen;
    return Error{ErrorCode::io, "HTTP API cannot listen on " + where + ": " +
                                    (err != 0 ? std::string(std::strerror(err)) : "bind failed") +
                                    " (is another process using the port, or is the address not on this host?)"};
  }
  return static_cast<std::uint16_t>(port);
}

void HttpApiServer::run() {
  thread_ = std::thread([this] {
    server_.listen_after_bind();
    finished_ = true;
  });
  // httplib's stop() does nothing until the accept loop is marked running; waiting here
  // means a stop() right after start() cannot be lost. It takes microseconds.
  while (!server_.is_running() && !finished_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void HttpApiServer::stop() {
  std::call_once(stopped_, [this] {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  });
}

void HttpApiServer::answer(const httplib::Request& req, httplib::Response& res) {
  if (screen(req, res) == httplib::Server::HandlerResponse::Unhandled) dispatch(req, res);
  if (res.status == -1) res.status = 200;  // httplib's default for a routed request
  if (res.status >= 400 && res.body.empty()) reply_error(res, res.status, generic_error(res.status));
}

HttpApiResponder::HttpApiResponder(HttpApiOptions options)
    : server_(std::make_unique<HttpApiServer>(std::move(options))) {}

HttpApiResponder::~HttpApiResponder() = default;

void HttpApiResponder::answer(const httplib::Request& req, httplib::Response& res) { server_->answer(req, res); }

HttpApi::HttpApi(std::unique_ptr<HttpApiServer> server, std::uint16_t port) : server_(std::move(server)), port_(port) {}

HttpApi::~HttpApi() { stop(); }

void HttpApi::stop() {
  if (server_) server_->stop();
}

Result<std::unique_ptr<HttpApi>> HttpApi::start(HttpApiOptions options) {
  auto address = parse_listen_address(options.listen);
  if (!address.ok()) return address.error();
  if (!address.value().loopback && options.token.empty()) {
    return Error{ErrorCode::invalid_config,
                 "HTTP API on " + options.listen + " is reachable from other hosts: set a token (http_token) "
                 "or listen on 127.0.0.1 / [::1]"};
  }
  if (!options.snapshot) return Error{ErrorCode::invalid_config, "HttpApiOptions::snapshot is not set"};
  auto server = std::make_unique<HttpApiServer>(std::move(options));
  auto port = server->bind(address.value());
  if (!port.ok()) return port.error();
  server->run();
  return std::unique_ptr<HttpApi>(new HttpApi(std::move(server), port.value()));
}

}  // namespace swell::agent
