// UdpTransport: the agent's one UDP socket. Receives into a fixed buffer (alloc_cb only
// hands it out) and sends with uv_udp_try_send, queueing a copy only when the kernel's
// send buffer is full.
#pragma once

#include <uv.h>

#include <array>
#include <cstdint>
#include <functional>

#include "runtime/socket_address.h"
#include "swell/bytes.h"
#include "swell/result.h"

namespace swell::runtime {

/// One bound UDP socket; not movable (libuv handles stay put).
class UdpTransport {
 public:
  /// Called for each datagram read; the bytes are valid only during the call.
  using Receive = std::function<void(const sockaddr* from, ByteView bytes, bool truncated)>;

  UdpTransport() = default;
  UdpTransport(const UdpTransport&) = delete;
  UdpTransport& operator=(const UdpTransport&) = delete;

  /// Adopts a bound UDP socket (closing it on failure) and starts reading. After a
  /// failure, close() must still be called.
  Result<void> open(uv_loop_t* loop, int fd, Receive receive);
  /// Sends one datagram; returns the libuv error (0 on success).
  int send(const SocketAddress& to, ByteView bytes);
  /// Closes the socket; closed runs from the close callback (at once if never opened).
  void close(std::function<void()> closed);

 private:
  static void on_alloc(uv_handle_t* handle, std::size_t suggested, uv_buf_t* buf);
  static void on_recv(uv_udp_t* handle, ssize_t nread, const uv_buf_t* buf, const sockaddr* from, unsigned flags);
  static void on_send(uv_udp_send_t* req, int status);
  static void on_close(uv_handle_t* handle);

  uv_udp_t handle_{};
  bool initialized_ = false;
  Receive receive_;
  std::function<void()> closed_;
  std::array<std::uint8_t, 65536> buffer_{};  // the largest UDP payload, so nothing is cut silently
};

}  // namespace swell::runtime
