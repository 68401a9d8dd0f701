// The Config fields a config file may set: the keys of [protocol] and [join], each a
// number that overrides one field of the chosen preset.
//
//   const ProtocolKey* key = find_protocol_key("protocol.probe_interval_ms");
//   overrides[key->key] = ProtocolValue{1500};             // read from the file
//   Config config = Config::wan();                          // the preset that won
//   if (auto ok = apply_protocol_overrides(overrides, config); !ok.ok()) ...
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "swell/config.h"
#include "swell/result.h"

namespace swell::agent {

/// What a key's number means.
enum class ProtocolUnit : std::uint8_t {
  milliseconds,  ///< An integer of milliseconds, 1..kMaxDurationMs (0 too when zero_allowed).
  count,         ///< An integer count or size, 1..2^31-1 (0 too when zero_allowed).
  real,          ///< A number (integer or float), > 0.
};

/// The longest duration a key takes (30 days): far beyond any sane setting, and small
/// enough that microseconds never overflow.
inline constexpr std::int64_t kMaxDurationMs = 30LL * 24 * 3600 * 1000;

/// A number read for a key: integer for milliseconds and count, real for real.
struct ProtocolValue {
  std::int64_t integer = 0;  ///< For milliseconds and count keys.
  double real = 0;           ///< For real keys.
};

/// One Config field a config file may set.
struct ProtocolKey {
  std::string_view key;    ///< Dotted key as operators write it, e.g. "protocol.probe_interval_ms".
  std::string_view field;  ///< The Config field Config::validate() names, e.g. "probe_interval".
  ProtocolUnit unit;       ///< How the number reads.
  bool zero_allowed;       ///< True where 0 means "off" (push-pull, stall tolerance).
  void (*apply)(Config& config, const ProtocolValue& value);  ///< Sets the field.
};

/// Values read from a file, by dotted key; applied over whichever preset wins.
using ProtocolOverrides = std::map<std::string, ProtocolValue, std::less<>>;

/// Every key of [protocol] and [join], in the order docs/agent.md lists them.
std::span<const ProtocolKey> protocol_keys();
/// The key named by a dotted key, or null when there is none.
const ProtocolKey* find_protocol_key(std::string_view key);
/// Sets each overridden field, then runs Config::validate(); its message comes back with
/// the key of the field it names and the keys that were set (source names the file).
Result<void> apply_protocol_overrides(const ProtocolOverrides& overrides, Config& config,
                                      const std::string& source);

}  // namespace swell::agent
