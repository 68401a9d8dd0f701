#include "config_fields.h"

#include <cmath>

namespace swell::sim {
namespace {

double to_ms(Duration d) { return static_cast<double>(d.count()) / 1000.0; }
Duration from_ms(double ms) { return Duration(static_cast<std::int64_t>(std::llround(ms * 1000.0))); }

// One line per field; the macros keep the name, the member and the unit together.
#define SWELL_MS(field)                                                                 \
  ConfigField{#field, FieldUnit::milliseconds, [](const Config& c) { return to_ms(c.field); }, \
              [](Config& c, double v) { c.field = from_ms(v); }}
#define SWELL_INT(field)                                                                       \
  ConfigField{#field, FieldUnit::integer, [](const Config& c) { return static_cast<double>(c.field); }, \
              [](Config& c, double v) { c.field = static_cast<decltype(c.field)>(v); }}
#define SWELL_REAL(field)                                                                 \
  ConfigField{#field, FieldUnit::real, [](const Config& c) { return static_cast<double>(c.field); }, \
              [](Config& c, double v) { c.field = v; }}
#define SWELL_BOOL(field)                                                                       \
  ConfigField{#field, FieldUnit::boolean, [](const Config& c) { return c.field ? 1.0 : 0.0; }, \
              [](Config& c, double v) { c.field = v != 0; }}

}  // namespace

const std::vector<ConfigField>& config_fields() {
  static const std::vector<ConfigField> kFields = {
      SWELL_MS(probe_interval),
      SWELL_MS(probe_timeout),
      // 0: ring, 1: round_robin (swell::ProbeOrder).
      ConfigField{"probe_order", FieldUnit::boolean,
                  [](const Config& c) { return static_cast<double>(static_cast<int>(c.probe_order)); },
                  [](Config& c, double v) { c.probe_order = v == 0 ? ProbeOrder::ring : ProbeOrder::round_robin; }},
      SWELL_INT(round_robin_every),
      SWELL_MS(stall_tolerance),
      SWELL_INT(ping_attempts),
      SWELL_INT(indirect_checks),
      SWELL_REAL(suspicion_mult),
      SWELL_REAL(suspicion_max_mult),
      SWELL_INT(suspicion_confirmations),
      SWELL_INT(awareness_max_multiplier),
      SWELL_BOOL(lifeguard_local_health),
      SWELL_BOOL(lifeguard_dynamic_suspicion),
      SWELL_BOOL(lifeguard_buddy),
      SWELL_INT(flap_limit),
      SWELL_MS(flap_window),
      SWELL_MS(flap_hold),
      SWELL_INT(probation_passes),
      SWELL_REAL(degraded_ratio),
      // 0: swim, 1: majority, 2: automatic (swell::ClusterMode).
      ConfigField{"mode", FieldUnit::integer, [](const Config& c) { return static_cast<double>(static_cast<int>(c.mode)); },
                  [](Config& c, double v) { c.mode = static_cast<ClusterMode>(static_cast<int>(v)); }},
      SWELL_MS(heartbeat_interval),
      SWELL_BOOL(heal_contact),
      SWELL_MS(silence_margin),
      SWELL_INT(swim_at_members),
      SWELL_INT(majority_at_members),
      SWELL_INT(retransmit_mult),
      SWELL_MS(gossip_interval),
      SWELL_INT(gossip_nodes),
      SWELL_INT(max_datagram_bytes),
      SWELL_INT(max_queue_entries),
      SWELL_MS(push_pull_interval),
      SWELL_MS(stream_timeout),
      SWELL_MS(join_retry_initial),
      SWELL_MS(join_retry_max),
      SWELL_MS(reconnect_window),
      SWELL_MS(reconnect_interval),
      SWELL_INT(join_answer_records),
      SWELL_INT(max_members),
      SWELL_INT(max_stream_bytes),
      SWELL_INT(max_peer_keys),
      SWELL_BOOL(encrypt),
      SWELL_INT(admission.max_revoked),  // the mode, keys and certificates come from sim::ClusterCa, not numbers
      SWELL_INT(peer_info.max_metadata_bytes),
      SWELL_INT(peer_info.max_id_bytes),
      SWELL_INT(peer_info.max_address_bytes),
  };
  return kFields;
}

#undef SWELL_MS
#undef SWELL_INT
#undef SWELL_REAL
#undef SWELL_BOOL

Result<void> set_config_field(Config& config, std::string_view name, double value) {
  for (const ConfigField& field : config_fields()) {
    if (field.name != name) continue;
    if (!std::isfinite(value)) {
      return Error{ErrorCode::invalid_argument, "config field " + std::string(name) + " must be a finite number"};
    }
    if (field.unit == FieldUnit::integer && (value < 0 || value != std::floor(value) || value > 9.0e15)) {
      return Error{ErrorCode::invalid_argument,
                   "config field " + std::string(name) + " must be a non-negative whole number"};
    }
    if (field.unit == FieldUnit::boolean && value != 0 && value != 1) {
      return Error{ErrorCode::invalid_argument, "config field " + std::string(name) + " is a switch: 0 or 1"};
    }
    if (field.unit == FieldUnit::milliseconds && std::fabs(value) > 9.0e12) {
      return Error{ErrorCode::invalid_argument, "config field " + std::string(name) + " is out of range (ms)"};
    }
    field.set(config, value);
    return success();
  }
  std::string known;
  for (const ConfigField& field : config_fields()) known += (known.empty() ? "" : ", ") + std::string(field.name);
  return Error{ErrorCode::invalid_argument,
               "unknown config field '" + std::string(name) + "'; known fields: " + known};
}

Result<Config> config_preset(std::string_view name) {
  if (name == "lan") return Config::lan();
  if (name == "wan") return Config::wan();
  if (name == "local") return Config::local();
  return Error{ErrorCode::invalid_argument, "unknown preset '" + std::string(name) + "'; use lan, wan or local"};
}

}  // namespace swell::sim
