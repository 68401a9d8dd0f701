// StreamListener: the agent's listening TCP socket. Each pending connection goes to the
// owner's accept function, which serves it or refuses it (over the inbound cap).
#pragma once

#include <uv.h>

#include <functional>

#include "swell/result.h"

namespace swell::runtime {

/// One listening TCP socket; not movable.
class StreamListener {
 public:
  /// Called once per pending connection; it must uv_accept (or refuse) it.
  using Accept = std::function<void(uv_stream_t* server)>;

  StreamListener() = default;
  StreamListener(const StreamListener&) = delete;
  StreamListener& operator=(const StreamListener&) = delete;

  /// Adopts a bound, listening socket (closing it on failure). close() must follow.
  Result<void> open(uv_loop_t* loop, int fd, Accept accept);
  /// Closes the socket; closed runs from the close callback (at once if never opened).
  void close(std::function<void()> closed);

 private:
  static void on_connection(uv_stream_t* server, int status);
  static void on_close(uv_handle_t* handle);

  uv_tcp_t handle_{};
  bool initialized_ = false;
  Accept accept_;
  std::function<void()> closed_;
};

/// Accepts the pending connection of server and closes it at once (a refusal).
void refuse_connection(uv_loop_t* loop, uv_stream_t* server);

}  // namespace swell::runtime
