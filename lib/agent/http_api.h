// HttpApi: swell-agent's HTTP API, status page and Prometheus metrics, on cpp-httplib's
// server with its own threads. Handlers only read published AgentSnapshots and call the
// given callbacks (which hand work to the agent's loop), so a slow or hostile client
// never stalls the protocol. docs/agent.md documents every endpoint.
//
//   swell::agent::HttpApiOptions o;
//   o.listen = "127.0.0.1:7947";
//   o.snapshot = [&] { return agent.snapshot(); };
//   o.leave = [&] { return agent.begin_leave(std::chrono::seconds(3)); };
//   o.events = &recent;
//   auto api = swell::agent::HttpApi::start(std::move(o));
//   if (!api.ok()) { std::cerr << api.error().message << "\n"; return 1; }
//   ...
//   api.value()->stop();
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/daemon_counters.h"
#include "agent/recent_events.h"
#include "swell/agent.h"
#include "swell/result.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace swell::agent {

/// Everything HttpApi::start needs; every callback may be called from several HTTP threads at once.
struct HttpApiOptions {
  /// host:port to listen on ("[::1]:7947" for IPv6); port 0 picks a free port (see port()).
  std::string listen = "127.0.0.1:7947";
  /// Bearer token every request must carry; required unless listen is a loopback address.
  std::string token;
  /// True when the agent was given seeds: GET /v1/health then waits to see another member.
  bool seeds_configured = false;
  /// The agent's latest snapshot (Agent::snapshot); null answers 503.
  std::function<std::shared_ptr<const AgentSnapshot>()> snapshot;
  /// Starts a graceful leave (PUT /v1/leave); empty answers 501.
  std::function<Result<void>()> leave;
  /// Joins through more seeds (POST /v1/join); empty answers 501.
  std::function<Result<void>(std::vector<std::string>)> join;
  /// Declares a member left on its behalf (POST /v1/force-leave/{id}); empty answers 501.
  std::function<Result<void>(const NodeId&)> force_leave;
  /// Checks and applies a CA-signed revocation, the raw body of POST /v1/revocations;
  /// returns the revoked key. Empty answers 501.
  std::function<Result<NodeId>(Bytes)> revoke;
  /// Moves the agent to the key file named by the JSON body of POST /v1/rotate-key
  /// (agent/key_rotation.h); returns the new id. Empty answers 501.
  std::function<Result<NodeId>(const std::string&)> rotate_key;
  /// The daemon's counters for /v1/self and /metrics; empty reads as all zero.
  std::function<DaemonCounters()> counters;
  /// The recent events for GET /v1/events and the status page; null reads as none. Must outlive the API.
  const RecentEvents* events = nullptr;
};

class HttpApiServer;

/// The API's answer to a request httplib has already parsed, without a socket: the token
/// and route screen, then the endpoint's handler, the same code a running HttpApi uses.
/// For the fuzzer (fuzz/fuzz_http_request.cpp); options.listen is not bound.
class HttpApiResponder {
 public:
  /// A responder with these options; the callbacks are used as HttpApi::start's are.
  explicit HttpApiResponder(HttpApiOptions options);
  /// Fills res as the server would before writing it (status, headers, body).
  void answer(const httplib::Request& req, httplib::Response& res);

  ~HttpApiResponder();
  HttpApiResponder(const HttpApiResponder&) = delete;
  HttpApiResponder& operator=(const HttpApiResponder&) = delete;

 private:
  std::unique_ptr<HttpApiServer> server_;
};

/// A running HTTP API; stop() or destruction closes it.
class HttpApi {
 public:
  /// Binds and starts serving. Errors: invalid_config (listen not host:port, or not
  /// loopback without a token; no snapshot callback), io (the port is taken or the
  /// address is not local to this host).
  static Result<std::unique_ptr<HttpApi>> start(HttpApiOptions options);

  /// The port being listened on (the chosen one when listen asked for port 0).
  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// Stops accepting, finishes requests in progress and joins the server threads; idempotent.
  void stop();

  /// Stops the server if still running.
  ~HttpApi();
  HttpApi(const HttpApi&) = delete;
  HttpApi& operator=(const HttpApi&) = delete;

 private:
  HttpApi(std::unique_ptr<HttpApiServer> server, std::uint16_t port);
  std::unique_ptr<HttpApiServer> server_;
  std::uint16_t port_ = 0;
};

}  // namespace swell::agent
