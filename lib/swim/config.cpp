#include "swell/config.h"

#include "swim/admission.h"

#include <string>

namespace swell {
namespace {

Error out_of_range(const char* field, const std::string& limit) {
  return Error{ErrorCode::invalid_config, std::string("Config.") + field + " " + limit};
}

Result<void> validate_label(const std::string& label) {
  if (label.size() > 64) return out_of_range("cluster_label", "must be at most 64 bytes (\"\" for the unnamed cluster)");
  for (const char c : label) {
    // Printable ASCII only: a label is typed into config files and shown in logs.
    if (c < 0x20 || c > 0x7e) return out_of_range("cluster_label", "must be printable ASCII (0x20..0x7e)");
  }
  return success();
}

}  // namespace

const char* to_string(ClusterMode mode) {
  switch (mode) {
    case ClusterMode::swim: return "swim";
    case ClusterMode::majority: return "majority";
    case ClusterMode::automatic: return "auto";
  }
  return "unknown";
}

Config Config::lan() { return Config{}; }

Config Config::wan() {
  Config c;
  // Round trips of 100-300 ms: give acks time, and probe less often.
  c.probe_interval = std::chrono::seconds(3);
  c.probe_timeout = std::chrono::seconds(2);
  c.suspicion_mult = 2.0;
  c.stall_tolerance = std::chrono::seconds(6);  // WAN paths have longer hiccups than a LAN
  c.gossip_interval = std::chrono::milliseconds(500);
  c.gossip_nodes = 4;
  c.push_pull_interval = std::chrono::seconds(60);
  c.stream_timeout = std::chrono::seconds(10);
  return c;
}

Config Config::local() {
  Config c;
  // One host: sub-millisecond round trips.
  c.probe_interval = std::chrono::milliseconds(500);
  c.probe_timeout = std::chrono::milliseconds(150);
  c.gossip_interval = std::chrono::milliseconds(100);
  c.push_pull_interval = std::chrono::seconds(15);
  c.stream_timeout = std::chrono::seconds(2);
  return c;
}

Result<void> Config::validate() const {
  if (probe_timeout.count() <= 0) return out_of_range("probe_timeout", "must be > 0");
  if (probe_interval <= probe_timeout) return out_of_range("probe_interval", "must be > probe_timeout");
  if (stall_tolerance.count() < 0 || stall_tolerance > std::chrono::minutes(10)) {
    return out_of_range("stall_tolerance", "must be 0..10 min");
  }
  if (round_robin_every < 0 || round_robin_every > 64) return out_of_range("round_robin_every", "must be 0..64");
  if (flap_limit < 0 || flap_limit > 100) return out_of_range("flap_limit", "must be 0..100");
  if (flap_window.count() <= 0) return out_of_range("flap_window", "must be > 0");
  if (flap_hold.count() < 0) return out_of_range("flap_hold", "must be >= 0");
  if (probation_passes < 1 || probation_passes > 16) return out_of_range("probation_passes", "must be 1..16");
  if (!(degraded_ratio >= 0 && degraded_ratio <= 0.9)) return out_of_range("degraded_ratio", "must be 0..0.9");
  if (ping_attempts < 1 || ping_attempts > 5) return out_of_range("ping_attempts", "must be 1..5");
  if (indirect_checks < 0 || indirect_checks > 16) return out_of_range("indirect_checks", "must be 0..16");
  if (!(suspicion_mult > 0)) return out_of_range("suspicion_mult", "must be > 0");
  if (!(suspicion_max_mult >= 1)) return out_of_range("suspicion_max_mult", "must be >= 1");
  if (suspicion_confirmations < 0 || suspicion_confirmations > 16) {
    return out_of_range("suspicion_confirmations", "must be 0..16");
  }
  if (awareness_max_multiplier < 1 || awareness_max_multiplier > 16) {
    return out_of_range("awareness_max_multiplier", "must be 1..16");
  }
  if (retransmit_mult < 1 || retransmit_mult > 16) return out_of_range("retransmit_mult", "must be 1..16");
  if (gossip_interval.count() <= 0) return out_of_range("gossip_interval", "must be > 0");
  if (gossip_nodes < 1 || gossip_nodes > 16) return out_of_range("gossip_nodes", "must be 1..16");
  if (max_datagram_bytes < 256 || max_datagram_bytes > 65507) {
    return out_of_range("max_datagram_bytes", "must be 256..65507 (a UDP payload)");
  }
  if (max_queue_entries < 16) return out_of_range("max_queue_entries", "must be >= 16");
  if (push_pull_interval.count() < 0) return out_of_range("push_pull_interval", "must be >= 0 (0 disables)");
  if (stream_timeout.count() <= 0) return out_of_range("stream_timeout", "must be > 0");
  if (join_retry_initial.count() <= 0 || join_retry_max < join_retry_initial) {
    return out_of_range("join_retry_initial", "must be > 0 and <= join_retry_max");
  }
  if (reconnect_interval.count() <= 0) return out_of_range("reconnect_interval", "must be > 0");
  if (reconnect_window.count() <= 0) return out_of_range("reconnect_window", "must be > 0");
  if (join_answer_records < 3 || join_answer_records > 65536) {
    return out_of_range("join_answer_records", "must be 3..65536 (the seed, the joiner and at least one more)");
  }
  if (mode != ClusterMode::swim && mode != ClusterMode::majority && mode != ClusterMode::automatic) {
    return out_of_range("mode", "must be swim, majority or automatic");
  }
  if (heartbeat_interval.count() <= 0) return out_of_range("heartbeat_interval", "must be > 0");
  if (silence_margin.count() < 0) return out_of_range("silence_margin", "must be >= 0");
  if (swim_at_members < 3) return out_of_range("swim_at_members", "must be >= 3");
  if (majority_at_members >= swim_at_members) {
    return out_of_range("majority_at_members", "must be < swim_at_members (the gap is the hysteresis)");
  }
  if (max_members < 2) return out_of_range("max_members", "must be >= 2");
  if (max_stream_bytes < max_datagram_bytes) return out_of_range("max_stream_bytes", "must be >= max_datagram_bytes");
  if (max_peer_keys < 16) return out_of_range("max_peer_keys", "must be >= 16");
  if (peer_info.max_metadata_bytes > max_datagram_bytes / 2) {
    return out_of_range("peer_info.max_metadata_bytes",
                        "must be <= max_datagram_bytes / 2 so an alive claim fits in a datagram");
  }
  if (auto label = validate_label(cluster_label); !label.ok()) return label;
  if (auto valid = swim::validate_admission(admission); !valid.ok()) return valid;
  return success();
}

}  // namespace swell
