// The checks one setting's value must pass, shared by the config file and the flags.
// Each error says what is wrong and how to write it, but not where the value came from:
// the caller puts the file and key ("agent.toml:3:8: bind: ") or the flag ("--bind: ")
// in front, so one check serves both.
//
//   if (auto ok = check_bind(text); !ok.ok()) return named("--bind", ok.error());
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "swell/config.h"
#include "swell/result.h"

namespace swell::agent {

/// A numeric host:port to bind ("0.0.0.0:7946", "[::1]:0"); port 0 picks a free one.
Result<void> check_bind(std::string_view text);
/// host:port peers use; a host name is allowed; port 0 means the bound port.
Result<void> check_advertise(std::string_view text);
/// A host:port to reach: a seed, or where the member serves (host name allowed; port 1..65535).
Result<void> check_host_port(std::string_view text);
/// The HTTP API's listen host:port (numeric; port 0 picks a free one), or "" (no API).
Result<void> check_http(std::string_view text);
/// True when host (of a host:port, brackets allowed) is 127.0.0.0/8, ::1 or localhost.
bool is_loopback(std::string_view host_port);
/// A bearer token: 16..256 visible ASCII characters, or "" (none).
Result<void> check_http_token(std::string_view token);
/// A PeerInfo id: 1..max_bytes visible ASCII characters, no space.
Result<void> check_member_id(std::string_view id, std::size_t max_bytes = 128);
/// A path setting: not empty when given, no NUL.
Result<void> check_path(std::string_view path);
/// An event handler's command: not empty, no NUL, at most 4096 bytes.
Result<void> check_command(std::string_view command);
/// A cluster label: "" or 1..64 printable ASCII bytes (Config::cluster_label's rule).
Result<void> check_cluster_label(std::string_view label);
/// The preset named "lan", "wan" or "local".
Result<Config> preset_config(std::string_view name);
/// Parses a --event-handler value into (kinds, command): "failed=CMD", "failed,left=CMD"
/// or "CMD" (kinds {"all"}). The kinds are comma-separated names is_event_handler_kind
/// accepts; a prefix that is not all kinds makes the whole text the command.
Result<std::pair<std::vector<std::string>, std::string>> parse_event_handler_flag(std::string_view text);
/// The error with where ("--bind", "agent.toml:3:8: bind") put in front, as invalid_config.
Error named(std::string_view where, const Error& error);

}  // namespace swell::agent
