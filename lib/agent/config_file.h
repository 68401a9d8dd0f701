// The TOML config file of `swell-agent run`: read over an AgentSettings, every key,
// type and value checked as it is read. docs/agent.md lists the keys.
//
//   AgentSettings settings;
//   ConfigFileResult extra;
//   if (auto ok = read_config_file("/etc/swell/agent.toml", settings, extra); !ok.ok()) ...
//   // extra.protocol: the [protocol] and [join] numbers, for the preset that wins
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "agent/agent_config.h"
#include "agent/protocol_keys.h"
#include "swell/result.h"

namespace swell::agent {

/// Config files larger than this are refused: a config is a few KB, and the cap bounds
/// what a wrong path (a log, a disk image) costs.
inline constexpr std::size_t kMaxConfigFileBytes = 1u << 20;

/// Where settings came from, by setting name ("bind", "peer.address", "key_file"):
/// "--bind" or "agent.toml:3:1: bind". Checks that span settings name the sources.
using SettingOrigins = std::map<std::string, std::string, std::less<>>;

/// What a file sets besides the AgentSettings fields it writes.
struct ConfigFileResult {
  ProtocolOverrides protocol;  ///< [protocol] and [join] numbers, applied over the preset that wins.
  SettingOrigins origins;      ///< The file and position of each key that was set.
};

/// Reads the file at path over settings: keys present replace fields (seeds, tags and
/// handlers too). Errors: io (missing, unreadable), invalid_config (too large, TOML
/// syntax with line and column, unknown key, wrong type, bad value: each names the key).
Result<void> read_config_file(const std::string& path, AgentSettings& settings, ConfigFileResult& out);
/// The same for text already read; source names it in errors (a path).
Result<void> read_config_text(std::string_view text, const std::string& source, AgentSettings& settings,
                              ConfigFileResult& out);

}  // namespace swell::agent
