#include "agent/agent_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <initializer_list>

#include "agent/config_file.h"
#include "agent/key_list.h"
#include "agent/setting_checks.h"
#include "runtime/socket_address.h"

namespace swell::agent {
namespace {

using Check = Result<void> (*)(std::string_view);

// Flags that set one string setting each, with the check their value must pass.
struct StringFlag {
  std::string_view flag;     // as errors name it
  std::string_view setting;  // the config key, for SettingOrigins
  std::optional<std::string> RunFlags::*from;
  std::string AgentSettings::*to;
  Check check;
};
const StringFlag kStringFlags[] = {
    {"--bind", "bind", &RunFlags::bind, &AgentSettings::bind, check_bind},
    {"--advertise", "advertise", &RunFlags::advertise, &AgentSettings::advertise, check_advertise},
    {"--http", "http", &RunFlags::http, &AgentSettings::http, check_http},
    {"--http-token", "http_token", &RunFlags::http_token, &AgentSettings::http_token, check_http_token},
    {"--data-dir", "data_dir", &RunFlags::data_dir, &AgentSettings::data_dir, check_path},
    {"--key-file", "key_file", &RunFlags::key_file, &AgentSettings::key_file, check_path},
    {"--events-file", "events_file", &RunFlags::events_file, &AgentSettings::events_file, check_path},
    {"--cluster-label", "cluster_label", &RunFlags::cluster_label, &AgentSettings::cluster_label,
     check_cluster_label},
    {"--preset", "preset", &RunFlags::preset, &AgentSettings::preset,
     [](std::string_view t) -> Result<void> {
       auto preset = preset_config(t);
       return preset.ok() ? success() : Result<void>(preset.error());
     }},
};

Error invalid(const std::string& message) { return Error{ErrorCode::invalid_config, message}; }

// Where a setting came from, for errors that span settings: the file position or flag,
// or "<setting> (default)" when neither set it.
std::string origin(const SettingOrigins& origins, std::string_view setting) {
  const auto found = origins.find(setting);
  return found != origins.end() ? found->second : std::string(setting) + " (default)";
}

Result<void> apply_string_flags(const RunFlags& flags, AgentSettings& s, SettingOrigins& origins) {
  for (const StringFlag& f : kStringFlags) {
    const std::optional<std::string>& value = flags.*f.from;
    if (!value) continue;
    if (auto ok = f.check(*value); !ok.ok()) return named(f.flag, ok.error());
    s.*f.to = *value;
    origins[std::string(f.setting)] = std::string(f.flag);
  }
  if (flags.id) {
    if (auto ok = check_member_id(*flags.id); !ok.ok()) return named("--id", ok.error());
    s.info.id = *flags.id;
    origins["id"] = "--id";
  }
  if (flags.address) {
    if (auto ok = check_host_port(*flags.address); !ok.ok()) return named("--address", ok.error());
    s.info.address = *flags.address;
    origins["peer.address"] = "--address";
  }
  if (flags.node_type) {
    auto type = parse_node_type(*flags.node_type);
    if (!type.ok()) return named("--node-type", type.error());
    s.info.node_type = type.value();
  }
  return success();
}

Result<void> apply_list_flags(const RunFlags& flags, AgentSettings& s, SettingOrigins& origins) {
  for (const std::string& seed : flags.seeds) {
    if (auto ok = check_host_port(seed); !ok.ok()) return named("--join", ok.error());
    if (std::find(s.seeds.begin(), s.seeds.end(), seed) == s.seeds.end()) s.seeds.push_back(seed);
  }
  for (const std::string& text : flags.tags) {
    auto tag = parse_tag(text);
    if (!tag.ok()) return named("--tag", tag.error());
    s.tags[tag.value().first] = tag.value().second;
    origins["tags"] = "--tag";
  }
  for (const std::string& text : flags.event_handlers) {
    auto handler = parse_event_handler_flag(text);
    if (!handler.ok()) return named("--event-handler", handler.error());
    for (const std::string& kind : handler.value().first) s.handlers.commands.emplace(kind, handler.value().second);
  }
  return success();
}

Result<void> apply_admission_flags(const RunFlags& flags, AdmissionSettings& a, SettingOrigins& origins) {
  if (flags.admission) {
    auto mode = parse_admission_mode(*flags.admission);
    if (!mode.ok()) return named("--admission", mode.error());
    a.mode = mode.value();
    a.mode_chosen = true;
    origins["admission.mode"] = "--admission";
  }
  const std::pair<const std::optional<std::string>*, std::string_view> files[] = {
      {&flags.allowlist_file, "allowlist_file"}, {&flags.certificate_file, "certificate_file"}};
  for (const auto& [value, key] : files) {
    if (!*value) continue;
    const std::string flag = key == "allowlist_file" ? "--allowlist-file" : "--certificate-file";
    if (auto ok = check_path(**value); !ok.ok()) return named(flag, ok.error());
    (key == "allowlist_file" ? a.allowlist_file : a.certificate_file) = **value;
    origins["admission." + std::string(key)] = flag;
  }
  if (!flags.trusted_cas.empty()) {
    a.trusted_cas.clear();
    for (const std::string& text : flags.trusted_cas) {
      auto ca = parse_public_key(text);
      if (!ca.ok()) return named("--trusted-ca", ca.error());
      a.trusted_cas.push_back(ca.value());
    }
    origins["admission.trusted_cas"] = "--trusted-ca";
  }
  return success();
}

Result<void> apply_flags(const RunFlags& flags, AgentSettings& s, SettingOrigins& origins) {
  if (auto ok = apply_string_flags(flags, s, origins); !ok.ok()) return ok;
  if (auto ok = apply_list_flags(flags, s, origins); !ok.ok()) return ok;
  if (auto ok = apply_admission_flags(flags, s.admission, origins); !ok.ok()) return ok;
  if (flags.metrics_port) s.info.metrics_port = *flags.metrics_port;
  if (flags.is_load_balancer) s.info.is_load_balancer = *flags.is_load_balancer;
  if (flags.create_key) {
    s.create_key = true;
    origins["create_key"] = "--create-key";
  }
  if (flags.quiet) s.quiet = true;
  if (flags.encrypt) s.encrypt = true;
  return success();
}

// The id defaults to the host name: on most fleets it is already the stable name.
Result<void> resolve_id(AgentSettings& s, const SettingOrigins& origins) {
  std::string where = origin(origins, "id");
  if (s.info.id.empty()) {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
      return invalid("id is not set and the host name cannot be read (" + std::string(std::strerror(errno)) +
                     "): set id in the config file or pass --id");
    }
    s.info.id = host;
    where = "id (default: the host name)";
  }
  if (auto ok = check_member_id(s.info.id, s.config.peer_info.max_id_bytes); !ok.ok()) return named(where, ok.error());
  return success();
}

Result<void> check_network(const AgentSettings& s, const SettingOrigins& origins) {
  auto bind = runtime::parse_socket_address(s.bind);
  if (!bind.ok()) return named(origin(origins, "bind"), bind.error());
  if (bind.value().is_unspecified() && s.advertise.empty()) {
    return invalid(origin(origins, "bind") + ": " + s.bind +
                   " listens on every interface, so peers cannot be told where to reach this member: set "
                   "advertise in the config file (or pass --advertise) to this host's reachable host:port, "
                   "e.g. 10.0.0.5:7946, or bind to that address");
  }
  if (!s.http.empty() && !is_loopback(s.http) && s.http_token.empty()) {
    return invalid(origin(origins, "http") + ": the HTTP API on " + s.http +
                   " is reachable from other hosts, so it needs a token: set http_token in the config file (or "
                   "pass --http-token) to a secret of 16+ characters (openssl rand -hex 16), or listen on "
                   "127.0.0.1, or set http = \"\" to turn the API off");
  }
  return success();
}

// peer.address is where the member serves its application; without one, the address
// peers reach it at is the best guess, and the one the old `run` announced.
Result<void> resolve_peer_address(AgentSettings& s) {
  if (!s.info.address.empty()) return success();
  const bool advertised = !s.advertise.empty();
  const std::string& fallback = advertised ? s.advertise : s.bind;
  // Port 0 there: the address is known once bound, and the runtime fills it in
  // (AgentOptions::info: an empty address is the advertised one).
  if (validate_address(fallback).ok()) s.info.address = fallback;
  return success();
}

Result<void> resolve_tags(AgentSettings& s, const SettingOrigins& origins) {
  s.info.metadata = encode_tags(s.tags);
  const std::size_t limit = s.config.peer_info.max_metadata_bytes;
  const std::size_t size = s.info.metadata.size();
  if (size <= limit) return success();
  return invalid(origin(origins, "tags") + ": the tags encode to " + std::to_string(size) + " bytes of metadata, " +
                 std::to_string(size - limit) + " over the limit of " + std::to_string(limit) +
                 " (protocol.max_metadata_bytes): drop or shorten tags, or raise protocol.max_metadata_bytes "
                 "on every node (at most max_datagram_bytes / 2)");
}

// A key inside data_dir is the agent's own to create; one elsewhere (a secret mount, a
// path shared with keygen) is the operator's, and its absence is more likely a mistake.
bool is_inside(const std::string& path, const std::string& dir) {
  const auto relative = std::filesystem::path(path).lexically_normal().lexically_relative(
      std::filesystem::path(dir).lexically_normal());
  return !relative.empty() && *relative.begin() != "..";
}

Result<void> resolve_key(AgentSettings& s, const SettingOrigins& origins) {
  struct stat st {};
  if (!s.data_dir.empty() && stat(s.data_dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
    return invalid(origin(origins, "data_dir") + ": " + s.data_dir +
                   " exists and is not a directory: point data_dir (or --data-dir) at a directory; it is "
                   "created (mode 0700) when missing");
  }
  if (s.key_file.empty()) {
    if (s.data_dir.empty()) {
      return invalid("no key file: pass --data-dir DIR (the key is kept as DIR/node.key, created on first "
                     "start) or --key-file PATH (`swell-agent keygen PATH` creates one), or set data_dir or "
                     "key_file in the config file");
    }
    s.key_file = (std::filesystem::path(s.data_dir) / "node.key").string();
  }
  if (!s.data_dir.empty() && is_inside(s.key_file, s.data_dir)) s.create_key = true;
  if (stat(s.key_file.c_str(), &st) == 0) {
    if (S_ISREG(st.st_mode)) return success();
    return invalid(origin(origins, "key_file") + ": " + s.key_file +
                   " is not a regular file: point key_file (or --key-file) at the key `swell-agent keygen` wrote");
  }
  if (errno != ENOENT) {
    return Error{ErrorCode::io, "cannot check key file " + s.key_file + ": " + std::strerror(errno) +
                                    "; make it and its directory readable by this user"};
  }
  if (s.create_key) return success();
  return Error{ErrorCode::key_file_missing,
               origin(origins, "key_file") + ": no key file at " + s.key_file + ": create one with `swell-agent keygen " +
                   s.key_file + "`, or pass --create-key (create_key = true) to have run create it"};
}

Result<AgentSettings> resolve(const RunFlags& flags) {
  AgentSettings s;
  s.config_file = flags.config_file;
  ConfigFileResult file;
  if (!flags.config_file.empty()) {
    if (auto ok = read_config_file(flags.config_file, s, file); !ok.ok()) return ok.error();
  }
  if (auto ok = apply_flags(flags, s, file.origins); !ok.ok()) return ok.error();
  auto preset = preset_config(s.preset);
  if (!preset.ok()) return named(origin(file.origins, "preset"), preset.error());
  s.config = preset.value();
  s.config.cluster_label = s.cluster_label;
  s.config.encrypt = s.encrypt;
  if (auto ok = apply_protocol_overrides(file.protocol, s.config, flags.config_file); !ok.ok()) return ok.error();
  for (auto step : {resolve_id, resolve_tags}) {
    if (auto ok = step(s, file.origins); !ok.ok()) return ok.error();
  }
  if (auto ok = check_network(s, file.origins); !ok.ok()) return ok.error();
  if (auto ok = resolve_peer_address(s); !ok.ok()) return ok.error();
  if (auto ok = resolve_key(s, file.origins); !ok.ok()) return ok.error();
  const SettingOrigin admission_origin = [&](std::string_view key) { return origin(file.origins, key); };
  if (auto ok = resolve_admission(s.admission, s.cluster_label, admission_origin, s.config.admission); !ok.ok()) {
    return ok.error();
  }
  // Every field was checked on the way in; this is the runtime's own check, kept so a
  // rule added to PeerInfo later cannot slip past the agent.
  // An empty address waits for the bound port (resolve_peer_address): check the rest.
  PeerInfo checked = s.info;
  if (checked.address.empty()) checked.address = "127.0.0.1:1";
  if (auto ok = validate(checked, s.config.peer_info); !ok.ok()) return named("peer", ok.error());
  return s;
}

}  // namespace

bool is_event_handler_kind(std::string_view name) {
  return name == "joined" || name == "updated" || name == "suspected" || name == "failed" || name == "left" ||
         name == "recovered" || name == "name_conflict" || name == "rotated" || name == "all";
}

Result<AgentSettings> load_settings(const RunFlags& flags) {
  try {
    return resolve(flags);
  } catch (const std::exception& e) {
    // Out of memory or a filesystem error thrown by the standard library: still a value.
    return Error{ErrorCode::invalid_config, std::string("loading the settings failed: ") + e.what()};
  }
}

}  // namespace swell::agent
