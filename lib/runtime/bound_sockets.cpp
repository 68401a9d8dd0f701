#include "runtime/bound_sockets.h"

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace swell::runtime {
namespace {

constexpr int kListenBacklog = 1024;
constexpr int kPortZeroAttempts = 16;

socklen_t length_of(const SocketAddress& a) {
  return a.is_ipv6() ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
}

Error bind_error(const char* proto, const SocketAddress& a, int err) {
  const std::string where = format_socket_address(a.get());
  if (err == EADDRINUSE) {
    return Error{ErrorCode::io, std::string(proto) + " port " + std::to_string(a.port()) + " is in use on " + where +
                                    ": stop the process using it, or bind another port (0 picks a free one)"};
  }
  if (err == EADDRNOTAVAIL) {
    return Error{ErrorCode::io, "cannot bind " + where + ": the address is not on this host; bind one of its "
                                "addresses, or 0.0.0.0 / [::] with an advertise_address"};
  }
  if (err == EACCES) {
    return Error{ErrorCode::io, "cannot bind " + where + ": permission denied; ports below 1024 need privileges"};
  }
  return Error{ErrorCode::io, std::string("cannot bind ") + proto + " " + where + ": " + std::strerror(err)};
}

// A socket of type bound to address; -errno on failure.
int bound_socket(const SocketAddress& address, int type) {
  const int fd = ::socket(address.storage.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  const int one = 1;
  // IPv6 sockets speak IPv6 only, so every peer address has one spelling.
  if (address.is_ipv6()) (void)::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  // TCP: a restarted agent can rebind while old connections sit in TIME_WAIT.
  if (type == SOCK_STREAM) (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, address.get(), length_of(address)) != 0 || (type == SOCK_STREAM && ::listen(fd, kListenBacklog) != 0)) {
    const int err = errno;
    ::close(fd);
    return -err;
  }
  return fd;
}

std::uint16_t port_of(int fd) {
  SocketAddress bound;
  socklen_t len = sizeof bound.storage;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound.storage), &len) != 0) return 0;
  return bound.port();
}

}  // namespace

Result<BoundSockets> bind_sockets(const SocketAddress& address) {
  for (int attempt = 0;; ++attempt) {
    SocketAddress a = address;
    const int udp = bound_socket(a, SOCK_DGRAM);
    if (udp < 0) return bind_error("UDP", a, -udp);
    a.set_port(port_of(udp));
    const int tcp = bound_socket(a, SOCK_STREAM);
    if (tcp >= 0) return BoundSockets{udp, tcp, a.port()};
    ::close(udp);
    // With port 0 the kernel chose a UDP port whose TCP twin is taken: draw another.
    if (address.port() != 0 || -tcp != EADDRINUSE || attempt + 1 >= kPortZeroAttempts) return bind_error("TCP", a, -tcp);
  }
}

}  // namespace swell::runtime
