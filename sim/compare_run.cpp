#include "compare_run.h"

#include <algorithm>
#include <cstdio>

#include "default_run.h"
#include "stall_run.h"

namespace swell::sim {
namespace {

double median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v[(v.size() - 1) / 2];
}

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (const double x : v) sum += x;
  return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

// One (size, loss, mode) cell over every seed.
nlohmann::json run_cell(const CompareOptions& o, std::size_t nodes, double loss, ClusterMode mode) {
  std::vector<double> detect, bytes, cpu, spread;
  std::vector<nlohmann::json> per_seed;
  std::uint64_t false_dead = 0, disagreements = 0, stall_failed = 0;
  bool stall_ok = true;
  for (std::uint64_t s = 0; s < o.seeds; ++s) {
    DefaultRunOptions run;
    run.nodes = nodes;
    run.loss = loss;
    run.seed = o.first_seed + s;
    run.steady_s = o.steady_s;
    run.wall_time = o.wall_time;
    run.config = o.config;
    run.config.mode = mode;
    const nlohmann::json r = run_default(run);
    false_dead += r["false_dead_in_steady"].get<std::uint64_t>();
    if (!r["detect_median_s"].is_null()) {
      detect.push_back(r["detect_median_s"].get<double>());
      spread.push_back(r["detect_last_s"].get<double>() - r["detect_first_s"].get<double>());
    }
    bytes.push_back(r["bytes_per_node_per_s"].get<double>());
    if (r.contains("cpu_ms_per_node_per_s") && r["cpu_ms_per_node_per_s"].is_number()) {
      cpu.push_back(r["cpu_ms_per_node_per_s"].get<double>());
    }
    StallOptions stall;
    stall.nodes = nodes;
    stall.loss = loss;
    stall.seed = o.first_seed + s;
    stall.config = run.config;
    const StallResult st = run_stall(stall);
    stall_ok &= st.tolerated;
    stall_failed += st.failed_events;
    disagreements += st.disagreements;
    per_seed.push_back({{"seed", run.seed},
                        {"detect_median_s", r["detect_median_s"]},
                        {"verdict_spread_s", detect.empty() ? nlohmann::json(nullptr) : nlohmann::json(spread.back())},
                        {"bytes_per_node_per_s", r["bytes_per_node_per_s"]},
                        {"false_dead_in_steady", r["false_dead_in_steady"]},
                        {"stall_failed_events", st.failed_events},
                        {"disagreements", st.disagreements}});
  }
  nlohmann::json row;
  row["nodes"] = nodes;
  row["loss"] = loss;
  row["mode"] = to_string(mode);
  row["seeds"] = o.seeds;
  row["detect_median_s"] = detect.size() == o.seeds ? nlohmann::json(median(detect)) : nlohmann::json(nullptr);
  row["detect_worst_s"] = detect.empty() ? nlohmann::json(nullptr) : nlohmann::json(*std::max_element(detect.begin(), detect.end()));
  row["false_dead_in_steady"] = false_dead;
  row["stall_3s_tolerated"] = stall_ok;
  row["stall_failed_events"] = stall_failed;
  row["bytes_per_node_per_s"] = mean(bytes);
  row["cpu_ms_per_node_per_s"] = cpu.empty() ? nlohmann::json(nullptr) : nlohmann::json(mean(cpu));
  row["verdict_spread_s"] = spread.empty() ? nlohmann::json(nullptr) : nlohmann::json(*std::max_element(spread.begin(), spread.end()));
  row["disagreements"] = disagreements;
  row["per_seed"] = per_seed;
  return row;
}

std::string fixed(const nlohmann::json& v, int digits) {
  if (!v.is_number()) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v.get<double>());
  return buf;
}

}  // namespace

nlohmann::json run_compare(const CompareOptions& o) {
  nlohmann::json table;
  table["seeds"] = o.seeds;
  table["first_seed"] = o.first_seed;
  table["steady_s"] = o.steady_s;
  table["rows"] = nlohmann::json::array();
  for (const std::size_t nodes : o.sizes) {
    for (const double loss : o.losses) {
      for (const ClusterMode mode : {ClusterMode::majority, ClusterMode::swim}) {
        table["rows"].push_back(run_cell(o, nodes, loss, mode));
      }
    }
  }
  return table;
}

std::string compare_markdown(const nlohmann::json& table) {
  std::string out =
      "| nodes | loss | mode | detect median (s) | detect worst (s) | false dead | 3 s stall survived | "
      "bytes/node/s | cpu ms/node/s | verdict spread (s) | disagreements |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const nlohmann::json& r : table["rows"]) {
    out += "| " + std::to_string(r["nodes"].get<std::size_t>()) + " | " + fixed(r["loss"], 1) + " | " +
           r["mode"].get<std::string>() + " | " + fixed(r["detect_median_s"], 2) + " | " +
           fixed(r["detect_worst_s"], 2) + " | " + std::to_string(r["false_dead_in_steady"].get<std::uint64_t>()) +
           " | " + (r["stall_3s_tolerated"].get<bool>() ? "y" : "n") + " | " + fixed(r["bytes_per_node_per_s"], 0) +
           " | " + fixed(r["cpu_ms_per_node_per_s"], 3) + " | " + fixed(r["verdict_spread_s"], 2) + " | " +
           std::to_string(r["disagreements"].get<std::uint64_t>()) + " |\n";
  }
  return out;
}

}  // namespace swell::sim
