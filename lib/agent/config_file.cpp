#include "agent/config_file.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include <toml++/toml.h>

#include "agent/key_list.h"
#include "agent/key_suggestion.h"
#include "agent/setting_checks.h"
#include "agent/tags.h"

namespace swell::agent {
namespace {

using Check = Result<void> (*)(std::string_view);

const char* type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

// Top-level settings that are one string each, with the check their value must pass.
struct StringKey {
  std::string_view name;
  std::string AgentSettings::*field;
  Check check;
};
const StringKey kStringKeys[] = {
    {"bind", &AgentSettings::bind, check_bind},
    {"advertise", &AgentSettings::advertise, check_advertise},
    {"http", &AgentSettings::http, check_http},
    {"http_token", &AgentSettings::http_token, check_http_token},
    {"data_dir", &AgentSettings::data_dir, check_path},
    {"key_file", &AgentSettings::key_file, check_path},
    {"events_file", &AgentSettings::events_file, check_path},
    {"cluster_label", &AgentSettings::cluster_label, check_cluster_label},
    {"preset", &AgentSettings::preset,
     [](std::string_view t) -> Result<void> {
       auto preset = preset_config(t);
       return preset.ok() ? success() : Result<void>(preset.error());
     }},
};

constexpr std::string_view kRootKeys[] = {
    "id", "bind", "advertise", "seeds", "http", "http_token", "data_dir", "key_file", "create_key", "preset",
    "events_file", "quiet", "cluster_label", "encrypt", "leave_timeout_ms", "peer", "tags", "join", "protocol", "event_handlers", "admission"};
constexpr std::string_view kPeerKeys[] = {"address", "metrics_port", "node_type", "is_load_balancer"};
constexpr std::string_view kAdmissionKeys[] = {"mode", "allowlist_file", "trusted_cas", "certificate_file"};
constexpr std::string_view kHandlerKeys[] = {"joined", "updated", "suspected", "failed", "left", "recovered",
                                             "name_conflict", "rotated", "all", "timeout_ms", "max_concurrent", "max_queued"};

// Reads one parsed file over AgentSettings; each method checks one key or table and
// returns the first error, named "<file>:<line>:<column>: <dotted key>: ...".
class FileReader {
 public:
  FileReader(const std::string& source, AgentSettings& settings, ConfigFileResult& out)
      : source_(source), s_(settings), out_(out) {}

  Result<void> read_root(const toml::table& root) {
    for (auto&& [key, node] : root) {
      if (auto ok = read_root_key(key, node); !ok.ok()) return ok;
    }
    return success();
  }

 private:
  std::string where(const toml::source_region& at, std::string_view key) const {
    return source_ + ":" + std::to_string(at.begin.line) + ":" + std::to_string(at.begin.column) + ": " +
           std::string(key);
  }
  Error fail(const toml::node& node, std::string_view key, const std::string& problem) const {
    return Error{ErrorCode::invalid_config, where(node.source(), key) + ": " + problem};
  }
  Error wrong_type(const toml::node& node, std::string_view key, const std::string& wanted) const {
    return fail(node, key, "must be " + wanted + ", not " + type_name(node.type()));
  }
  void note(std::string_view setting, const toml::node& node, std::string_view key) {
    out_.origins[std::string(setting)] = where(node.source(), key);
  }

  Error unknown(const toml::key& key, std::string_view prefix, std::span<const std::string_view> known) const {
    std::string list;
    for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    const std::string full = std::string(prefix) + std::string(key.str());
    std::string hint = suggest_key(key.str(), known);
    hint = hint.empty() ? "" : "did you mean " + std::string(prefix) + hint + "? ";
    return Error{ErrorCode::invalid_config, where(key.source(), full) + ": unknown key; " + hint +
                                                "the keys here are: " + list + " (docs/agent.md)"};
  }

  Result<std::string> string_of(const toml::node& node, std::string_view key, Check check) const {
    const auto* value = node.as_string();
    if (value == nullptr) return wrong_type(node, key, "a string");
    if (check != nullptr) {
      if (auto ok = check(value->get()); !ok.ok()) return fail(node, key, ok.error().message);
    }
    return value->get();
  }

