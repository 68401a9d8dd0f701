#include "scenario.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "config_fields.h"
#include "scenario_actions.h"
#include "scenario_reader.h"

namespace swell::sim {
namespace {

constexpr std::uint32_t kMaxNodes = 100000;

Result<Step> parse_step(const toml::table& t, std::size_t index, std::uint32_t nodes) {
  Step step;
  step.line = t.source().begin.line;
  Reader r(t, "step " + std::to_string(index + 1) + ": ", nodes);
  SWELL_TRY(name, r.string("action"));
  if (!is_action_name(name)) {
    return r.fail(t.get("action"), "unknown action '" + name + "'; actions: " + action_names());
  }
  Reader s(t, "step " + std::to_string(index + 1) + " (" + name + "): ", nodes);
  SWELL_TRY(at, s.number("at"));
  if (at < 0) return s.fail(t.get("at"), "'at' must be >= 0 (seconds)");
  step.at_s = at;
  (void)s.get("action");
  SWELL_TRY(note, s.string("note", std::string()));
  step.note = note;
  SWELL_TRY(action, parse_action(name, s, at));
  step.action = std::move(action);
  if (auto ok = s.no_leftovers({}, " for this action"); !ok.ok()) return ok.error();
  return step;
}

// The file's name without its directory and ".toml": the default scenario name.
std::string stem_of(const toml::table& table) {
  const toml::source_region& origin = table.source();
  std::string stem = origin.path ? *origin.path : std::string("scenario");
  if (const auto slash = stem.find_last_of('/'); slash != std::string::npos) stem = stem.substr(slash + 1);
  if (const auto dot = stem.rfind(".toml"); dot != std::string::npos && dot + 5 == stem.size()) stem.resize(dot);
  return stem;
}

// name, seed, nodes, preset, transcript; returns `duration`.
Result<double> parse_top(Reader& top, const toml::table& table, Scenario& sc) {
  SWELL_TRY(name, top.string("name", stem_of(table)));
  sc.name = name;
  SWELL_TRY(seed, top.integer("seed", 1));
  sc.seed = seed;
  SWELL_TRY(nodes, top.integer("nodes"));
  if (nodes < 2 || nodes > kMaxNodes) {
    return top.fail(table.get("nodes"), "'nodes' must be 2.." + std::to_string(kMaxNodes));
  }
  sc.nodes = static_cast<std::uint32_t>(nodes);
  SWELL_TRY(preset, top.string("preset", std::string("lan")));
  auto config = config_preset(preset);
  if (!config.ok()) return top.fail(table.get("preset"), config.error().message);
  sc.preset = preset;
  sc.config = config.value();
  SWELL_TRY(auth, top.string("auth", std::string("real")));
  if (auth != "real" && auth != "fast") return top.fail(table.get("auth"), "'auth' must be \"real\" or \"fast\"");
  sc.pair_keys = auth == "fast" ? PairKeys::hashed : PairKeys::real;
  SWELL_TRY(duration, top.number("duration", 0.0));
  if (duration < 0) return top.fail(table.get("duration"), "'duration' must be >= 0 (seconds)");
  SWELL_TRY(transcript, top.boolean("transcript", false));
  sc.transcript = transcript;
  return duration;
}

Result<void> parse_config(Reader& top, const toml::node& node, Config& config) {
  const toml::table* overrides = node.as_table();
  if (overrides == nullptr) return top.fail(&node, "[config] must be a table of Config fields");
  // Dotted keys (peer_info.max_metadata_bytes) arrive as nested tables.
  std::vector<std::pair<std::string, const toml::node*>> flat;
  for (auto&& [key, value] : *overrides) {
    if (const toml::table* inner = value.as_table()) {
      for (auto&& [k2, v2] : *inner) flat.emplace_back(std::string(key.str()) + "." + std::string(k2.str()), &v2);
    } else {
      flat.emplace_back(std::string(key.str()), &value);
    }
  }
  for (const auto& [key, value] : flat) {
    // The one text field: numbers and booleans go through set_config_field.
    if (key == "cluster_label") {
      const auto* text = value->as_string();
      if (text == nullptr) return error_at(value->source(), "[config] cluster_label must be a string");
      config.cluster_label = text->get();
      continue;
    }
    auto number = number_of(*value);
    if (const auto* b = value->as_boolean()) number = b->get() ? 1.0 : 0.0;
    if (!number) {
      return error_at(value->source(), "[config] " + key + " must be a number (durations in ms) or a boolean");
    }
    if (auto ok = set_config_field(config, key, *number); !ok.ok()) {
      return error_at(value->source(), "[config] " + ok.error().message);
    }
  }
  if (auto ok = config.validate(); !ok.ok()) return error_at(node.source(), "[config] " + ok.error().message);
  return success();
}

// A probability key, absent: fallback.
Result<double> probability_or(Reader& r, std::string_view key, double fallback) {
  SWELL_TRY(p, r.number(key, fallback));
  if (p < 0 || p > 1) return r.fail(r.get(key), std::string(key) + " must be 0..1");
  return p;
}

// A positive key, absent: fallback.
Result<double> positive_or(Reader& r, std::string_view key, double fallback) {
  SWELL_TRY(v, r.number(key, fallback));
  if (v <= 0) return r.fail(r.get(key), std::string(key) + " must be > 0");
  return v;
}

// The optional faults and the stream model (docs/simulator.md, "Network model").
Result<void> parse_network_options(Reader& r, NetworkOptions& o) {
  SWELL_TRY(to_bad, probability_or(r, "burst_to_bad", o.burst.to_bad));
  SWELL_TRY(to_good, probability_or(r, "burst_to_good", o.burst.to_good));
  SWELL_TRY(loss_good, probability_or(r, "burst_loss_good", o.burst.loss_good));
  SWELL_TRY(loss_bad, probability_or(r, "burst_loss_bad", o.burst.loss_bad));
  o.burst = BurstLoss{to_bad, to_good, loss_good, loss_bad};
  SWELL_TRY(duplicate, probability_or(r, "duplicate", o.duplicate));
  SWELL_TRY(reorder, probability_or(r, "reorder", o.reorder));
  SWELL_TRY(reorder_ms, r.number("reorder_ms", static_cast<double>(o.reorder_max.count()) / 1000.0));
  if (reorder_ms < 0) return r.fail(r.get("reorder_ms"), "reorder_ms must be >= 0");
  o.duplicate = duplicate;
  o.reorder = reorder;
  o.reorder_max = ms(reorder_ms);
  SWELL_TRY(mbps, positive_or(r, "bandwidth_mbps", o.streams.bandwidth_bps / 1e6));
  SWELL_TRY(rto, positive_or(r, "rto_ms", static_cast<double>(o.streams.rto.count()) / 1000.0));
  SWELL_TRY(syn_rto, positive_or(r, "syn_rto_ms", static_cast<double>(o.streams.syn_rto.count()) / 1000.0));
  o.streams.bandwidth_bps = mbps * 1e6;
  o.streams.rto = ms(rto);
  o.streams.syn_rto = ms(syn_rto);
  SWELL_TRY(segment_loss, r.boolean("stream_segment_loss", o.streams.segment_loss));
  o.streams.segment_loss = segment_loss;
  return success();
}

Result<void> parse_network(Reader& top, const toml::node& node, Scenario& sc) {
  const toml::table* net = node.as_table();
  if (net == nullptr) return top.fail(&node, "[network] must be a table");
  Reader r(*net, "[network] ", sc.nodes);
  if (const toml::node* lat = r.get("latency_ms")) {
    const toml::array* pair = lat->as_array();
    std::optional<double> lo, hi;
    if (pair != nullptr && pair->size() == 2) lo = number_of(*pair->get(0)), hi = number_of(*pair->get(1));
    if (!lo || !hi || *lo < 0 || *hi < *lo) return r.fail(lat, "latency_ms must be [min, max] with 0 <= min <= max");
    sc.latency = LatencyRange{ms(*lo), ms(*hi)};
  }
  SWELL_TRY(loss, r.number("loss", 0.0));
  SWELL_TRY(inbound, r.number("inbound_loss", 0.0));
  if (loss < 0 || loss > 1) return r.fail(net->get("loss"), "loss must be 0..1");
  if (inbound < 0 || inbound > 1) return r.fail(net->get("inbound_loss"), "inbound_loss must be 0..1");
  sc.loss = loss;
  sc.inbound_loss = inbound;
  if (auto ok = parse_network_options(r, sc.network); !ok.ok()) return ok.error();
  return r.no_leftovers({});
}

Result<void> parse_admission(Reader& top, const toml::node& node, Scenario& sc) {
  const toml::table* t = node.as_table();
  if (t == nullptr) return top.fail(&node, "[admission] must be a table");
  Reader r(*t, "[admission] ", sc.nodes);
  ScenarioAdmission& a = sc.admission;
  a.present = true;
  SWELL_TRY(mode, r.string("mode", std::string("open")));
  if (mode == "open") a.mode = AdmissionMode::open;
  else if (mode == "allowlist") a.mode = AdmissionMode::allowlist;
  else if (mode == "ca") a.mode = AdmissionMode::ca;
  else return r.fail(t->get("mode"), "mode must be \"open\", \"allowlist\" or \"ca\"");
  if (const toml::node* outsiders = r.get("outsiders")) {
    SWELL_TRY(selector, r.selector_of(*outsiders, "outsiders"));
    if (selector.kind != Selector::Kind::list) return r.fail(outsiders, "outsiders must be a list of member indices");
    a.outsiders = selector.members;
  }
  SWELL_TRY(ca_seed, r.integer("ca_seed", 1));
  a.ca_seed = ca_seed;
  SWELL_TRY(expire, r.number("certificates_expire", 0.0));
  if (expire < 0) return r.fail(t->get("certificates_expire"), "certificates_expire must be >= 0 (seconds)");
  a.certificates_expire_s = expire;
  return r.no_leftovers({});
}

Result<void> parse_steps(Reader& top, const toml::node& node, Scenario& sc) {
  const toml::array* steps = node.as_array();
  if (steps == nullptr) return top.fail(&node, "steps are written [[step]]");
  for (std::size_t k = 0; k < steps->size(); ++k) {
    const toml::table* t = steps->get(k)->as_table();
    if (t == nullptr) return error_at(steps->get(k)->source(), "each [[step]] must be a table");
    SWELL_TRY(step, parse_step(*t, k, sc.nodes));
    sc.steps.push_back(std::move(step));
  }
  return success();
}

}  // namespace

Result<toml::table> parse_scenario_text(std::string_view text, std::string source_name) {
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, std::move(source_name));
  } catch (const toml::parse_error& e) {
    return error_at(e.source(), std::string(e.description()));
  } catch (const std::exception& e) {
    return Error{ErrorCode::invalid_argument, source_name + ": " + e.what()};
  }
