#include "runtime/agent_loop.h"

#include <unistd.h>

#include <chrono>

#include "runtime/agent_addresses.h"
#include "runtime/bound_sockets.h"
#include "runtime/monotonic_clock.h"
#include "runtime/random_seed.h"

namespace swell::runtime {
namespace {

constexpr std::size_t kMaxCachedAddresses = 8192;

void close_fds(const BoundSockets& s) {
  ::close(s.udp_fd);
  ::close(s.tcp_fd);
}

}  // namespace

Result<void> AgentLoop::start(uv_loop_t* loop, AgentOptions& options, Identity identity,
                              const std::shared_ptr<AgentShared>& shared) {
  auto target = bind_target(options);
  if (!target.ok()) return target.error();
  auto sockets = bind_sockets(target.value());
  if (!sockets.ok()) return sockets.error();
  auto advertised = advertised_address(options, sockets.value().port);
  if (!advertised.ok()) {
    close_fds(sockets.value());
    return advertised.error();
  }
  const NodeId id = identity.id();
  if (options.info.address.empty()) options.info.address = advertised.value();
  // Certificate expiry is wall-clock time and the core knows only the monotonic clock:
  // tell it which Unix time its Time 0 is (docs/security.md, "Clocks").
  Config config = options.config;
  const auto unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  config.admission.unix_ms_at_time_zero = unix_ms - monotonic_now().count() / 1000;
  auto node = Node::create(std::move(identity), config, options.info, advertised.value(), Rng(random_seed()),
                           monotonic_now());
  if (!node.ok()) {
    close_fds(sockets.value());
    return node.error();
  }
  if (auto joined = node.value().join(options.seeds, monotonic_now()); !joined.ok()) {
    close_fds(sockets.value());
    return joined.error();
  }
  shared->set_id(id);
  shared->address = advertised.value();
  shared->port = sockets.value().port;
  shared->info_limits = options.config.peer_info;
  auto* self = new AgentLoop(loop, shared, std::move(node).value(), options);
  if (auto opened = self->open_handles(sockets.value().udp_fd, sockets.value().tcp_fd); !opened.ok()) {
    self->stop();  // deletes itself once the loop has run the close callbacks
    return opened.error();
  }
  self->flush();
  return success();
}

AgentLoop::AgentLoop(uv_loop_t* loop, std::shared_ptr<AgentShared> shared, Node node, AgentOptions& options)
    : loop_(loop),
      shared_(std::move(shared)),
      node_(std::move(node)),
      config_(options.config),
      on_event_(std::move(options.on_event)),
      max_inbound_streams_(options.max_inbound_streams),
      stats_interval_(std::chrono::duration_cast<Duration>(options.stats_interval)),
      faults_(options.faults) {}

AgentLoop::~AgentLoop() = default;

Result<void> AgentLoop::open_handles(int udp_fd, int tcp_fd) {
  uv_timer_init(loop_, &timer_);
  timer_.data = this;
  ++open_handles_;
  uv_async_init(loop_, &async_, on_async_cb);
  async_.data = this;
  ++open_handles_;
  shared_->attach(&async_);
  ++open_handles_;  // udp_
  ++open_handles_;  // listener_
  auto udp = udp_.open(loop_, udp_fd, [this](const sockaddr* from, ByteView bytes, bool truncated) {
    on_datagram(from, bytes, truncated);
  });
  if (!udp.ok()) {
    ::close(tcp_fd);
    return udp;
  }
  return listener_.open(loop_, tcp_fd, [this](uv_stream_t* server) { accept_stream(server); });
}

void AgentLoop::stop() {
  if (stopping_) return;
  stopping_ = true;
  shared_->detach();
  uv_timer_stop(&timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), on_handle_close);
  uv_close(reinterpret_cast<uv_handle_t*>(&async_), on_handle_close);
  udp_.close([this] { handle_closed(); });
  listener_.close([this] { handle_closed(); });
  const std::vector<StreamExchange*> live(exchanges_.begin(), exchanges_.end());
  for (StreamExchange* exchange : live) exchange->abandon();
}

void AgentLoop::handle_closed() {
  if (--open_handles_ > 0 || !exchanges_.empty()) return;
  finish_leave(true);
  publish(false, monotonic_now());
  auto shared = shared_;  // outlives this object for the last store
  delete this;
  shared->stopped.store(true, std::memory_order_release);
}

void AgentLoop::on_handle_close(uv_handle_t* handle) { static_cast<AgentLoop*>(handle->data)->handle_closed(); }

void AgentLoop::on_async_cb(uv_async_t* async) { static_cast<AgentLoop*>(async->data)->run_commands(); }

void AgentLoop::run_commands() {
  for (auto& command : shared_->take_commands()) {
    if (stopping_) return;
    command(*this);
  }
}

