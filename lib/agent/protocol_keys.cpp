#include "agent/protocol_keys.h"

#include <array>
#include <chrono>

namespace swell::agent {
namespace {

Duration ms(const ProtocolValue& v) { return std::chrono::milliseconds(v.integer); }
std::size_t size(const ProtocolValue& v) { return static_cast<std::size_t>(v.integer); }
int count(const ProtocolValue& v) { return static_cast<int>(v.integer); }

using U = ProtocolUnit;

// The fields worth an operator's while: timing (the preset's trade-off of detection
// time against traffic), and the bounds that size a cluster. The rest stay the preset's.
const std::array<ProtocolKey, 14> kKeys{{
    {"protocol.probe_interval_ms", "probe_interval", U::milliseconds, false,
     [](Config& c, const ProtocolValue& v) { c.probe_interval = ms(v); }},
    {"protocol.probe_timeout_ms", "probe_timeout", U::milliseconds, false,
     [](Config& c, const ProtocolValue& v) { c.probe_timeout = ms(v); }},
    {"protocol.stall_tolerance_ms", "stall_tolerance", U::milliseconds, true,
     [](Config& c, const ProtocolValue& v) { c.stall_tolerance = ms(v); }},
    {"protocol.suspicion_mult", "suspicion_mult", U::real, false,
     [](Config& c, const ProtocolValue& v) { c.suspicion_mult = v.real; }},
    {"protocol.gossip_interval_ms", "gossip_interval", U::milliseconds, false,
     [](Config& c, const ProtocolValue& v) { c.gossip_interval = ms(v); }},
    {"protocol.gossip_nodes", "gossip_nodes", U::count, false,
     [](Config& c, const ProtocolValue& v) { c.gossip_nodes = count(v); }},
    {"protocol.push_pull_interval_ms", "push_pull_interval", U::milliseconds, true,
     [](Config& c, const ProtocolValue& v) { c.push_pull_interval = ms(v); }},
    {"protocol.stream_timeout_ms", "stream_timeout", U::milliseconds, false,
     [](Config& c, const ProtocolValue& v) { c.stream_timeout = ms(v); }},
    {"protocol.reconnect_window_ms", "reconnect_window", U::milliseconds, false,
     [](Config& c, const ProtocolValue& v) { c.reconnect_window = ms(v); }},
    {"protocol.max_members", "max_members", U::count, false,
     [](Config& c, const ProtocolValue& v) { c.max_members = size(v); }},
    {"protocol.max_datagram_bytes", "max_datagram_bytes", U::count, false,
     [](Config& c, const ProtocolValue& v) { c.max_datagram_bytes = size(v); }},
    {"protocol.max_metadata_bytes", "peer_info.max_metadata_bytes", U::count, false,
     [](Config& c, const ProtocolValue& v) { c.peer_info.max_metadata_bytes = size(v); }},
    {"join.retry_initial_ms", "join_retry_initial", U::milliseconds, false,
     [](Config& c, const ProtocolValue& v) { c.join_retry_initial = ms(v); }},
    {"join.retry_max_ms", "join_retry_max", U::milliseconds, false,
     [](Config& c, const ProtocolValue& v) { c.join_retry_max = ms(v); }},
}};

// Config::validate() says "Config.<field> <limit>"; the field is what maps back to a key.
std::string_view field_named_in(std::string_view message) {
  constexpr std::string_view kPrefix = "Config.";
  const auto start = message.find(kPrefix);
  if (start == std::string_view::npos) return {};
  const auto rest = message.substr(start + kPrefix.size());
  return rest.substr(0, rest.find(' '));
}

std::string key_of_field(std::string_view field) {
  for (const ProtocolKey& k : kKeys) {
    if (k.field == field) return std::string(k.key);
  }
  return {};
}

}  // namespace

std::span<const ProtocolKey> protocol_keys() { return kKeys; }

const ProtocolKey* find_protocol_key(std::string_view key) {
  for (const ProtocolKey& k : kKeys) {
    if (k.key == key) return &k;
  }
  return nullptr;
}

Result<void> apply_protocol_overrides(const ProtocolOverrides& overrides, Config& config,
                                      const std::string& source) {
  std::string set_keys;
  for (const auto& [key, value] : overrides) {
    const ProtocolKey* k = find_protocol_key(key);
    if (k == nullptr) continue;  // the reader admits only known keys
    k->apply(config, value);
    set_keys += (set_keys.empty() ? "" : ", ") + key;
  }
  auto valid = config.validate();
  if (valid.ok()) return valid;
  const std::string key = key_of_field(field_named_in(valid.error().message));
  std::string message = source + ": " + (key.empty() ? std::string("[protocol]") : key) + ": " +
                        valid.error().message;
  message += set_keys.empty() ? " (no key set; the preset itself fails)"
                              : " (keys set in the file: " + set_keys + "); change them so the limit holds";
  return Error{ErrorCode::invalid_config, message};
}

}  // namespace swell::agent
