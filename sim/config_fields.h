// ConfigFields: every swell::Config field by name, so scenarios ([config] tables) and
// swell-sim (--set name=value) can override any of them. Durations are written in
// milliseconds; PeerInfo limits are "peer_info.max_metadata_bytes" and so on.
//
//   swell::Config c = swell::sim::config_preset("wan").value();
//   auto ok = swell::sim::set_config_field(c, "probe_interval", 1500);   // ms
//   if (!ok.ok()) std::cerr << ok.error().message;
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "swell/config.h"

namespace swell::sim {

/// How a field's number is written.
enum class FieldUnit : std::uint8_t {
  milliseconds,  ///< A Duration, written in (possibly fractional) milliseconds.
  integer,       ///< A count or a size; must be a non-negative whole number.
  real,          ///< A multiplier.
  boolean,       ///< A switch: true/false in TOML, 1/0 on the command line.
};

/// One overridable Config field.
struct ConfigField {
  std::string_view name;  ///< The C++ field name ("peer_info." prefix for the limits).
  FieldUnit unit;         ///< How its value is written.
  double (*get)(const Config&);      ///< Reads it, in its unit.
  void (*set)(Config&, double);      ///< Writes it, in its unit (no range check).
};

/// Every Config field, in declaration order.
const std::vector<ConfigField>& config_fields();
/// Sets the field called name; invalid_argument names the field when it is unknown or
/// the value is not representable (negative or fractional count, a switch other than
/// 0 or 1). Ranges are checked later by Config::validate().
Result<void> set_config_field(Config& config, std::string_view name, double value);
/// The preset called "lan", "wan" or "local"; invalid_argument otherwise.
Result<Config> config_preset(std::string_view name);

}  // namespace swell::sim