#else
  toml::parse_result result = toml::parse(text, std::move(source_name));
  if (!result) return error_at(result.error().source(), std::string(result.error().description()));
  return std::move(result).table();
#endif
}

Result<toml::table> load_scenario_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::io, path + ": cannot open the scenario file"};
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error{ErrorCode::io, path + ": read failed"};
  return parse_scenario_text(text.str(), path);
}

Result<Scenario> parse_scenario(const toml::table& table) {
  Scenario sc;
  Reader top(table, "", kMaxNodes);
  SWELL_TRY(duration, parse_top(top, table, sc));
  if (const toml::node* node = top.get("config")) {
    if (auto ok = parse_config(top, *node, sc.config); !ok.ok()) return ok.error();
  }
  if (const toml::node* node = top.get("network")) {
    if (auto ok = parse_network(top, *node, sc); !ok.ok()) return ok.error();
  }
  if (const toml::node* node = top.get("admission")) {
    if (auto ok = parse_admission(top, *node, sc); !ok.ok()) return ok.error();
  }
  if (const toml::node* node = top.get("step")) {
    if (auto ok = parse_steps(top, *node, sc); !ok.ok()) return ok.error();
  }
  if (auto ok = top.no_leftovers({}); !ok.ok()) return ok.error();
  std::stable_sort(sc.steps.begin(), sc.steps.end(), [](const Step& a, const Step& b) { return a.at_s < b.at_s; });
  sc.duration_s = duration;
  for (const Step& s : sc.steps) sc.duration_s = std::max(sc.duration_s, s.at_s + within_of(s.action));
  return sc;
}

}  // namespace swell::sim
