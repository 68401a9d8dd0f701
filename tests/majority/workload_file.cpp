#include "workload_file.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace swell::workload {
namespace {

// Splits off the next whitespace-separated field of rest.
std::string_view next_field(std::string_view& rest) {
  const auto begin = rest.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) {
    rest = {};
    return {};
  }
  rest.remove_prefix(begin);
  const auto end = std::min(rest.find_first_of(" \t\r"), rest.size());
  const std::string_view field = rest.substr(0, end);
  rest.remove_prefix(end);
  return field;
}

template <class T>
bool parse_number(std::string_view field, T& value) {
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  return ec == std::errc() && end == field.data() + field.size();
}

}  // namespace

Result<Views> parse_workload(std::string_view text) {
  Views views;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const auto newline = std::min(text.find('\n'), text.size());
    std::string_view rest = text.substr(0, newline);
    text.remove_prefix(std::min(newline + 1, text.size()));
    ++line_number;
    if (rest.empty() || rest.front() == '#' || rest.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::size_t peer = 0;
    unsigned port = 0;
    unsigned load_balancer = 0;
    PeerInfo info;
    const std::string_view peer_field = next_field(rest);
    info.id = std::string(next_field(rest));
    info.address = std::string(next_field(rest));
    const std::string_view port_field = next_field(rest);
    const std::string_view type_field = next_field(rest);
    const std::string_view lb_field = next_field(rest);
    const std::string_view ms_field = next_field(rest);
    auto node_type = parse_node_type(type_field);
    if (!parse_number(peer_field, peer) || info.id.empty() || info.address.empty() ||
        !parse_number(port_field, port) || port > 65535 || !parse_number(lb_field, load_balancer) ||
        load_balancer > 1 || !parse_number(ms_field, info.last_updated_ms) || !node_type.ok() ||
        !next_field(rest).empty() || peer > 1'000'000) {
      return Error{ErrorCode::invalid_argument,
                   "workload line " + std::to_string(line_number) +
                       ": expected \"peer id address metrics_port node_type is_load_balancer last_updated_ms\""};
    }
    info.metrics_port = static_cast<std::uint16_t>(port);
    info.node_type = node_type.value();
    info.is_load_balancer = load_balancer == 1;
    if (views.size() <= peer) views.resize(peer + 1);
    views[peer].push_back(std::move(info));
  }
  return views;
}

Result<Views> read_workload(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{ErrorCode::io, "cannot open workload " + path};
  std::ostringstream text;
  text << file.rdbuf();
  return parse_workload(text.str());
}

std::string format_record(const PeerInfo& info) {
  std::string line = info.id;
  line += ' ';
  line += info.address;
  line += ' ';
  line += std::to_string(info.metrics_port);
  line += ' ';
  line += to_string(info.node_type);
  line += info.is_load_balancer ? " 1 " : " 0 ";
  line += std::to_string(info.last_updated_ms);
  return line;
}

std::string format_metrics(const ResolveMetrics& metrics) {
  return "# nodes=" + std::to_string(metrics.nodes) + " conflicts=" + std::to_string(metrics.conflicts) +
         " tie_breaks=" + std::to_string(metrics.tie_breaks) +
         " ambiguous_majorities=" + std::to_string(metrics.ambiguous_majorities);
}

}  // namespace swell::workload