void AgentLoop::set_local_info(PeerInfo info) {
  if (stopping_) return;
  (void)node_.set_local_info(std::move(info), monotonic_now());
  flush();
  publish(true, monotonic_now());
}

Result<void> AgentLoop::join(const std::vector<std::string>& seeds) {
  if (stopping_) return Error{ErrorCode::not_running, "the agent is stopping"};
  auto joined = node_.join(seeds, monotonic_now());
  flush();
  return joined;
}

Result<void> AgentLoop::force_leave(const NodeId& member) {
  if (stopping_) return Error{ErrorCode::not_running, "the agent is stopping"};
  auto retired = node_.force_leave(member, monotonic_now());
  flush();
  publish(true, monotonic_now());
  return retired;
}

Result<void> AgentLoop::rotate_key(Identity next, Bytes certificate) {
  if (stopping_) return Error{ErrorCode::not_running, "the agent is stopping"};
  auto rotated = node_.rotate_key(std::move(next), std::move(certificate), monotonic_now());
  if (rotated.ok()) shared_->set_id(node_.id());
  flush();
  publish(true, monotonic_now());
  return rotated;
}

Result<void> AgentLoop::apply_revocation(const Bytes& signed_revocation) {
  if (stopping_) return Error{ErrorCode::not_running, "the agent is stopping"};
  auto applied = node_.apply_revocation(signed_revocation, monotonic_now());
  flush();
  publish(true, monotonic_now());
  return applied;
}

void AgentLoop::set_allowlist(std::vector<NodeId> keys) {
  if (stopping_) return;
  node_.set_allowlist(std::move(keys), monotonic_now());
  flush();
  publish(true, monotonic_now());
}

void AgentLoop::begin_leave(Duration timeout, std::function<void()> done) {
  if (done) leave_done_.push_back(std::move(done));
  if (stopping_) {
    finish_leave(true);
    return;
  }
  if (!leaving_) {
    leaving_ = true;
    const Time now = monotonic_now();
    leave_deadline_ = now + timeout;
    (void)node_.leave(now);
    publish(true, now);
  }
  flush();
}

void AgentLoop::finish_leave(bool force) {
  if (leave_done_.empty()) return;
  if (!force && node_.pending_updates() > 0 && monotonic_now() < leave_deadline_) return;
  for (auto& done : std::exchange(leave_done_, {})) done();
}

void AgentLoop::on_datagram(const sockaddr* from, ByteView bytes, bool truncated) {
  ++stats_.datagrams_received;
  stats_.datagram_bytes_received += bytes.size();
  if (truncated || bytes.size() > config_.max_datagram_bytes) {
    ++stats_.datagrams_oversized;
    return;
  }
  const std::string sender = format_socket_address(from);
  if (!faults_.empty()) faults_.tap(sender, bytes);
  if (!faults_.empty() && faults_.drop_inbound(sender)) {
    ++stats_.datagrams_injected_drops;
    return;
  }
  (void)node_.receive(sender, bytes, monotonic_now());  // a bad datagram is counted by the node
  flush();
}

void AgentLoop::accept_stream(uv_stream_t* server) {
  if (stopping_ || inbound_streams_ >= max_inbound_streams_) {
    ++stats_.connections_refused;
    refuse_connection(loop_, server);
    return;
  }
  auto* exchange = new StreamExchange(*this, stats_, StreamLimits{config_.stream_timeout, config_.max_stream_bytes},
                                      StreamExchange::Side::inbound, 0);
  exchanges_.insert(exchange);
  ++inbound_streams_;
  exchange->start_inbound(loop_, server);
}

Result<Bytes> AgentLoop::answer(std::string_view from, ByteView request) {
  auto reply = node_.handle_stream(from, request, monotonic_now());
  flush();
  return reply;
}

void AgentLoop::response(std::uint64_t stream_id, ByteView bytes) {
  if (stopping_) return;
  (void)node_.stream_response(stream_id, bytes, monotonic_now());
  flush();
}

void AgentLoop::failed(std::uint64_t stream_id) {
  if (stopping_) return;
  node_.stream_failed(stream_id, monotonic_now());
  flush();
}

void AgentLoop::finished(StreamExchange* exchange) {
  exchanges_.erase(exchange);
  if (exchange->side() == StreamExchange::Side::inbound) --inbound_streams_;
  delete exchange;
  if (stopping_ && open_handles_ == 0 && exchanges_.empty()) {
    ++open_handles_;
    handle_closed();
  }
}

void AgentLoop::on_timer_cb(uv_timer_t* timer) { static_cast<AgentLoop*>(timer->data)->on_timer(); }

