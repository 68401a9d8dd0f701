// ConfigFields: every Config field can be set by name, and none is missing.
#include <doctest/doctest.h>

#include <set>
#include <utility>

#include "config_fields.h"

namespace swell::sim {
namespace {

// Counts an aggregate's fields: the largest N for which T{x1, ..., xN} compiles with
// an x that converts to anything (a nested aggregate takes one x, not its fields).
struct AnyField {
  template <class T>
  operator T() const;  // NOLINT(google-explicit-constructor): declared only, never called
};
template <class T, std::size_t... I>
constexpr bool braces_with(std::index_sequence<I...>) {
  return requires { T{(static_cast<void>(I), AnyField{})...}; };
}
template <class T, std::size_t N = 0>
constexpr std::size_t field_count() {
  if constexpr (braces_with<T>(std::make_index_sequence<N + 1>{})) {
    return field_count<T, N + 1>();
  } else {
    return N;
  }
}

TEST_CASE("config_fields() names every Config field") {
  // If this fails, a field was added to swell::Config: add it to sim/config_fields.cpp
  // (and docs/simulator.md) so scenarios and --set can reach it.
  const std::size_t top_level = field_count<Config>();
  const std::size_t limits = field_count<PeerInfoLimits>();
  // peer_info is listed field by field; cluster_label, the one text field, is set by
  // name in a scenario's [config] table, not through config_fields().
  CHECK(config_fields().size() == top_level - 2 + limits);
  std::set<std::string_view> names;
  for (const ConfigField& f : config_fields()) CHECK(names.insert(f.name).second);
}

TEST_CASE("every field round-trips through set_config_field, durations in ms") {
  for (const ConfigField& f : config_fields()) {
    CAPTURE(f.name);
    Config c;
    // mode is an enum (0 swim, 1 majority, 2 automatic): its largest value round-trips.
    const double value = f.unit == FieldUnit::real      ? 1.25
                         : f.unit == FieldUnit::boolean ? 1
                         : f.name == std::string_view("mode") ? 2
                                                              : 777;
    REQUIRE(set_config_field(c, f.name, value).ok());
    CHECK(f.get(c) == value);
  }
  Config c;
  REQUIRE(set_config_field(c, "probe_interval", 1500).ok());
  CHECK(c.probe_interval == std::chrono::milliseconds(1500));
  REQUIRE(set_config_field(c, "probe_timeout", 0.5).ok());
  CHECK(c.probe_timeout == std::chrono::microseconds(500));
  REQUIRE(set_config_field(c, "peer_info.max_metadata_bytes", 100).ok());
  CHECK(c.peer_info.max_metadata_bytes == 100);
}

TEST_CASE("bad names and values are errors that say what to fix") {
  Config c;
  auto unknown = set_config_field(c, "probe_intervall", 1);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("probe_interval") != std::string::npos);  // lists the real names
  CHECK_FALSE(set_config_field(c, "ping_attempts", 1.5).ok());
  CHECK_FALSE(set_config_field(c, "max_members", -1).ok());
  CHECK(set_config_field(c, "suspicion_mult", 0.5).ok());
  CHECK_FALSE(set_config_field(c, "simulated_pair_keys", 1).ok());  // moved: a scenario's top-level auth = "fast"
}

TEST_CASE("presets by name") {
  CHECK(config_preset("lan").value().probe_interval == Config::lan().probe_interval);
  CHECK(config_preset("wan").value().probe_interval == Config::wan().probe_interval);
  CHECK(config_preset("local").value().probe_interval == Config::local().probe_interval);
  CHECK_FALSE(config_preset("lam").ok());
}

}  // namespace
}  // namespace swell::sim
