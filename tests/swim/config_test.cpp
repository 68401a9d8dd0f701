// Config::validate: for every field, the limits include/swell/config.h documents are
// accepted and one step past each is rejected with an error naming the field; the
// presets validate.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "swell/config.h"

namespace swell {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct Case {
  const char* what;                     // for the failure report
  std::function<void(Config&)> change;  // applied to Config::lan()
  const char* rejected_field;           // nullptr: must validate
};

void check_cases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Config config = Config::lan();
    c.change(config);
    const auto result = config.validate();
    if (c.rejected_field == nullptr) {
      CHECK(result.ok());
      if (!result.ok()) MESSAGE(result.error().message);
      continue;
    }
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::invalid_config);
    CAPTURE(result.error().message);
    CHECK(result.error().message.find(std::string("Config.") + c.rejected_field) != std::string::npos);
  }
}

constexpr const char* kOk = nullptr;

TEST_CASE("probing fields: probe_timeout > 0, probe_interval > probe_timeout, ping_attempts 1..5, "
          "indirect_checks 0..16") {
  check_cases({
      {"probe_timeout 1 us", [](Config& c) { c.probe_timeout = Duration(1); }, kOk},
      {"probe_timeout 0", [](Config& c) { c.probe_timeout = Duration(0); }, "probe_timeout"},
      {"probe_timeout -1 us", [](Config& c) { c.probe_timeout = Duration(-1); }, "probe_timeout"},
      {"probe_interval = probe_timeout + 1 us",
       [](Config& c) { c.probe_interval = c.probe_timeout + Duration(1); }, kOk},
      {"probe_interval = probe_timeout", [](Config& c) { c.probe_interval = c.probe_timeout; }, "probe_interval"},
      {"probe_interval < probe_timeout",
       [](Config& c) { c.probe_interval = c.probe_timeout - Duration(1); }, "probe_interval"},
      {"probe_interval 1 h", [](Config& c) { c.probe_interval = hours(1); }, kOk},
      {"ping_attempts 1", [](Config& c) { c.ping_attempts = 1; }, kOk},
      {"ping_attempts 5", [](Config& c) { c.ping_attempts = 5; }, kOk},
      {"ping_attempts 0", [](Config& c) { c.ping_attempts = 0; }, "ping_attempts"},
      {"ping_attempts 6", [](Config& c) { c.ping_attempts = 6; }, "ping_attempts"},
      {"indirect_checks 0", [](Config& c) { c.indirect_checks = 0; }, kOk},
      {"indirect_checks 16", [](Config& c) { c.indirect_checks = 16; }, kOk},
      {"indirect_checks -1", [](Config& c) { c.indirect_checks = -1; }, "indirect_checks"},
      {"indirect_checks 17", [](Config& c) { c.indirect_checks = 17; }, "indirect_checks"},
  });
}

TEST_CASE("suspicion fields: suspicion_max_mult >= 1, suspicion_confirmations 0..16, "
          "awareness_max_multiplier 1..16") {
  check_cases({
      {"suspicion_max_mult 1", [](Config& c) { c.suspicion_max_mult = 1.0; }, kOk},
      {"suspicion_max_mult just below 1",
       [](Config& c) { c.suspicion_max_mult = std::nextafter(1.0, 0.0); }, "suspicion_max_mult"},
      {"suspicion_max_mult 0", [](Config& c) { c.suspicion_max_mult = 0.0; }, "suspicion_max_mult"},
      {"suspicion_max_mult NaN",
       [](Config& c) { c.suspicion_max_mult = std::numeric_limits<double>::quiet_NaN(); }, "suspicion_max_mult"},
      {"suspicion_max_mult 100", [](Config& c) { c.suspicion_max_mult = 100.0; }, kOk},
      {"suspicion_confirmations 0", [](Config& c) { c.suspicion_confirmations = 0; }, kOk},
      {"suspicion_confirmations 16", [](Config& c) { c.suspicion_confirmations = 16; }, kOk},
      {"suspicion_confirmations -1", [](Config& c) { c.suspicion_confirmations = -1; }, "suspicion_confirmations"},
      {"suspicion_confirmations 17", [](Config& c) { c.suspicion_confirmations = 17; }, "suspicion_confirmations"},
      {"awareness_max_multiplier 1", [](Config& c) { c.awareness_max_multiplier = 1; }, kOk},
      {"awareness_max_multiplier 16", [](Config& c) { c.awareness_max_multiplier = 16; }, kOk},
      {"awareness_max_multiplier 0", [](Config& c) { c.awareness_max_multiplier = 0; }, "awareness_max_multiplier"},
      {"awareness_max_multiplier 17",
       [](Config& c) { c.awareness_max_multiplier = 17; }, "awareness_max_multiplier"},
  });
}

