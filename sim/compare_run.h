// `swell-sim compare`: both failure detectors at each cluster size and loss, over
// several seeds, side by side (docs/decision.md reads its table). Each cell is the
// default run (sim/default_run.h) in that mode plus the stall check (sim/stall_run.h).
//
//   swell::sim::CompareOptions o; o.sizes = {5, 20, 50}; o.losses = {0, 0.2}; o.seeds = 3;
//   nlohmann::json table = swell::sim::run_compare(o);
//   std::cout << swell::sim::compare_markdown(table);
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "swell/config.h"

namespace swell::sim {

/// What to compare.
struct CompareOptions {
  std::vector<std::size_t> sizes = {5, 10, 20, 25, 50, 100, 200};  ///< Cluster sizes.
  std::vector<double> losses = {0, 0.2};                             ///< Inbound loss levels.
  std::uint64_t seeds = 3;       ///< Seeds per cell: first_seed, first_seed + 1, ...
  std::uint64_t first_seed = 1;  ///< The first seed.
  double steady_s = 60;          ///< Each default run's steady window.
  bool wall_time = true;         ///< Measure CPU per member (varies between runs).
  Config config = Config::lan(); ///< The base config; mode is set per column.
};

/// Runs every (size, loss, mode) cell; returns {"rows": [...]} (fields: docs/decision.md).
nlohmann::json run_compare(const CompareOptions& options);
/// The same rows as a Markdown table.
std::string compare_markdown(const nlohmann::json& table);

}  // namespace swell::sim
