#include <doctest/doctest.h>

#include "runtime/socket_address.h"

using swell::runtime::format_socket_address;
using swell::runtime::parse_socket_address;

TEST_CASE("socket addresses parse and print in the core's host:port spelling") {
  struct Case {
    const char* text;
    bool ok;
  };
  const Case cases[] = {
      {"127.0.0.1:7946", true}, {"[::1]:0", true},         {"0.0.0.0:65535", true}, {"[fe80::1]:7", true},
      {"127.0.0.1", false},     {"::1:7946", false},       {"[::1]7946", false},    {"host:7946", false},
      {"1.2.3.4:65536", false}, {"1.2.3.4:", false},        {"1.2.3.4:x", false},    {"[::1:5", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto parsed = parse_socket_address(c.text);
    CHECK(parsed.ok() == c.ok);
    if (parsed.ok()) {
      CHECK(format_socket_address(parsed.value().get()) == c.text);
    } else {
      CHECK(parsed.error().message.find("like 10.0.0.5:7946") != std::string::npos);
    }
  }
  CHECK(parse_socket_address("0.0.0.0:1").value().is_unspecified());
  CHECK(parse_socket_address("[::]:1").value().is_unspecified());
  CHECK_FALSE(parse_socket_address("[::1]:1").value().is_unspecified());
}
