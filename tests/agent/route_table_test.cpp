#include <doctest/doctest.h>

#include "agent/route_table.h"

using swell::agent::RouteTable;

TEST_CASE("RouteTable: literal and wildcard paths, 404 versus 405, HEAD as GET") {
  RouteTable routes;
  const int root = routes.add("GET", "/");
  const int members = routes.add("GET", "/v1/members");
  const int member = routes.add("GET", "/v1/members/{}");
  const int leave = routes.add("PUT", "/v1/leave");
  const int force = routes.add("POST", "/v1/force-leave/{}");

  CHECK(routes.match("GET", "/").route == root);
  CHECK(routes.match("GET", "/v1/members").route == members);
  auto m = routes.match("GET", "/v1/members/backend-7");
  CHECK(m.route == member);
  REQUIRE(m.params.size() == 1);
  CHECK(m.params[0] == "backend-7");
  CHECK(routes.match("HEAD", "/v1/members").route == members);
  CHECK(routes.match("PUT", "/v1/leave").route == leave);
  CHECK(routes.match("POST", "/v1/force-leave/ab12cd34").route == force);

  // Known path, other method: 405 with the methods it takes.
  auto wrong = routes.match("GET", "/v1/leave");
  CHECK(wrong.route == -1);
  CHECK(wrong.path_known);
  CHECK(wrong.allow == "PUT");
  auto post_members = routes.match("POST", "/v1/members");
  CHECK(post_members.path_known);
  CHECK(post_members.allow == "GET, HEAD");

  // Unknown paths: 404.
  for (const char* path : {"/v1", "/v1/members/", "/v1/members/a/b", "/v1/force-leave", "/metricsx", "//"}) {
    CAPTURE(path);
    auto none = routes.match("GET", path);
    CHECK(none.route == -1);
    CHECK_FALSE(none.path_known);
  }
}
