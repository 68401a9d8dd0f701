// AgentLoop: the loop-thread side of an Agent. It owns the Node and every libuv handle,
// feeds the node each datagram, stream and timer expiry with the monotonic time, then
// drains the node's outputs, re-arms the one protocol timer at next_tick() and
// publishes a snapshot. It deletes itself once stop() has closed every handle.
#pragma once

#include <uv.h>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "runtime/agent_shared.h"
#include "runtime/fault_filter.h"
#include "runtime/socket_address.h"
#include "runtime/stream_exchange.h"
#include "runtime/stream_listener.h"
#include "runtime/udp_transport.h"
#include "swell/agent.h"
#include "swell/node.h"

namespace swell::runtime {

/// The agent on its loop thread.
class AgentLoop final : public StreamHost {
 public:
  /// Binds, builds the node, joins the seeds and starts the handles on loop. On an
  /// error after handles exist, they close as the loop runs and the object deletes itself.
  static Result<void> start(uv_loop_t* loop, AgentOptions& options, Identity identity,
                            const std::shared_ptr<AgentShared>& shared);

  /// Closes every handle; the object deletes itself after the last close callback.
  void stop();
  /// Announces new PeerInfo.
  void set_local_info(PeerInfo info);
  /// Node::join with more seeds (contacted at once when joined).
  Result<void> join(const std::vector<std::string>& seeds);
  /// Node::force_leave of a failed member.
  Result<void> force_leave(const NodeId& member);
  /// Node::rotate_key; the shared id follows.
  Result<void> rotate_key(Identity next, Bytes certificate);
  /// Node::apply_revocation.
  Result<void> apply_revocation(const Bytes& signed_revocation);
  /// Node::set_allowlist.
  void set_allowlist(std::vector<NodeId> keys);
  /// Announces a leave; done runs when it has spread or timeout passed (or on stop).
  void begin_leave(Duration timeout, std::function<void()> done);
  /// Replaces the injected faults.
  void set_faults(const FaultInjection& faults) { faults_ = FaultFilter(faults); }

  Result<Bytes> answer(std::string_view from, ByteView request) override;
  void response(std::uint64_t stream_id, ByteView bytes) override;
  void failed(std::uint64_t stream_id) override;
  void finished(StreamExchange* exchange) override;
  ByteView read_buffer() override { return {read_buffer_.data(), read_buffer_.size()}; }

  AgentLoop(const AgentLoop&) = delete;
  AgentLoop& operator=(const AgentLoop&) = delete;

 private:
  AgentLoop(uv_loop_t* loop, std::shared_ptr<AgentShared> shared, Node node, AgentOptions& options);
  ~AgentLoop();

  Result<void> open_handles(int udp_fd, int tcp_fd);
  void on_datagram(const sockaddr* from, ByteView bytes, bool truncated);
  void accept_stream(uv_stream_t* server);
  void run_commands();
  void on_timer();
  /// Drains the node's outputs, re-arms the timer, publishes; re-entrant calls fold in.
  void flush();
  void flush_once(Time now);
  void send_datagram(const OutgoingDatagram& datagram);
  bool start_stream(StreamRequest request);
  bool deliver_events();
  void finish_leave(bool force);
  void arm_timer(Time now);
  void publish(bool members_changed, Time now);
  const SocketAddress* resolve(const std::string& address);
  void handle_closed();

  static void on_timer_cb(uv_timer_t* timer);
  static void on_async_cb(uv_async_t* async);
  static void on_handle_close(uv_handle_t* handle);

  uv_loop_t* loop_;
  std::shared_ptr<AgentShared> shared_;
  Node node_;
  Config config_;
  std::function<void(const MembershipEvent&)> on_event_;
  std::size_t max_inbound_streams_;
  Duration stats_interval_;
  FaultFilter faults_;
  TransportStats stats_;

  uv_timer_t timer_{};
  uv_async_t async_{};
  UdpTransport udp_;
  StreamListener listener_;
  std::unordered_set<StreamExchange*> exchanges_;
  std::size_t inbound_streams_ = 0;
  std::unordered_map<std::string, SocketAddress> addresses_;  // bounded cache of parsed peers
  std::array<std::uint8_t, 65536> read_buffer_{};

  Time armed_for_ = kNever;
  bool in_flush_ = false;
  bool flush_again_ = false;
  bool stopping_ = false;
  int open_handles_ = 0;
  bool leaving_ = false;
  Time leave_deadline_ = kNever;
  std::vector<std::function<void()>> leave_done_;
  std::shared_ptr<const std::vector<MemberSnapshot>> members_;
  std::shared_ptr<const std::vector<NodeId>> revoked_;  // shared by snapshots until a revocation
  std::uint64_t revoked_applied_ = 0;                   // NodeStats::revocations_applied when copied
  std::uint64_t version_ = 0;
  Time last_publish_{0};
};

}  // namespace swell::runtime
