// SocketAddress: a numeric IPv4 or IPv6 socket address, parsed from and printed as the
// "host:port" text the protocol core uses ("10.0.0.5:7946", "[::1]:7946").
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "swell/result.h"

namespace swell::runtime {

/// A numeric socket address, IPv4 or IPv6.
struct SocketAddress {
  sockaddr_storage storage{};  ///< sockaddr_in or sockaddr_in6.

  /// The address as the sockets API takes it.
  [[nodiscard]] const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  /// True for IPv6.
  [[nodiscard]] bool is_ipv6() const { return storage.ss_family == AF_INET6; }
  /// True for 0.0.0.0 and ::, which peers cannot send to.
  [[nodiscard]] bool is_unspecified() const;
  /// The port in host order.
  [[nodiscard]] std::uint16_t port() const;
  /// Replaces the port.
  void set_port(std::uint16_t port);
};

/// Parses "a.b.c.d:port" or "[v6]:port" (numeric hosts only: resolve names first).
/// The error says which part is wrong and how to write it.
Result<SocketAddress> parse_socket_address(std::string_view host_port);

/// "a.b.c.d:port" or "[v6]:port"; an IPv4-mapped IPv6 address prints as IPv4.
std::string format_socket_address(const sockaddr* address);

/// The host part of a "host:port" text (brackets removed), or the whole text if no port.
std::string_view host_of(std::string_view host_port);

}  // namespace swell::runtime
