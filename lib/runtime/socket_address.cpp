#include "runtime/socket_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace swell::runtime {
namespace {

Error bad_address(std::string_view text, const std::string& why) {
  return Error{ErrorCode::invalid_argument,
               "address \"" + std::string(text) + "\": " + why +
                   "; write a numeric host and a port, like 10.0.0.5:7946 or [::1]:7946"};
}

}  // namespace

bool SocketAddress::is_unspecified() const {
  if (is_ipv6()) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
    return IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr);
  }
  return reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr.s_addr == htonl(INADDR_ANY);
}

std::uint16_t SocketAddress::port() const {
  if (is_ipv6()) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
}

void SocketAddress::set_port(std::uint16_t port) {
  if (is_ipv6()) {
    reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in*>(&storage)->sin_port = htons(port);
  }
}

Result<SocketAddress> parse_socket_address(std::string_view text) {
  std::string host;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return bad_address(text, "'[' without ']'");
    host = std::string(text.substr(1, close - 1));
    if (close + 1 >= text.size() || text[close + 1] != ':') return bad_address(text, "no ':port' after ']'");
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad_address(text, "no ':port'");
    host = std::string(text.substr(0, colon));
    if (host.find(':') != std::string::npos) return bad_address(text, "an IPv6 host needs brackets");
    port_text = text.substr(colon + 1);
  }
  unsigned port = 0;
  const auto* end = port_text.data() + port_text.size();
  const auto parsed = std::from_chars(port_text.data(), end, port);
  if (port_text.empty() || parsed.ec != std::errc() || parsed.ptr != end || port > 65535) {
    return bad_address(text, "the port must be a number 0..65535");
  }
  SocketAddress out;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
  } else {
    return bad_address(text, "\"" + host + "\" is not a numeric IPv4 or IPv6 address");
  }
  out.set_port(static_cast<std::uint16_t>(port));
  return out;
}

std::string format_socket_address(const sockaddr* address) {
  char host[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(address);
    const auto port = std::to_string(ntohs(a->sin6_port));
    if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
      inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], host, sizeof host);
      return std::string(host) + ":" + port;
    }
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + port;
  }
  const auto* a = reinterpret_cast<const sockaddr_in*>(address);
  inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
  return std::string(host) + ":" + std::to_string(ntohs(a->sin_port));
}

std::string_view host_of(std::string_view text) {
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    return close == std::string_view::npos ? text : text.substr(1, close - 1);
  }
  const auto colon = text.rfind(':');
  return colon == std::string_view::npos ? text : text.substr(0, colon);
}

}  // namespace swell::runtime