TEST_CASE("dissemination fields: retransmit_mult 1..16, gossip_interval > 0, gossip_nodes 1..16, "
          "max_datagram_bytes 256..65507") {
  check_cases({
      {"retransmit_mult 1", [](Config& c) { c.retransmit_mult = 1; }, kOk},
      {"retransmit_mult 16", [](Config& c) { c.retransmit_mult = 16; }, kOk},
      {"retransmit_mult 0", [](Config& c) { c.retransmit_mult = 0; }, "retransmit_mult"},
      {"retransmit_mult 17", [](Config& c) { c.retransmit_mult = 17; }, "retransmit_mult"},
      {"gossip_interval 1 us", [](Config& c) { c.gossip_interval = Duration(1); }, kOk},
      {"gossip_interval 0", [](Config& c) { c.gossip_interval = Duration(0); }, "gossip_interval"},
      {"gossip_interval -1 us", [](Config& c) { c.gossip_interval = Duration(-1); }, "gossip_interval"},
      {"gossip_nodes 1", [](Config& c) { c.gossip_nodes = 1; }, kOk},
      {"gossip_nodes 16", [](Config& c) { c.gossip_nodes = 16; }, kOk},
      {"gossip_nodes 0", [](Config& c) { c.gossip_nodes = 0; }, "gossip_nodes"},
      {"gossip_nodes 17", [](Config& c) { c.gossip_nodes = 17; }, "gossip_nodes"},
      // 256-byte datagrams need metadata capped at half of that (see peer_info below).
      {"max_datagram_bytes 256",
       [](Config& c) {
         c.max_datagram_bytes = 256;
         c.peer_info.max_metadata_bytes = 128;
       },
       kOk},
      {"max_datagram_bytes 255",
       [](Config& c) {
         c.max_datagram_bytes = 255;
         c.peer_info.max_metadata_bytes = 100;
       },
       "max_datagram_bytes"},
      {"max_datagram_bytes 65507", [](Config& c) { c.max_datagram_bytes = 65507; }, kOk},
      {"max_datagram_bytes 65508", [](Config& c) { c.max_datagram_bytes = 65508; }, "max_datagram_bytes"},
  });
}

TEST_CASE("anti-entropy fields: push_pull_interval >= 0 (0 disables), stream_timeout > 0, "
          "join_retry_initial <= join_retry_max, join_answer_records 3..65536") {
  check_cases({
      {"push_pull_interval 0 (disabled)", [](Config& c) { c.push_pull_interval = Duration(0); }, kOk},
      {"push_pull_interval -1 us", [](Config& c) { c.push_pull_interval = Duration(-1); }, "push_pull_interval"},
      {"push_pull_interval 1 h", [](Config& c) { c.push_pull_interval = hours(1); }, kOk},
      {"stream_timeout 1 us", [](Config& c) { c.stream_timeout = Duration(1); }, kOk},
      {"stream_timeout 0", [](Config& c) { c.stream_timeout = Duration(0); }, "stream_timeout"},
      {"join_answer_records 3", [](Config& c) { c.join_answer_records = 3; }, kOk},
      {"join_answer_records 65536", [](Config& c) { c.join_answer_records = 65536; }, kOk},
      {"join_answer_records 2", [](Config& c) { c.join_answer_records = 2; }, "join_answer_records"},
      {"join_answer_records 65537", [](Config& c) { c.join_answer_records = 65537; }, "join_answer_records"},
      {"join_retry_initial = join_retry_max", [](Config& c) { c.join_retry_initial = c.join_retry_max; }, kOk},
      {"join_retry_initial > join_retry_max",
       [](Config& c) { c.join_retry_initial = c.join_retry_max + Duration(1); }, "join_retry_initial"},
      // join_retry_max's only documented bound is relative: the error names both.
      {"join_retry_max < join_retry_initial",
       [](Config& c) { c.join_retry_max = c.join_retry_initial - Duration(1); }, "join_retry_initial"},
      {"join_retry_max < join_retry_initial (names join_retry_max too)",
       [](Config& c) { c.join_retry_max = c.join_retry_initial - Duration(1); }, "join_retry_initial must be > 0 and <= join_retry_max"},
  });
}