void AgentLoop::on_timer() {
  armed_for_ = kNever;
  node_.tick(monotonic_now());
  flush();
}

void AgentLoop::flush() {
  if (stopping_) return;
  if (in_flush_) {
    flush_again_ = true;  // a stream failed synchronously while we were draining
    return;
  }
  in_flush_ = true;
  do {
    flush_again_ = false;
    flush_once(monotonic_now());
  } while (flush_again_ && !stopping_);
  in_flush_ = false;
}

void AgentLoop::flush_once(Time now) {
  for (const OutgoingDatagram& d : node_.drain_datagrams()) send_datagram(d);
  std::vector<std::uint64_t> unstarted;
  for (StreamRequest& s : node_.drain_streams()) {
    const std::uint64_t id = s.stream_id;
    if (!start_stream(std::move(s))) unstarted.push_back(id);
  }
  for (const std::uint64_t id : unstarted) node_.stream_failed(id, now);
  if (!unstarted.empty()) flush_again_ = true;
  const bool changed = deliver_events();
  if (leaving_) finish_leave(false);
  arm_timer(now);
  if (changed || now - last_publish_ >= stats_interval_) publish(changed, now);
}

const SocketAddress* AgentLoop::resolve(const std::string& address) {
  if (auto it = addresses_.find(address); it != addresses_.end()) return &it->second;
  auto parsed = parse_socket_address(address);
  if (!parsed.ok()) return nullptr;
  if (addresses_.size() >= kMaxCachedAddresses) addresses_.clear();
  return &addresses_.emplace(address, parsed.value()).first->second;
}

void AgentLoop::send_datagram(const OutgoingDatagram& d) {
  if (!faults_.empty() && faults_.blocks(d.address)) return;
  const SocketAddress* to = resolve(d.address);
  if (to == nullptr) {
    ++stats_.send_errors;
    return;
  }
  // Counted at send, as the anchor harness counts in WriteTo.
  ++stats_.datagrams_sent;
  stats_.datagram_bytes_sent += d.bytes.size();
  if (udp_.send(*to, d.bytes) != 0) ++stats_.send_errors;
}

bool AgentLoop::start_stream(StreamRequest request) {
  if (!faults_.empty() && faults_.blocks(request.address)) return false;
  const SocketAddress* to = resolve(request.address);
  if (to == nullptr) {
    ++stats_.connections_failed;
    return false;
  }
  auto* exchange = new StreamExchange(*this, stats_, StreamLimits{config_.stream_timeout, config_.max_stream_bytes},
                                      StreamExchange::Side::outbound, request.stream_id);
  exchanges_.insert(exchange);
  exchange->start_outbound(loop_, *to, std::move(request.bytes));
  return true;
}

bool AgentLoop::deliver_events() {
  auto events = node_.drain_events();
  for (MembershipEvent& e : events) {
    if (on_event_) {
      // User code must not unwind through libuv's C frames.
      try {
        on_event_(e);
      } catch (...) {
      }
    }
    if (shared_->events && !shared_->events->try_push(e)) ++stats_.events_dropped;
  }
  return !events.empty();
}

void AgentLoop::arm_timer(Time now) {
  Time next = node_.next_tick();
  if (!leave_done_.empty() && leave_deadline_ < next) next = leave_deadline_;
  if (next == armed_for_) return;
  armed_for_ = next;
  if (next == kNever) {
    uv_timer_stop(&timer_);
    return;
  }
  // Round up: firing early would only find nothing due and re-arm.
  const auto wait_us = std::max<std::int64_t>(0, (next - now).count());
  uv_timer_start(&timer_, on_timer_cb, static_cast<std::uint64_t>((wait_us + 999) / 1000), 0);
}

void AgentLoop::publish(bool members_changed, Time now) {
  if (members_changed || !members_) {
    members_ = std::make_shared<const std::vector<MemberSnapshot>>(node_.members());
  }
  auto snap = std::make_shared<AgentSnapshot>();
  snap->version = ++version_;
  snap->self = node_.id();
  snap->swim_address = shared_->address;
  snap->running = !stopping_;
  snap->leaving = leaving_;
  snap->members = members_;
  // A new revocation is the only thing that changes the list (eviction comes with one),
  // so the count of applied revocations says when to copy it again.
  if (!revoked_ || node_.stats().revocations_applied != revoked_applied_) {
    revoked_ = std::make_shared<const std::vector<NodeId>>(node_.revoked_keys());
    revoked_applied_ = node_.stats().revocations_applied;
  }
  snap->revoked = revoked_;
  snap->local_health = node_.local_health();
  snap->node = node_.stats();
  snap->transport = stats_;
  shared_->snapshots.publish(std::move(snap));
  last_publish_ = now;
}

}  // namespace swell::runtime
