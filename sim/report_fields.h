// ReportFields: the pieces of swell-sim's JSON reports that the default run and the
// scenario runner share, built here once: the digest, traffic totals, summed
// NodeStats and the wall-clock fields. docs/simulator.md defines every field.
//
//   report["digest"] = swell::sim::digest_hex(world.digest());
//   const auto sent = swell::sim::traffic(world);       // bytes and packets so far
//   swell::sim::add_wall_fields(report, wall_start);    // wall_s, peak_rss_mib
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace swell::sim {

class World;

/// A digest as 16 lower-case hex digits.
std::string digest_hex(std::uint64_t digest);

/// What every member has sent so far (lost datagrams included).
struct Traffic {
  std::uint64_t bytes = 0;    ///< Datagram and stream bytes.
  std::uint64_t packets = 0;  ///< Datagrams and stream messages.
};
/// Totals over every member of world.
Traffic traffic(const World& world);

/// NodeStats counters summed over the members up now, as a JSON object.
nlohmann::json node_stats_of_up_members(const World& world);

/// Adds wall_s (wall-clock seconds since start) and peak_rss_mib (the process's peak
/// resident memory), the only fields that vary between runs of one seed.
void add_wall_fields(nlohmann::json& report, std::chrono::steady_clock::time_point start);

}  // namespace swell::sim
