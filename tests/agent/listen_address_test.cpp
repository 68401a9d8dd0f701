#include <doctest/doctest.h>

#include "agent/listen_address.h"

using swell::agent::parse_listen_address;

TEST_CASE("parse_listen_address: host, port and whether only this host can reach it") {
  struct Case {
    const char* text;
    const char* host;
    std::uint16_t port;
    bool loopback;
  };
  const Case cases[] = {
      {"127.0.0.1:7947", "127.0.0.1", 7947, true}, {"127.1.2.3:0", "127.1.2.3", 0, true},
      {"[::1]:7947", "::1", 7947, true},           {"[::ffff:127.0.0.1]:80", "::ffff:127.0.0.1", 80, true},
      {"0.0.0.0:7947", "0.0.0.0", 7947, false},    {"[::]:7947", "::", 7947, false},
      {"10.0.0.5:7947", "10.0.0.5", 7947, false},  {"[::ffff:10.0.0.5]:1", "::ffff:10.0.0.5", 1, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto a = parse_listen_address(c.text);
    REQUIRE(a.ok());
    CHECK(a.value().host == c.host);
    CHECK(a.value().port == c.port);
    CHECK(a.value().loopback == c.loopback);
  }
}

TEST_CASE("parse_listen_address rejects what is not numeric host:port") {
  for (const char* text : {"", "127.0.0.1", "localhost:7947", "::1:7947", "127.0.0.1:99999", "[::1]7947"}) {
    CAPTURE(text);
    auto a = parse_listen_address(text);
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().code == swell::ErrorCode::invalid_config);
    CHECK(a.error().message.find("HTTP listen address") != std::string::npos);
  }
}
