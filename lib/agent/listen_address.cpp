#include "agent/listen_address.h"

#include <arpa/inet.h>

#include "runtime/socket_address.h"

namespace swell::agent {
namespace {

bool is_loopback(const runtime::SocketAddress& a) {
  if (a.is_ipv6()) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6*>(&a.storage)->sin6_addr;
    // ::ffff:127.x.x.x reaches the IPv4 loopback through a dual-stack socket.
    return IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
  }
  const auto addr = ntohl(reinterpret_cast<const sockaddr_in*>(&a.storage)->sin_addr.s_addr);
  return (addr >> 24) == 127;
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
  auto parsed = runtime::parse_socket_address(text);
  if (!parsed.ok()) {
    return Error{ErrorCode::invalid_config, "HTTP listen address: " + parsed.error().message};
  }
  ListenAddress out;
  out.host = std::string(runtime::host_of(text));
  out.port = parsed.value().port();
  out.loopback = is_loopback(parsed.value());
  return out;
}

}  // namespace swell::agent
