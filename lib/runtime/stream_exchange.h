// StreamExchange: one TCP connection carrying one request/response exchange of the core
// (join, push-pull), each message framed by a 4-byte length prefix. Outbound: connect,
// write the request, read the response. Inbound: read the request, hand it to the core,
// write the answer. Every phase (connect, read, write) has a stream_timeout deadline,
// so a silent or trickling peer is closed when it expires.
#pragma once

#include <uv.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/frame_reader.h"
#include "runtime/socket_address.h"
#include "swell/agent.h"
#include "swell/bytes.h"
#include "swell/result.h"
#include "swell/time.h"

namespace swell::runtime {

class StreamExchange;

/// What an exchange needs from the agent that owns it (implemented by AgentLoop).
class StreamHost {
 public:
  /// The core's answer to an inbound request (an error closes the connection).
  virtual Result<Bytes> answer(std::string_view from, ByteView request) = 0;
  /// The response to our request stream_id arrived.
  virtual void response(std::uint64_t stream_id, ByteView bytes) = 0;
  /// Our request stream_id failed (refused, reset, timed out, oversized).
  virtual void failed(std::uint64_t stream_id) = 0;
  /// Both handles are closed: the host deletes the exchange.
  virtual void finished(StreamExchange* exchange) = 0;
  /// The shared read buffer (reads are handled one at a time on the loop).
  virtual ByteView read_buffer() = 0;

 protected:
  ~StreamHost() = default;
};

/// Limits every exchange applies.
struct StreamLimits {
  Duration timeout{0};          ///< Deadline of each phase.
  std::size_t max_bytes = 0;    ///< Largest frame accepted.
};

/// One connection; heap-allocated, deleted by its host after finished().
class StreamExchange {
 public:
  /// Which end we are.
  enum class Side : std::uint8_t { inbound, outbound };

  /// An exchange owned by host; counters go to stats.
  StreamExchange(StreamHost& host, TransportStats& stats, StreamLimits limits, Side side, std::uint64_t stream_id);
  StreamExchange(const StreamExchange&) = delete;
  StreamExchange& operator=(const StreamExchange&) = delete;

  /// Outbound: connects to `to` and sends request; the outcome reaches the host.
  void start_outbound(uv_loop_t* loop, const SocketAddress& to, Bytes request);
  /// Inbound: accepts a pending connection of server and reads the request.
  void start_inbound(uv_loop_t* loop, uv_stream_t* server);
  /// Closes without telling the core (the agent is stopping).
  void abandon();
  /// Which end we are.
  [[nodiscard]] Side side() const { return side_; }

 private:
  static void on_connect(uv_connect_t* req, int status);
  static void on_alloc(uv_handle_t* handle, std::size_t suggested, uv_buf_t* buf);
  static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void on_write(uv_write_t* req, int status);
  static void on_timeout(uv_timer_t* timer);
  static void on_close(uv_handle_t* handle);

  void arm_deadline();
  void write_frame(ByteView body);
  void frame_complete();
  /// Ends the exchange: reports failure (outbound, once) and closes both handles.
  void finish(bool failure);
  /// The connection broke (connect, read or write failed): counted, then finished.
  void fail_connection();

  StreamHost& host_;
  TransportStats& stats_;
  StreamLimits limits_;
  Side side_;
  std::uint64_t stream_id_;
  uv_tcp_t tcp_{};
  uv_timer_t deadline_{};
  uv_connect_t connect_req_{};
  uv_write_t write_req_{};
  Bytes out_;
  FrameReader reader_;
  std::string peer_;
  bool settled_ = false;   // the core has its outcome (or will never need one)
  bool closing_ = false;
  int open_handles_ = 0;
};

}  // namespace swell::runtime
