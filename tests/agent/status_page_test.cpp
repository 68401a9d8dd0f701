#include <doctest/doctest.h>

#include "agent/status_page.h"

using swell::agent::status_page_html;

TEST_CASE("the status page is one self-contained document with the hooks tests read") {
  const std::string page = status_page_html();
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("</html>") != std::string::npos);
  // No external assets: nothing is loaded from elsewhere.
  for (const char* external : {"src=", "href=", "@import", "url(", "http://", "https://"}) {
    CAPTURE(external);
    CHECK(page.find(external) == std::string::npos);
  }
  for (const char* hook : {"/v1/self", "/v1/members", "/v1/events", "\"member\"", "data-state", "evidence",
                           "Authorization", "token", "setInterval(refresh, 2000)"}) {
    CAPTURE(hook);
    CHECK(page.find(hook) != std::string::npos);
  }
  // Peers' names and tags are untrusted: the script never parses them as HTML.
  CHECK(page.find("innerHTML") == std::string::npos);
}
