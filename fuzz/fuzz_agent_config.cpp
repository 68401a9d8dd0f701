// Fuzzes swell-agent's reading of user text: the TOML config file (read_config_text,
// then load_settings over the same file with fuzzed flags: the presets, [protocol]
// overrides, the rules between settings), and each parser a flag's value meets
// (parse_tag, decode_tags, parse_event_handler_flag, parse_listen_address,
// runtime::parse_socket_address, the setting checks, suggest_key). Seed names are
// parsed as here but never resolved: resolve_seed_names would ask DNS.
//
// Input: the TOML text up to the first NUL byte, then NUL-separated flag records, each
// a selector byte (flag % kFlagKinds, the RunFlags field in the order of kFlagKinds)
// and the flag's value.
//
// Invariants: nothing throws out of the API; an accepted file leaves only values that
// pass their own checks again, and every key it set has an origin; an accepted
// load_settings gives a Config that validates, a PeerInfo that validates, tags that
// fit max_metadata_bytes and decode back from the metadata, and an HTTP API setting
// HttpApi::start would take (numeric, and loopback or with a token); decode_tags and
// encode_tags agree; a parsed socket address formats to text that parses to itself.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "agent/agent_config.h"
#include "agent/config_file.h"
#include "agent/key_suggestion.h"
#include "agent/listen_address.h"
#include "agent/protocol_keys.h"
#include "agent/setting_checks.h"
#include "agent/tags.h"
#include "invariant.h"
#include "runtime/socket_address.h"

