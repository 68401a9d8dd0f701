#include "runtime/stream_listener.h"
#include "runtime/uv_error.h"

#include <string>
#include <unistd.h>
#include <utility>

namespace swell::runtime {
namespace {

constexpr int kBacklog = 1024;

void free_refused(uv_handle_t* handle) { delete reinterpret_cast<uv_tcp_t*>(handle); }

}  // namespace

Result<void> StreamListener::open(uv_loop_t* loop, int fd, Accept accept) {
  accept_ = std::move(accept);
  if (const int rc = uv_tcp_init(loop, &handle_); rc != 0) {
    ::close(fd);
    return uv_error("cannot create a TCP handle", rc);
  }
  initialized_ = true;
  handle_.data = this;
  if (const int rc = uv_tcp_open(&handle_, fd); rc != 0) {
    ::close(fd);
    return uv_error("cannot adopt the TCP socket", rc);
  }
  if (const int rc = uv_listen(reinterpret_cast<uv_stream_t*>(&handle_), kBacklog, on_connection); rc != 0) {
    return uv_error("cannot listen on TCP", rc);
  }
  return success();
}

void StreamListener::close(std::function<void()> closed) {
  if (!initialized_) {
    if (closed) closed();
    return;
  }
  closed_ = std::move(closed);
  initialized_ = false;
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_), on_close);
}

void StreamListener::on_connection(uv_stream_t* server, int status) {
  if (status != 0) return;  // e.g. EMFILE: libuv retries on the next readiness
  static_cast<StreamListener*>(server->data)->accept_(server);
}

void StreamListener::on_close(uv_handle_t* handle) {
  auto* self = static_cast<StreamListener*>(handle->data);
  if (self->closed_) std::exchange(self->closed_, nullptr)();
}

void refuse_connection(uv_loop_t* loop, uv_stream_t* server) {
  auto* client = new uv_tcp_t;
  uv_tcp_init(loop, client);
  (void)uv_accept(server, reinterpret_cast<uv_stream_t*>(client));
  uv_close(reinterpret_cast<uv_handle_t*>(client), free_refused);
}

}  // namespace swell::runtime
