// ListenAddress: where the HTTP API listens, parsed from "host:port" ("[::1]:7947" for
// IPv6; numeric hosts only), and whether it is reachable only from this host.
//
//   auto a = swell::agent::parse_listen_address("127.0.0.1:0");
//   if (a.ok() && !a.value().loopback && token.empty()) refuse();
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "swell/result.h"

namespace swell::agent {

/// A parsed listen address.
struct ListenAddress {
  std::string host;        ///< Numeric host without brackets: "127.0.0.1", "::1", "0.0.0.0".
  std::uint16_t port = 0;  ///< 0 means "pick a free port".
  bool loopback = false;   ///< True for 127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8.
};

/// Parses host:port; the error (invalid_config) says which part is wrong.
Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace swell::agent
