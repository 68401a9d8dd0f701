#include "agent/setting_checks.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>

#include "agent/agent_config.h"
#include "runtime/socket_address.h"
#include "swell/peer_info.h"

namespace swell::agent {
namespace {

Error bad(const std::string& message) { return Error{ErrorCode::invalid_config, message}; }

bool is_visible_ascii(unsigned char c) { return c > 0x20 && c < 0x7f; }

std::string quoted(std::string_view text) { return "\"" + std::string(text.substr(0, 64)) + "\""; }

}  // namespace

Result<void> check_bind(std::string_view text) {
  auto parsed = runtime::parse_socket_address(text);
  if (!parsed.ok()) return bad(parsed.error().message);
  return success();
}

Result<void> check_advertise(std::string_view text) {
  // Port 0 stands for "the bound port" (AgentOptions::advertise_address); the rest must
  // be an address peers can be told, so check it with any valid port in its place.
  std::string probe(text);
  if (probe.size() >= 2 && probe.compare(probe.size() - 2, 2, ":0") == 0) probe.back() = '1';
  if (auto ok = validate_address(probe); !ok.ok()) {
    return bad("address " + quoted(text) + " is not host:port (port 0 = the bound port): use e.g. "
               "10.0.0.5:7946, [fd00::5]:7946 or node-5.example:7946");
  }
  return success();
}

Result<void> check_host_port(std::string_view text) {
  if (auto ok = validate_address(text); !ok.ok()) return bad(ok.error().message);
  return success();
}

Result<void> check_http(std::string_view text) {
  if (text.empty()) return success();
  // Numeric, as for bind (the HTTP server binds what it is given; a name could mean
  // several addresses); port 0 picks a free port, which the agent logs.
  if (auto ok = check_bind(text); !ok.ok()) return bad(ok.error().message + " (or \"\" for no HTTP API)");
  return success();
}

bool is_loopback(std::string_view host_port) {
  std::string host(runtime::host_of(host_port));
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

Result<void> check_cluster_label(std::string_view label) {
  // One rule: Config::validate's, so the file and the library cannot disagree.
  Config probe;
  probe.cluster_label = std::string(label);
  if (auto ok = probe.validate(); !ok.ok()) {
    return bad("the cluster label " + quoted(label) + " " + ok.error().message.substr(ok.error().message.find("must")) +
               "; every member of a cluster must use the same label");
  }
  return success();
}

Result<void> check_http_token(std::string_view token) {
  if (token.empty()) return success();
  // Anyone who can reach the port may guess: 16 characters is the least a random token
  // (openssl rand -hex 16 gives 32) should have.
  if (token.size() < 16 || token.size() > 256) {
    return bad("the token is " + std::to_string(token.size()) +
               " characters; use 16 to 256, e.g. the output of `openssl rand -hex 16`");
  }
  if (!std::all_of(token.begin(), token.end(), [](unsigned char c) { return is_visible_ascii(c); })) {
    return bad("the token may hold only visible ASCII (no spaces): it travels in an HTTP header");
  }
  return success();
}

Result<void> check_member_id(std::string_view id, std::size_t max_bytes) {
  if (id.empty()) return bad("the id is empty: give this member a stable name, e.g. backend-7");
  if (id.size() > max_bytes) {
    return bad("the id is " + std::to_string(id.size()) + " bytes, over the limit of " +
               std::to_string(max_bytes) + ": use a shorter name");
  }
  if (!std::all_of(id.begin(), id.end(), [](unsigned char c) { return is_visible_ascii(c); })) {
    return bad("the id " + quoted(id) + " has a space or a non-ASCII or control character: ids appear in "
               "logs and lists, so use visible ASCII, e.g. backend-7");
  }
  return success();
}

Result<void> check_path(std::string_view path) {
  if (path.find('\0') != std::string_view::npos) return bad("the path holds a NUL character");
  if (path.size() > 4096) return bad("the path is longer than 4096 bytes (PATH_MAX)");
  return success();
}

Result<void> check_command(std::string_view command) {
  if (command.empty()) return bad("the command is empty: give a shell command, e.g. /usr/local/bin/on-event");
  if (command.find('\0') != std::string_view::npos) return bad("the command holds a NUL character");
  if (command.size() > 4096) return bad("the command is longer than 4096 bytes: put it in a script");
  return success();
}

Result<Config> preset_config(std::string_view name) {
  if (name == "lan") return Config::lan();
  if (name == "wan") return Config::wan();
  if (name == "local") return Config::local();
  return bad("unknown preset " + quoted(name) + ": use lan (one data centre), wan (links of 100 ms and more) "
             "or local (one host, tests)");
}

Result<std::pair<std::vector<std::string>, std::string>> parse_event_handler_flag(std::string_view text) {
  if (text.empty()) return bad("empty: give kind=COMMAND (e.g. failed=/usr/local/bin/on-failed) or COMMAND");
  if (auto ok = check_command(text); !ok.ok()) return ok.error();
  const auto eq = text.find('=');
  if (eq != std::string_view::npos) {
    std::vector<std::string> kinds;
    std::string_view rest = text.substr(0, eq);
    bool all_kinds = true;
    while (all_kinds) {
      const auto comma = rest.find(',');
      const std::string_view part = rest.substr(0, comma);
      all_kinds = is_event_handler_kind(part);
      kinds.emplace_back(part);
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
    if (all_kinds) {
      const std::string_view command = text.substr(eq + 1);
      if (auto ok = check_command(command); !ok.ok()) return ok.error();
      return std::pair{std::move(kinds), std::string(command)};
    }
  }
  return std::pair{std::vector<std::string>{"all"}, std::string(text)};
}

Error named(std::string_view where, const Error& error) {
  return Error{ErrorCode::invalid_config, std::string(where) + ": " + error.message};
}

}  // namespace swell::agent