  Result<bool> bool_of(const toml::node& node, std::string_view key) const {
    const auto* value = node.as_boolean();
    if (value == nullptr) return wrong_type(node, key, "true or false");
    return value->get();
  }

  Result<std::int64_t> integer_of(const toml::node& node, std::string_view key, std::int64_t min, std::int64_t max,
                                  std::string_view unit = "") const {
    const std::string range = "an integer" + std::string(unit) + " " + std::to_string(min) + ".." + std::to_string(max);
    const auto* value = node.as_integer();
    if (value == nullptr) return wrong_type(node, key, range);
    if (value->get() < min || value->get() > max) {
      return fail(node, key, std::to_string(value->get()) + " is out of range: give " + range);
    }
    return value->get();
  }

  Result<std::int64_t> duration_of(const toml::node& node, std::string_view key, bool zero_allowed) const {
    return integer_of(node, key, zero_allowed ? 0 : 1, kMaxDurationMs, " of milliseconds");
  }

  // A string, or an array of strings; each passes check.
  Result<std::vector<std::string>> strings_of(const toml::node& node, std::string_view key, Check check,
                                              bool single_allowed) const {
    if (single_allowed && node.is_string()) {
      auto one = string_of(node, key, check);
      if (!one.ok()) return one.error();
      return std::vector<std::string>{std::move(one).value()};
    }
    const auto* array = node.as_array();
    if (array == nullptr) {
      return wrong_type(node, key, single_allowed ? "a string or an array of strings" : "an array of strings");
    }
    std::vector<std::string> out;
    for (const toml::node& item : *array) {
      auto one = string_of(item, key, check);
      if (!one.ok()) return one.error();
      out.push_back(std::move(one).value());
    }
    return out;
  }

  Result<const toml::table*> table_of(const toml::node& node, std::string_view key) const {
    const auto* table = node.as_table();
    if (table == nullptr) return wrong_type(node, key, "a table ([" + std::string(key) + "])");
    return table;
  }

  Result<void> read_root_key(const toml::key& key, const toml::node& node);
  Result<void> read_root_table(const toml::key& key, const toml::node& node);
  Result<void> read_peer(const toml::table& table);
  Result<void> read_tags(const toml::table& table);
  Result<void> read_numbers(const toml::table& table, std::string_view section);
  Result<void> read_event_handlers(const toml::table& table);
  Result<void> read_admission(const toml::table& table);