namespace {

using namespace swell;
using namespace swell::agent;

/// The RunFlags a flag record can set, in selector order.
enum class Flag : std::uint8_t {
  bind, advertise, http, http_token, data_dir, key_file, id, node_type, preset, address, events_file,
  metrics_port, is_load_balancer, seed, tag, event_handler, create_key, quiet,
};
constexpr std::uint8_t kFlagKinds = 18;

/// The config file's text lives in a memory file, so load_settings reads it by path
/// (as `run --config` does) without touching the disk.
class MemoryFile {
 public:
  MemoryFile() : fd_(memfd_create("fuzz-agent-config", 0)) {
    SWELL_FUZZ_REQUIRE(fd_ >= 0);
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  void write(std::string_view text) {
    SWELL_FUZZ_REQUIRE(ftruncate(fd_, 0) == 0);
    SWELL_FUZZ_REQUIRE(pwrite(fd_, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()));
  }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

void set_flag(RunFlags& flags, Flag flag, const std::string& value) {
  switch (flag) {
    case Flag::bind: flags.bind = value; break;
    case Flag::advertise: flags.advertise = value; break;
    case Flag::http: flags.http = value; break;
    case Flag::http_token: flags.http_token = value; break;
    case Flag::data_dir: flags.data_dir = value; break;
    case Flag::key_file: flags.key_file = value; break;
    case Flag::id: flags.id = value; break;
    case Flag::node_type: flags.node_type = value; break;
    case Flag::preset: flags.preset = value; break;
    case Flag::address: flags.address = value; break;
    case Flag::events_file: flags.events_file = value; break;
    case Flag::metrics_port: {
      // CLI11 parses the number; what reaches RunFlags is any 16-bit port.
      const auto hi = value.empty() ? 0 : static_cast<unsigned char>(value[0]);
      const auto lo = value.size() < 2 ? 0 : static_cast<unsigned char>(value[1]);
      flags.metrics_port = static_cast<std::uint16_t>(hi << 8 | lo);
      break;
    }
    case Flag::is_load_balancer: flags.is_load_balancer = !value.empty() && (value[0] & 1) != 0; break;
    case Flag::seed: flags.seeds.push_back(value); break;
    case Flag::tag: flags.tags.push_back(value); break;
    case Flag::event_handler: flags.event_handlers.push_back(value); break;
    case Flag::create_key: flags.create_key = true; break;
    case Flag::quiet: flags.quiet = true; break;
  }
}

// decode_tags and encode_tags agree, and the encoding is canonical.
void check_tags_round_trip(ByteView metadata) {
  const auto tags = decode_tags(metadata);
  if (!tags) return;
  const Bytes encoded = encode_tags(*tags);
  const auto again = decode_tags(encoded);
  SWELL_FUZZ_REQUIRE(again && *again == *tags);
  SWELL_FUZZ_REQUIRE(encode_tags(*again) == encoded);
}

// The parsers a flag's value meets on its own.
void parse_value(const std::string& value) {
  if (auto tag = parse_tag(value); tag.ok()) {
    SWELL_FUZZ_REQUIRE(validate_tag_key(tag.value().first).ok());
    SWELL_FUZZ_REQUIRE(tag.value().first.size() + 1 + tag.value().second.size() == value.size());
  }
  check_tags_round_trip(ByteView(reinterpret_cast<const std::uint8_t*>(value.data()), value.size()));
  if (auto handler = parse_event_handler_flag(value); handler.ok()) {
    SWELL_FUZZ_REQUIRE(!handler.value().first.empty());
    for (const std::string& kind : handler.value().first) SWELL_FUZZ_REQUIRE(is_event_handler_kind(kind));
  }
  if (auto listen = parse_listen_address(value); listen.ok()) {
    SWELL_FUZZ_REQUIRE(check_http(value).ok());
    SWELL_FUZZ_REQUIRE(!listen.value().loopback || is_loopback(value));
  }
  if (auto address = runtime::parse_socket_address(value); address.ok()) {
    const std::string text = runtime::format_socket_address(address.value().get());
    auto again = runtime::parse_socket_address(text);
    SWELL_FUZZ_REQUIRE(again.ok() && runtime::format_socket_address(again.value().get()) == text);
    SWELL_FUZZ_REQUIRE(check_bind(value).ok());
  }
  const std::string_view host = runtime::host_of(value);
  SWELL_FUZZ_REQUIRE(host.size() <= value.size());
  (void)check_advertise(value);
  (void)check_host_port(value);
  (void)is_loopback(value);
  (void)check_http_token(value);
  (void)check_member_id(value);
  (void)check_path(value);
  (void)check_command(value);
  (void)preset_config(value);
  (void)find_protocol_key(value);
  static const std::vector<std::string_view> known = {"bind", "advertise", "seeds", "protocol.probe_interval_ms"};
  (void)suggest_key(value, known);
}

// What an accepted file leaves behind passes the same checks again.
void check_file_result(const AgentSettings& s, const ConfigFileResult& out) {
  SWELL_FUZZ_REQUIRE(check_bind(s.bind).ok());
  SWELL_FUZZ_REQUIRE(s.advertise.empty() || check_advertise(s.advertise).ok());
  SWELL_FUZZ_REQUIRE(check_http(s.http).ok());
  SWELL_FUZZ_REQUIRE(check_http_token(s.http_token).ok());
  SWELL_FUZZ_REQUIRE(preset_config(s.preset).ok());
  for (const std::string& seed : s.seeds) SWELL_FUZZ_REQUIRE(check_host_port(seed).ok());
  for (const auto& [key, value] : s.tags) SWELL_FUZZ_REQUIRE(validate_tag_key(key).ok());
  for (const auto& [kind, command] : s.handlers.commands) {
    SWELL_FUZZ_REQUIRE(is_event_handler_kind(kind) && check_command(command).ok());
  }
  for (const auto& [key, value] : out.protocol) SWELL_FUZZ_REQUIRE(find_protocol_key(key) != nullptr);
  for (const auto& [setting, where] : out.origins) SWELL_FUZZ_REQUIRE(where.rfind("fuzz.toml:", 0) == 0);
  auto preset = preset_config(s.preset);
  Config config = preset.value();
  if (apply_protocol_overrides(out.protocol, config, "fuzz.toml").ok()) SWELL_FUZZ_REQUIRE(config.validate().ok());
}

// What load_settings accepts, the agent can run with.
void check_settings(const AgentSettings& s) {
  SWELL_FUZZ_REQUIRE(s.config.validate().ok());
  PeerInfo checked = s.info;
  if (checked.address.empty()) checked.address = "127.0.0.1:1";
  SWELL_FUZZ_REQUIRE(validate(checked, s.config.peer_info).ok());
  SWELL_FUZZ_REQUIRE(s.info.metadata.size() <= s.config.peer_info.max_metadata_bytes);
  const auto tags = decode_tags(s.info.metadata);
  SWELL_FUZZ_REQUIRE(tags && *tags == s.tags);
  SWELL_FUZZ_REQUIRE(runtime::parse_socket_address(s.bind).ok());
  SWELL_FUZZ_REQUIRE(!s.key_file.empty());
  if (!s.http.empty()) {
    // HttpApi::start's own rule: the settings never name an API it would refuse.
    auto listen = parse_listen_address(s.http);
    SWELL_FUZZ_REQUIRE(listen.ok());
    SWELL_FUZZ_REQUIRE(listen.value().loopback || !s.http_token.empty());
  }
  SWELL_FUZZ_REQUIRE(s.handlers.max_concurrent >= 1 && s.handlers.max_queued >= 1);
}

void run(std::string_view input) {
  const std::size_t nul = input.find('\0');
  const std::string_view text = input.substr(0, nul);

  AgentSettings settings;
  ConfigFileResult out;
  if (read_config_text(text, "fuzz.toml", settings, out).ok()) check_file_result(settings, out);
  check_tags_round_trip(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));

  RunFlags flags;
  static MemoryFile file;
  file.write(text);
  flags.config_file = file.path();
  if (nul != std::string_view::npos) {
    std::string_view rest = input.substr(nul + 1);
    while (!rest.empty()) {
      const std::size_t end = rest.find('\0');
      const std::string_view record = rest.substr(0, end);
      if (!record.empty()) {
        const std::string value(record.substr(1));
        set_flag(flags, static_cast<Flag>(static_cast<std::uint8_t>(record[0]) % kFlagKinds), value);
        parse_value(value);
      }
      if (end == std::string_view::npos) break;
      rest = rest.substr(end + 1);
    }
  }
  auto loaded = load_settings(flags);
  if (loaded.ok()) check_settings(loaded.value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    run(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_agent_config: exception escaped: %s\n", e.what());
    SWELL_FUZZ_REQUIRE(!"no exception escapes");
  } catch (...) {
    SWELL_FUZZ_REQUIRE(!"no exception escapes");
  }
  return 0;
}
