#include "runtime/stream_exchange.h"

#include <chrono>

namespace swell::runtime {

StreamExchange::StreamExchange(StreamHost& host, TransportStats& stats, StreamLimits limits, Side side,
                               std::uint64_t stream_id)
    : host_(host), stats_(stats), limits_(limits), side_(side), stream_id_(stream_id), reader_(limits.max_bytes) {
  tcp_.data = this;
  deadline_.data = this;
  connect_req_.data = this;
  write_req_.data = this;
}

void StreamExchange::start_outbound(uv_loop_t* loop, const SocketAddress& to, Bytes request) {
  uv_tcp_init(loop, &tcp_);
  uv_timer_init(loop, &deadline_);
  open_handles_ = 2;
  out_.reserve(request.size() + 4);
  append_length_prefix(out_, request.size());
  out_.insert(out_.end(), request.begin(), request.end());
  arm_deadline();
  if (uv_tcp_connect(&connect_req_, &tcp_, to.get(), on_connect) != 0) {
    ++stats_.connections_failed;
    finish(true);
  }
}

void StreamExchange::start_inbound(uv_loop_t* loop, uv_stream_t* server) {
  uv_tcp_init(loop, &tcp_);
  uv_timer_init(loop, &deadline_);
  open_handles_ = 2;
  settled_ = true;  // the peer, not the core, waits for an inbound exchange
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(&tcp_)) != 0) {
    finish(false);
    return;
  }
  ++stats_.connections_accepted;
  SocketAddress peer;
  int len = sizeof peer.storage;
  if (uv_tcp_getpeername(&tcp_, reinterpret_cast<sockaddr*>(&peer.storage), &len) == 0) {
    peer_ = format_socket_address(peer.get());
  }
  arm_deadline();
  if (uv_read_start(reinterpret_cast<uv_stream_t*>(&tcp_), on_alloc, on_read) != 0) finish(false);
}

void StreamExchange::abandon() {
  settled_ = true;
  finish(false);
}

void StreamExchange::arm_deadline() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(limits_.timeout).count();
  uv_timer_start(&deadline_, on_timeout, static_cast<std::uint64_t>(ms > 0 ? ms : 1), 0);
}

void StreamExchange::write_frame(ByteView body) {
  if (side_ == Side::inbound) {
    out_.clear();
    out_.reserve(body.size() + 4);
    append_length_prefix(out_, body.size());
    out_.insert(out_.end(), body.begin(), body.end());
  }
  uv_buf_t buf = uv_buf_init(reinterpret_cast<char*>(out_.data()), static_cast<unsigned>(out_.size()));
  arm_deadline();  // write deadline
  if (uv_write(&write_req_, reinterpret_cast<uv_stream_t*>(&tcp_), &buf, 1, on_write) != 0) {
    ++stats_.connections_failed;
    finish(true);
    return;
  }
  stats_.stream_bytes_sent += out_.size();
}

void StreamExchange::frame_complete() {
  uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
  if (side_ == Side::outbound) {
    settled_ = true;
    host_.response(stream_id_, reader_.frame());
    finish(false);
    return;
  }
  auto reply = host_.answer(peer_, reader_.frame());
  if (!reply.ok()) {
    ++stats_.streams_rejected;
    finish(false);
    return;
  }
  write_frame(reply.value());
}

void StreamExchange::finish(bool failure) {
  if (closing_) return;
  closing_ = true;
  if (failure && !settled_) {
    settled_ = true;
    host_.failed(stream_id_);
  }
  settled_ = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&deadline_), on_close);
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), on_close);
}

void StreamExchange::fail_connection() {
  ++stats_.connections_failed;
  finish(true);
}

void StreamExchange::on_connect(uv_connect_t* req, int status) {
  auto* self = static_cast<StreamExchange*>(req->data);
  if (self->closing_) return;
  if (status != 0) {
    self->fail_connection();
    return;
  }
  ++self->stats_.connections_made;
  if (uv_read_start(reinterpret_cast<uv_stream_t*>(&self->tcp_), on_alloc, on_read) != 0) {
    self->finish(true);
    return;
  }
  self->write_frame({});
}

void StreamExchange::on_alloc(uv_handle_t* handle, std::size_t /*suggested*/, uv_buf_t* buf) {
  auto* self = static_cast<StreamExchange*>(handle->data);
  const ByteView shared = self->host_.read_buffer();
  *buf = uv_buf_init(reinterpret_cast<char*>(const_cast<std::uint8_t*>(shared.data())),
                     static_cast<unsigned>(shared.size()));
}

void StreamExchange::on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* self = static_cast<StreamExchange*>(stream->data);
  if (self->closing_) return;
  if (nread < 0) {  // EOF or reset before a whole frame
    self->fail_connection();
    return;
  }
  self->stats_.stream_bytes_received += static_cast<std::uint64_t>(nread);
  const auto status = self->reader_.feed(
      ByteView(reinterpret_cast<const std::uint8_t*>(buf->base), static_cast<std::size_t>(nread)));
  if (status == FrameReader::Status::oversized) {
    ++self->stats_.streams_oversized;
    self->finish(true);
  } else if (status == FrameReader::Status::complete) {
    self->frame_complete();
  }
}

void StreamExchange::on_write(uv_write_t* req, int status) {
  auto* self = static_cast<StreamExchange*>(req->data);
  if (self->closing_) return;
  if (status != 0) {
    self->fail_connection();
    return;
  }
  if (self->side_ == Side::inbound) {
    self->finish(false);  // answered: the reply is in the kernel's hands
  } else {
    self->arm_deadline();  // read deadline for the response
  }
}

void StreamExchange::on_timeout(uv_timer_t* timer) {
  auto* self = static_cast<StreamExchange*>(timer->data);
  if (self->closing_) return;
  ++self->stats_.connections_timed_out;
  self->finish(true);
}

void StreamExchange::on_close(uv_handle_t* handle) {
  auto* self = static_cast<StreamExchange*>(handle->data);
  if (--self->open_handles_ == 0) self->host_.finished(self);
}

}  // namespace swell::runtime