  const std::string& source_;
  AgentSettings& s_;
  ConfigFileResult& out_;
};

Result<void> FileReader::read_root_key(const toml::key& key, const toml::node& node) {
  const std::string_view name = key.str();
  for (const StringKey& k : kStringKeys) {
    if (k.name != name) continue;
    auto value = string_of(node, name, k.check);
    if (!value.ok()) return value.error();
    s_.*k.field = std::move(value).value();
    note(name, node, name);
    return success();
  }
  if (name == "id") {
    auto value = string_of(node, name, [](std::string_view t) { return check_member_id(t); });
    if (!value.ok()) return value.error();
    s_.info.id = std::move(value).value();
  } else if (name == "seeds") {
    auto value = strings_of(node, name, check_host_port, false);
    if (!value.ok()) return value.error();
    s_.seeds = std::move(value).value();
  } else if (name == "create_key" || name == "quiet" || name == "encrypt") {
    auto value = bool_of(node, name);
    if (!value.ok()) return value.error();
    (name == "quiet" ? s_.quiet : name == "encrypt" ? s_.encrypt : s_.create_key) = value.value();
  } else if (name == "leave_timeout_ms") {
    auto value = duration_of(node, name, false);
    if (!value.ok()) return value.error();
    s_.leave_timeout = std::chrono::milliseconds(value.value());
  } else {
    return read_root_table(key, node);
  }
  note(name, node, name);
  return success();
}

Result<void> FileReader::read_root_table(const toml::key& key, const toml::node& node) {
  const std::string_view name = key.str();
  const bool known = name == "peer" || name == "tags" || name == "join" || name == "protocol" ||
                     name == "event_handlers" || name == "admission";
  if (!known) return unknown(key, "", kRootKeys);
  auto table = table_of(node, name);
  if (!table.ok()) return table.error();
  const toml::table& t = *table.value();
  if (name == "peer") return read_peer(t);
  if (name == "tags") return read_tags(t);
  if (name == "event_handlers") return read_event_handlers(t);
  if (name == "admission") return read_admission(t);
  return read_numbers(t, name);
}

Result<void> FileReader::read_peer(const toml::table& table) {
  for (auto&& [key, node] : table) {
    const std::string full = "peer." + std::string(key.str());
    if (key.str() == "address") {
      auto value = string_of(node, full, check_host_port);
      if (!value.ok()) return value.error();
      s_.info.address = std::move(value).value();
    } else if (key.str() == "metrics_port") {
      auto value = integer_of(node, full, 0, 65535);
      if (!value.ok()) return value.error();
      s_.info.metrics_port = static_cast<std::uint16_t>(value.value());
    } else if (key.str() == "node_type") {
      auto value = string_of(node, full, nullptr);
      if (!value.ok()) return value.error();
      auto type = parse_node_type(value.value());
      if (!type.ok()) return fail(node, full, type.error().message);
      s_.info.node_type = type.value();
    } else if (key.str() == "is_load_balancer") {
      auto value = bool_of(node, full);
      if (!value.ok()) return value.error();
      s_.info.is_load_balancer = value.value();
    } else {
      return unknown(key, "peer.", kPeerKeys);
    }
    note(full, node, full);
  }
  return success();
}

Result<void> FileReader::read_tags(const toml::table& table) {
  for (auto&& [key, node] : table) {
    const std::string full = "tags." + std::string(key.str());
    if (auto ok = validate_tag_key(key.str()); !ok.ok()) {
      return Error{ErrorCode::invalid_config, where(key.source(), full) + ": " + ok.error().message};
    }
    auto value = string_of(node, full, nullptr);
    if (!value.ok()) return value.error();
    s_.tags[std::string(key.str())] = std::move(value).value();
  }
  if (!table.empty()) note("tags", table, "tags");
  return success();
}

Result<void> FileReader::read_numbers(const toml::table& table, std::string_view section) {
  for (auto&& [key, node] : table) {
    const std::string full = std::string(section) + "." + std::string(key.str());
    const ProtocolKey* k = find_protocol_key(full);
    if (k == nullptr) {
      std::vector<std::string> names;
      for (const ProtocolKey& p : protocol_keys()) {
        if (p.key.substr(0, section.size() + 1) == full.substr(0, section.size() + 1)) {
          names.emplace_back(p.key.substr(section.size() + 1));
        }
      }
      const std::vector<std::string_view> views(names.begin(), names.end());
      return unknown(key, full.substr(0, section.size() + 1), views);
    }
    ProtocolValue value;
    if (k->unit == ProtocolUnit::real) {
      const auto number = node.value<double>();  // an integer reads as a double too
      if (!number || !std::isfinite(*number) || *number <= 0) {
        return fail(node, full, "must be a number > 0, e.g. " + full.substr(section.size() + 1) + " = 1.5");
      }
      value.real = *number;
    } else {
      const std::int64_t max = std::numeric_limits<std::int32_t>::max();
      auto number = k->unit == ProtocolUnit::milliseconds ? duration_of(node, full, k->zero_allowed)
                                                          : integer_of(node, full, k->zero_allowed ? 0 : 1, max);
      if (!number.ok()) return number.error();
      value.integer = number.value();
    }
    out_.protocol[full] = value;
    note(full, node, full);
  }
  return success();
}

Result<void> FileReader::read_event_handlers(const toml::table& table) {
  for (auto&& [key, node] : table) {
    const std::string full = "event_handlers." + std::string(key.str());
    if (is_event_handler_kind(key.str())) {
      auto commands = strings_of(node, full, check_command, true);
      if (!commands.ok()) return commands.error();
      for (std::string& c : commands.value()) s_.handlers.commands.emplace(std::string(key.str()), std::move(c));
    } else if (key.str() == "timeout_ms") {
      auto value = duration_of(node, full, false);
      if (!value.ok()) return value.error();
      s_.handlers.timeout = std::chrono::milliseconds(value.value());
    } else if (key.str() == "max_concurrent" || key.str() == "max_queued") {
      const bool concurrent = key.str() == "max_concurrent";
      auto value = integer_of(node, full, 1, concurrent ? kMaxConcurrentHandlers : kMaxQueuedHandlers);
      if (!value.ok()) return value.error();
      (concurrent ? s_.handlers.max_concurrent : s_.handlers.max_queued) = static_cast<std::size_t>(value.value());
    } else {
      return unknown(key, "event_handlers.", kHandlerKeys);
    }
  }
  return success();
}

}  // namespace

Result<void> read_config_text(std::string_view text, const std::string& source, AgentSettings& settings,
                              ConfigFileResult& out) {
  try {
    const toml::table root = toml::parse(text, std::string_view(source));
    return FileReader(source, settings, out).read_root(root);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    return Error{ErrorCode::invalid_config, source + ":" + std::to_string(at.line) + ":" +
                                                std::to_string(at.column) + ": TOML syntax error: " +
                                                std::string(e.description()) +
                                                "; fix the file (docs/agent.md has an example)"};
  } catch (const std::exception& e) {
    // Out of memory, in practice: never let it escape load_settings.
    return Error{ErrorCode::invalid_config, source + ": could not be read: " + e.what()};
  }
}

Result<void> FileReader::read_admission(const toml::table& table) {
  AdmissionSettings& a = s_.admission;
  for (auto&& [key, node] : table) {
    const std::string full = "admission." + std::string(key.str());
    if (key.str() == "mode") {
      auto value = string_of(node, full, nullptr);
      if (!value.ok()) return value.error();
      auto mode = parse_admission_mode(value.value());
      if (!mode.ok()) return fail(node, full, mode.error().message);
      a.mode = mode.value();
      a.mode_chosen = true;
    } else if (key.str() == "allowlist_file" || key.str() == "certificate_file") {
      auto value = string_of(node, full, check_path);
      if (!value.ok()) return value.error();
      (key.str() == "allowlist_file" ? a.allowlist_file : a.certificate_file) = std::move(value).value();
    } else if (key.str() == "trusted_cas") {
      auto value = strings_of(node, full, nullptr, false);
      if (!value.ok()) return value.error();
      a.trusted_cas.clear();
      const auto* array = node.as_array();
      for (std::size_t i = 0; i < value.value().size(); ++i) {
        auto ca = parse_public_key(value.value()[i]);
        if (!ca.ok()) return fail(*array->get(i), full, ca.error().message + " (a CA's public key)");
        a.trusted_cas.push_back(ca.value());
      }
    } else {
      return unknown(key, "admission.", kAdmissionKeys);
    }
    note(full, node, full);
  }
  return success();
}

Result<void> read_config_file(const std::string& path, AgentSettings& settings, ConfigFileResult& out) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    return Error{ErrorCode::io, "cannot open config file " + path + ": " + std::strerror(errno) +
                                    "; check the path given to --config"};
  }
  std::string text(kMaxConfigFileBytes + 1, '\0');
  const std::size_t n = std::fread(text.data(), 1, text.size(), file.get());
  if (std::ferror(file.get())) {
    return Error{ErrorCode::io, "cannot read config file " + path + ": " + std::strerror(errno) +
                                    "; --config must name a readable TOML file"};
  }
  if (n > kMaxConfigFileBytes) {
    return Error{ErrorCode::invalid_config, path + ": larger than " + std::to_string(kMaxConfigFileBytes) +
                                                " bytes, which no config file is; check the path given to --config"};
  }
  text.resize(n);
  return read_config_text(text, path, settings, out);
}

}  // namespace swell::agent
