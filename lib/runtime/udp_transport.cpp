#include "runtime/udp_transport.h"
#include "runtime/uv_error.h"

#include <cstring>
#include <unistd.h>

namespace swell::runtime {
namespace {

// A datagram the kernel could not take at once, with its own copy of the bytes.
struct PendingSend {
  uv_udp_send_t req{};
  Bytes bytes;
};

}  // namespace

Result<void> UdpTransport::open(uv_loop_t* loop, int fd, Receive receive) {
  receive_ = std::move(receive);
  if (const int rc = uv_udp_init(loop, &handle_); rc != 0) {
    ::close(fd);
    return uv_error("cannot create a UDP handle", rc);
  }
  initialized_ = true;
  handle_.data = this;
  if (const int rc = uv_udp_open(&handle_, fd); rc != 0) {
    ::close(fd);
    return uv_error("cannot adopt the UDP socket", rc);
  }
  if (const int rc = uv_udp_recv_start(&handle_, on_alloc, on_recv); rc != 0) {
    return uv_error("cannot read the UDP socket", rc);
  }
  return success();
}

int UdpTransport::send(const SocketAddress& to, ByteView bytes) {
  uv_buf_t buf = uv_buf_init(reinterpret_cast<char*>(const_cast<std::uint8_t*>(bytes.data())),
                             static_cast<unsigned>(bytes.size()));
  const int sent = uv_udp_try_send(&handle_, &buf, 1, to.get());
  if (sent >= 0) return 0;
  if (sent != UV_EAGAIN) return sent;
  // The send buffer is full (or earlier sends are queued): queue a copy, in order.
  auto* pending = new PendingSend;
  pending->bytes.assign(bytes.begin(), bytes.end());
  buf = uv_buf_init(reinterpret_cast<char*>(pending->bytes.data()), static_cast<unsigned>(pending->bytes.size()));
  const int rc = uv_udp_send(&pending->req, &handle_, &buf, 1, to.get(), on_send);
  if (rc != 0) delete pending;
  return rc;
}

void UdpTransport::close(std::function<void()> closed) {
  if (!initialized_) {
    if (closed) closed();
    return;
  }
  closed_ = std::move(closed);
  initialized_ = false;
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_), on_close);
}

void UdpTransport::on_alloc(uv_handle_t* handle, std::size_t /*suggested*/, uv_buf_t* buf) {
  auto* self = static_cast<UdpTransport*>(handle->data);
  *buf = uv_buf_init(reinterpret_cast<char*>(self->buffer_.data()), static_cast<unsigned>(self->buffer_.size()));
}

void UdpTransport::on_recv(uv_udp_t* handle, ssize_t nread, const uv_buf_t* buf, const sockaddr* from,
                           unsigned flags) {
  auto* self = static_cast<UdpTransport*>(handle->data);
  // nread == 0 with no sender means "nothing more for now"; errors are transient on UDP.
  if (nread < 0 || from == nullptr) return;
  self->receive_(from, ByteView(reinterpret_cast<const std::uint8_t*>(buf->base), static_cast<std::size_t>(nread)),
                 (flags & UV_UDP_PARTIAL) != 0);
}

void UdpTransport::on_send(uv_udp_send_t* req, int /*status*/) {
  delete reinterpret_cast<PendingSend*>(req);  // req is PendingSend's first member
}

void UdpTransport::on_close(uv_handle_t* handle) {
  auto* self = static_cast<UdpTransport*>(handle->data);
  if (self->closed_) std::exchange(self->closed_, nullptr)();
}

}  // namespace swell::runtime