// Bounds validate() enforces that the field comments in swell/config.h do not state
// (suspicion_mult, max_queue_entries, join_retry_initial > 0, reconnect_*, max_members,
// max_stream_bytes, max_peer_keys, peer_info.max_metadata_bytes). Kept here so a
// change to them is noticed; the header should document them.
TEST_CASE("bounds validate enforces beyond the header's comments") {
  check_cases({
      {"suspicion_mult tiny", [](Config& c) { c.suspicion_mult = 1e-9; }, kOk},
      {"suspicion_mult 0", [](Config& c) { c.suspicion_mult = 0.0; }, "suspicion_mult"},
      {"suspicion_mult NaN",
       [](Config& c) { c.suspicion_mult = std::numeric_limits<double>::quiet_NaN(); }, "suspicion_mult"},
      {"max_queue_entries 16", [](Config& c) { c.max_queue_entries = 16; }, kOk},
      {"max_queue_entries 15", [](Config& c) { c.max_queue_entries = 15; }, "max_queue_entries"},
      {"join_retry_initial 1 us", [](Config& c) { c.join_retry_initial = Duration(1); }, kOk},
      {"join_retry_initial 0", [](Config& c) { c.join_retry_initial = Duration(0); }, "join_retry_initial"},
      {"reconnect_interval 1 us", [](Config& c) { c.reconnect_interval = Duration(1); }, kOk},
      {"reconnect_interval 0", [](Config& c) { c.reconnect_interval = Duration(0); }, "reconnect_interval"},
      {"reconnect_window 1 us", [](Config& c) { c.reconnect_window = Duration(1); }, kOk},
      {"reconnect_window 0", [](Config& c) { c.reconnect_window = Duration(0); }, "reconnect_window"},
      {"max_members 2", [](Config& c) { c.max_members = 2; }, kOk},
      {"max_members 1", [](Config& c) { c.max_members = 1; }, "max_members"},
      {"max_stream_bytes = max_datagram_bytes",
       [](Config& c) { c.max_stream_bytes = c.max_datagram_bytes; }, kOk},
      {"max_stream_bytes < max_datagram_bytes",
       [](Config& c) { c.max_stream_bytes = c.max_datagram_bytes - 1; }, "max_stream_bytes"},
      {"max_peer_keys 16", [](Config& c) { c.max_peer_keys = 16; }, kOk},
      {"max_peer_keys 15", [](Config& c) { c.max_peer_keys = 15; }, "max_peer_keys"},
      {"metadata = half a datagram", [](Config& c) { c.peer_info.max_metadata_bytes = 700; }, kOk},
      {"metadata > half a datagram",
       [](Config& c) { c.peer_info.max_metadata_bytes = 701; }, "peer_info.max_metadata_bytes"},
  });
}

TEST_CASE("the presets validate, and differ from lan() the way their comments say") {
  const Config lan = Config::lan(), wan = Config::wan(), local = Config::local();
  for (const Config* c : {&lan, &wan, &local}) {
    const auto result = c->validate();
    CHECK(result.ok());
    if (!result.ok()) MESSAGE(result.error().message);
  }
  // lan() is the fields' defaults.
  const Config defaults;
  CHECK(lan.probe_interval == defaults.probe_interval);
  CHECK(lan.probe_timeout == defaults.probe_timeout);
  CHECK(lan.gossip_interval == defaults.gossip_interval);
  CHECK(lan.push_pull_interval == defaults.push_pull_interval);
  // WAN: longer timeouts and intervals.
  CHECK(wan.probe_timeout > lan.probe_timeout);
  CHECK(wan.probe_interval > lan.probe_interval);
  CHECK(wan.gossip_interval > lan.gossip_interval);
  CHECK(wan.stream_timeout > lan.stream_timeout);
  // Local: shorter, never longer.
  CHECK(local.probe_timeout < lan.probe_timeout);
  CHECK(local.probe_interval <= lan.probe_interval);
  CHECK(local.gossip_interval < lan.gossip_interval);
  CHECK(local.push_pull_interval < lan.push_pull_interval);
  CHECK(local.stream_timeout < lan.stream_timeout);
}

TEST_CASE("flap damping fields: flap_limit 0..100, flap_window > 0, flap_hold >= 0, probation_passes 1..16, "
          "degraded_ratio 0..0.9") {
  check_cases({
      {"flap_limit 0 (off)", [](Config& c) { c.flap_limit = 0; }, kOk},
      {"flap_limit 100", [](Config& c) { c.flap_limit = 100; }, kOk},
      {"flap_limit -1", [](Config& c) { c.flap_limit = -1; }, "flap_limit"},
      {"flap_limit 101", [](Config& c) { c.flap_limit = 101; }, "flap_limit"},
      {"flap_window 1 us", [](Config& c) { c.flap_window = Duration(1); }, kOk},
      {"flap_window 0", [](Config& c) { c.flap_window = Duration(0); }, "flap_window"},
      {"flap_hold 0", [](Config& c) { c.flap_hold = Duration(0); }, kOk},
      {"flap_hold -1 us", [](Config& c) { c.flap_hold = Duration(-1); }, "flap_hold"},
      {"probation_passes 1", [](Config& c) { c.probation_passes = 1; }, kOk},
      {"probation_passes 16", [](Config& c) { c.probation_passes = 16; }, kOk},
      {"probation_passes 0", [](Config& c) { c.probation_passes = 0; }, "probation_passes"},
      {"probation_passes 17", [](Config& c) { c.probation_passes = 17; }, "probation_passes"},
      {"degraded_ratio 0 (off)", [](Config& c) { c.degraded_ratio = 0; }, kOk},
      {"degraded_ratio 0.9", [](Config& c) { c.degraded_ratio = 0.9; }, kOk},
      {"degraded_ratio -0.01", [](Config& c) { c.degraded_ratio = -0.01; }, "degraded_ratio"},
      {"degraded_ratio 0.91", [](Config& c) { c.degraded_ratio = 0.91; }, "degraded_ratio"},
      {"degraded_ratio NaN", [](Config& c) { c.degraded_ratio = std::nan(""); }, "degraded_ratio"},
  });
}

TEST_CASE("a rejected field's error names its limit, and the first bad field is reported") {
  Config c = Config::lan();
  c.ping_attempts = 9;
  c.gossip_nodes = 0;
  const auto result = c.validate();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message == "Config.ping_attempts must be 1..5");
}

}  // namespace
}  // namespace swell
