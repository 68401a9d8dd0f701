#include "agent/route_table.h"

#include <optional>

namespace swell::agent {
namespace {

// "/v1/members/x" -> {"v1", "members", "x"}; "/" -> {}. A trailing slash is a distinct,
// empty last segment, so "/v1/members/" matches neither route and is 404.
std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  if (path.empty() || path == "/") return out;
  if (path.front() == '/') path.remove_prefix(1);
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    out.emplace_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

std::optional<std::vector<std::string>> match_segments(const std::vector<std::string>& pattern,
                                                       const std::vector<std::string>& path) {
  if (pattern.size() != path.size()) return std::nullopt;
  std::vector<std::string> params;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "{}") {
      if (path[i].empty()) return std::nullopt;
      params.push_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return std::nullopt;
    }
  }
  return params;
}

}  // namespace

int RouteTable::add(std::string method, std::string_view pattern) {
  routes_.push_back(Route{std::move(method), split_path(pattern)});
  return static_cast<int>(routes_.size()) - 1;
}

RouteMatch RouteTable::match(std::string_view method, std::string_view path) const {
  RouteMatch out;
  const std::vector<std::string> segments = split_path(path);
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    auto params = match_segments(routes_[i].segments, segments);
    if (!params) continue;
    out.path_known = true;
    if (out.allow.find(routes_[i].method) == std::string::npos) {
      if (!out.allow.empty()) out.allow += ", ";
      out.allow += routes_[i].method;
      if (routes_[i].method == "GET") out.allow += ", HEAD";
    }
    if (out.route < 0 && routes_[i].method == wanted) {
      out.route = static_cast<int>(i);
      out.params = std::move(*params);
    }
  }
  return out;
}

}  // namespace swell::agent
