// RouteTable: the HTTP API's paths and methods, matched segment by segment, so an
// unknown path (404) is told apart from a known path asked with the wrong method (405,
// with the Allow header's value). Patterns are literal segments and "{}" wildcards.
//
//   RouteTable routes;
//   const int get_member = routes.add("GET", "/v1/members/{}");
//   auto m = routes.match("GET", "/v1/members/9f1c04ab");   // m.route == get_member, m.params == {"9f1c04ab"}
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace swell::agent {

/// The outcome of matching one request.
struct RouteMatch {
  int route = -1;                   ///< The route's number from add(), or -1.
  std::vector<std::string> params;  ///< The path segments the "{}" wildcards matched.
  bool path_known = false;          ///< True if some route has this path (route -1 then means 405).
  std::string allow;                ///< The methods this path takes, e.g. "GET, HEAD".
};

/// Method and path patterns; HEAD is answered by GET routes.
class RouteTable {
 public:
  /// Adds a route and returns its number (0, 1, ...).
  int add(std::string method, std::string_view pattern);
  /// Finds the route for method and path (path without the query string).
  [[nodiscard]] RouteMatch match(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{}" matches any one non-empty segment
  };
  std::vector<Route> routes_;
};

}  // namespace swell::agent
