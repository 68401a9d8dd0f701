#include "world.h"

#include <time.h>

#include <algorithm>
#include <cstring>

#include "crypto/shared_pair_keys.h"
#include <limits>

#include "swim/hash_mix.h"

namespace swell::sim {
namespace {

// A stream to an address no member has fails this long after it is opened (the
// resolver or connect() fails locally).
constexpr Duration kLocalFailure = std::chrono::milliseconds(1);

// SplitMix64: a golden-ratio step, then the core's finalizer (one copy of it, in
// swim/hash_mix.h). Seeds of identities, Rngs and the digest all derive through it.
std::uint64_t mix(std::uint64_t x) { return swim::mix64(x + 0x9e3779b97f4a7c15ull); }

std::int64_t thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

}  // namespace

template <class Call>
decltype(auto) World::timed(Call&& call) {
  if (!cpu_accounting_) return call();
  struct Span {  // adds the elapsed CPU time however call() returns
    World& world;
    std::int64_t start = thread_cpu_ns();
    ~Span() { world.cpu_ns_ += thread_cpu_ns() - start; }
  } span{*this};
  return call();
}

swim::SharedCaches World::caches_for_new_member(const Config& config) {
  // One set of shared caches per cluster label and encrypt setting: a cache is bound to
  // one scope, so members of differently named clusters never share a verified claim
  // or a pair key, exactly as separate processes would not.
  const crypto::KeyScope scope = swim::key_scope_of(config);
  const std::string scope_key = std::to_string(static_cast<int>(scope.purpose)) + ":" + scope.cluster_label;
  auto it = shared_.find(scope_key);
  if (it == shared_.end()) {
    constexpr std::size_t kSharedEntries = 1u << 22;
    swim::SharedCaches caches;
    caches.claims = std::make_shared<swim::ClaimCache>(kSharedEntries, config.cluster_label);
    if (pair_keys_ == PairKeys::hashed) {
      caches.pair_keys = std::make_shared<crypto::HashedPairKeys>(scope);
    } else {
      caches.pair_keys = std::make_shared<crypto::SharedPairKeys>(kSharedEntries, scope);
    }
    it = shared_.emplace(scope_key, std::move(caches)).first;
  }
  if (!private_caches_) return it->second;
  // Private: the member verifies every claim itself and derives its own X25519 keys;
  // hashed keys (--auth fast) stay shared, being nothing to compute.
  swim::SharedCaches own;
  if (pair_keys_ == PairKeys::hashed) own.pair_keys = it->second.pair_keys;
  return own;
}

World::World(std::uint64_t seed, PairKeys pair_keys) : seed_(seed), rng_(mix(seed)), pair_keys_(pair_keys) {}

std::uint32_t World::spawn(std::size_t count, const Config& config) {
  const auto first = static_cast<std::uint32_t>(members_.size());
  if (!config.validate().ok()) return first;
  members_.reserve(members_.size() + count);
  for (std::size_t k = 0; k < count; ++k) {
    const auto i = static_cast<std::uint32_t>(members_.size());
    Member m;
    m.seed = seed_for(i);
    m.config = config;
    m.address = "n" + std::to_string(i) + ".sim:7946";
    by_address_[m.address] = i;
    members_.push_back(std::move(m));
    members_.back().node = make_node(i);
    // A config this member cannot start with (another key's certificate) leaves it down.
    members_.back().id = members_.back().node ? members_.back().node->id() : future_id(i);
    by_id_[members_.back().id] = i;
  }
  return first;
}

std::array<std::uint8_t, Identity::kSeedSize> World::seed_for(std::uint32_t i) const { return seed_for(i, 0); }

std::array<std::uint8_t, Identity::kSeedSize> World::seed_for(std::uint32_t i, std::uint32_t rotation) const {
  std::array<std::uint8_t, Identity::kSeedSize> seed{};
  // Rotation 0 mixes exactly what every world before rotations did.
  std::uint64_t s = mix(seed_ ^ mix(i + 1));
  if (rotation != 0) s = mix(s ^ mix(0x70746174ull + rotation));
  for (std::size_t b = 0; b < seed.size(); b += 8) {
    s = mix(s);
    for (std::size_t j = 0; j < 8; ++j) seed[b + j] = static_cast<std::uint8_t>(s >> (8 * j));
  }
  return seed;
}

NodeId World::future_id(std::uint32_t i) const {
  if (i < members_.size() && members_[i].node) return members_[i].id;
  auto identity = Identity::from_seed(seed_for(i));
  return identity.ok() ? identity.value().id() : NodeId{};
}

Result<void> World::apply_revocation(std::uint32_t to, ByteView signed_revocation) {
  if (!is_up(to)) return Error{ErrorCode::not_running, "member " + std::to_string(to) + " is crashed"};
  ++members_[to].inputs;
  auto result = timed([&] { return node(to).apply_revocation(signed_revocation, node_time(to)); });
  flush(to);
  return result;
}

NodeId World::next_key(std::uint32_t i) const {
  const std::uint32_t done = i < members_.size() ? members_[i].rotations : 0;
  auto identity = Identity::from_seed(seed_for(i, done + 1));
  return identity.ok() ? identity.value().id() : NodeId{};
}

Result<void> World::rotate_key(std::uint32_t i, Bytes certificate) {
  if (!is_up(i)) return Error{ErrorCode::not_running, "member " + std::to_string(i) + " is crashed"};
  Member& m = members_[i];
  const auto seed = seed_for(i, m.rotations + 1);
  auto identity = Identity::from_seed(seed);
  if (!identity.ok()) return identity.error();
  ++m.inputs;
  Config config = m.config;
  config.admission.certificate = certificate;
  auto result = timed([&] { return node(i).rotate_key(std::move(identity.value()), std::move(certificate), node_time(i)); });
  flush(i);
  if (!result.ok()) return result;
  ++m.rotations;
  m.seed = seed;
  m.config = std::move(config);
  m.id = node(i).id();
  by_id_[m.id] = i;  // the old id keeps naming i too, for events about it
  return success();
}

void World::set_allowlist(std::uint32_t i, const std::vector<NodeId>& keys) {
  if (!is_up(i)) return;
  ++members_[i].inputs;
  timed([&] { node(i).set_allowlist(keys, node_time(i)); });
  flush(i);
}

PeerInfo World::default_info(std::uint32_t i) const {
  PeerInfo info;
  static constexpr NodeType kTypes[] = {NodeType::proxy, NodeType::backend, NodeType::governator};
  info.id = "node-" + std::to_string(i);
  info.address = "10." + std::to_string(i / 62500 % 256) + "." + std::to_string(i / 250 % 250) + "." +
                 std::to_string(i % 250 + 1) + ":3000";
  info.metrics_port = 9090;
  info.node_type = kTypes[i % 3];
  info.is_load_balancer = info.node_type == NodeType::proxy;
  info.last_updated_ms = wall_clock_ms(now_);
  return info;
}

std::unique_ptr<Node> World::make_node(std::uint32_t i) {
  Member& m = members_[i];
  auto identity = Identity::from_seed(m.seed);
  if (!identity.ok()) return nullptr;
  PeerInfo info = default_info(i);
  m.inputs = 0;
  m.clock = Time(std::numeric_limits<std::int64_t>::min());
  auto node = swim::NodeFactory::create(std::move(identity.value()), m.config, std::move(info), m.address,
                                        Rng(mix(seed_ ^ mix(i) ^ mix(m.generation + 77))), node_time(i),
                                        caches_for_new_member(m.config));
  if (!node.ok()) return nullptr;
  return std::make_unique<Node>(std::move(node.value()));
}

Time World::node_time(std::uint32_t i) {
  Member& m = members_[i];
  const Time t = now_ + m.clock_skew;
  if (t > m.clock) m.clock = t;
  return m.clock;
}

void World::record(std::uint64_t a, std::uint64_t b, std::uint64_t c, ByteView bytes) {
  // A word at a time (FNV-style multiply, then a final mix per call): any difference in
  // what was sent shows, at a fraction of a byte-wise hash's cost on megabyte streams.
  auto eat = [this](std::uint64_t word) { digest_ = (digest_ ^ word) * 0x100000001b3ull; };
  eat(static_cast<std::uint64_t>(now_.count()));
  eat(a);
  eat(b);
  eat(c);
  std::size_t k = 0;
  for (; k + 8 <= bytes.size(); k += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + k, 8);
    eat(word);
  }
  std::uint64_t tail = bytes.size();
  for (; k < bytes.size(); ++k) tail = tail << 8 | bytes[k];
  eat(tail);
  digest_ = mix(digest_);
}

void World::join(std::uint32_t i, const std::vector<std::uint32_t>& seeds) {
  if (!is_up(i)) return;
  std::vector<std::string> addresses;
  for (const std::uint32_t s : seeds) {
    if (s < size() && s != i) addresses.push_back(members_[s].address);
  }
  ++members_[i].inputs;
  (void)timed([&] { return node(i).join(addresses, node_time(i)); });
  flush(i);
}

void World::join_all(std::uint32_t seed) {
  join(seed, {});
  for (std::uint32_t i = 0; i < size(); ++i) {
    if (i != seed) join(i, {seed});
  }
}

void World::crash(std::uint32_t i) {
  if (!is_up(i)) return;
  members_[i].held.clear();
  members_[i].held_datagram_bytes = 0;
  members_[i].paused_until = Time(0);
  members_[i].backlog_until = kNoBacklog;  // its backlog was in the dead process
  // Whatever it queued but the driver had not yet sent dies with it (flush() runs after
  // every input, so nothing is pending here).
  members_[i].node.reset();
  members_[i].armed = kNever;
  ++members_[i].generation;
}

void World::restart(std::uint32_t i, const std::vector<std::uint32_t>& seeds) {
  if (is_up(i)) return;
  members_[i].node = make_node(i);
  join(i, seeds);
}

std::uint32_t World::recreate(std::uint32_t of, const std::vector<std::uint32_t>& seeds,
                              std::optional<std::uint32_t> as) {
  PeerInfo info = default_info(of);
  if (is_up(of)) {
    if (const auto self = node(of).member(id(of))) info = self->announcement->info;
  }
  const Config config = members_[of].config;  // a copy: spawn() may move members_
  const std::uint32_t fresh = as ? *as : spawn(1, config);
  if (fresh >= size() || !is_up(fresh)) return fresh;
  info.last_updated_ms = wall_clock_ms(now_);
  ++members_[fresh].inputs;
  (void)timed([&] { return node(fresh).set_local_info(std::move(info), node_time(fresh)); });
  flush(fresh);
  join(fresh, seeds);
  return fresh;
}

void World::leave(std::uint32_t i) {
  if (!is_up(i)) return;
  ++members_[i].inputs;
  (void)timed([&] { return node(i).leave(node_time(i)); });
  flush(i);
}

Result<void> World::set_info(std::uint32_t i, PeerInfo info) {
  if (!is_up(i)) return Error{ErrorCode::not_running, "member " + std::to_string(i) + " is crashed"};
  ++members_[i].inputs;
  auto result = timed([&] { return node(i).set_local_info(std::move(info), node_time(i)); });
  flush(i);
  return result;
}

void World::partition(const std::vector<std::uint32_t>& side_a, const std::vector<std::uint32_t>& side_b) {
  partition_one_way(side_a, side_b);
  partition_one_way(side_b, side_a);
}

void World::partition_one_way(const std::vector<std::uint32_t>& from, const std::vector<std::uint32_t>& to) {
  for (const std::uint32_t a : from) {
    for (const std::uint32_t b : to) {
      if (a != b) network_.block(a, b);
    }
  }
}

void World::set_processing_delay(std::uint32_t i, Duration delay) {
  members_[i].processing_delay = delay.count() < 0 ? Duration(0) : delay;
}

void World::set_input_delay(std::uint32_t i, Duration delay, Time until) {
  members_[i].input_delay = delay.count() < 0 ? Duration(0) : delay;
  members_[i].input_delay_until = until;
}

bool World::defer_input(const Event& e) {
  const bool message = e.type == EventType::datagram || e.type == EventType::stream_request ||
                       e.type == EventType::stream_response;
  if (!message || e.backlog_of) return false;
  Member& m = members_[e.to];
  if (!m.node) return false;
  const Duration delay = now_ < m.input_delay_until ? m.input_delay : Duration(0);
  // FIFO: a message that arrives while others still wait is handled after them, even
  // once the delay is lifted (a backlog drains, it is not skipped).
  if (delay.count() == 0 && m.backlog_until < now_) return false;
  m.backlog_until = std::max(now_ + delay, m.backlog_until);
  Event later = e;
  later.at = m.backlog_until;
  later.backlog_of = m.generation;
  push(std::move(later));
  return true;
}

void World::set_clock_skew(std::uint32_t i, Duration skew) {
  Member& m = members_[i];
  m.clock_skew = skew;
  // Nothing has been fed to the node yet: rebuild it (same identity, same Rng seed) so
  // its clock was skewed from the start instead of jumping now.
  if (m.node && m.inputs == 0) {
    m.armed = kNever;  // the old node's pending tick, if any, is ignored
    m.node = make_node(i);
  }
}

Result<void> World::inject(std::uint32_t to, std::uint32_t from, ByteView bytes) {
  if (to >= size() || from >= size()) return Error{ErrorCode::invalid_argument, "inject: no such member"};
  if (!is_up(to)) return Error{ErrorCode::not_running, "inject: member " + std::to_string(to) + " is crashed"};
  ++members_[to].inputs;
  auto result = timed([&] { return node(to).receive(members_[from].address, bytes, node_time(to)); });
  flush(to);
  return result;
}

Result<Bytes> World::inject_stream(std::uint32_t to, std::uint32_t from, ByteView request) {
  if (to >= size() || from >= size()) return Error{ErrorCode::invalid_argument, "inject_stream: no such member"};
  if (!is_up(to)) return Error{ErrorCode::not_running, "inject_stream: member " + std::to_string(to) + " is crashed"};
  ++members_[to].inputs;
  auto result = timed([&] { return node(to).handle_stream(members_[from].address, request, node_time(to)); });
  flush(to);
  return result;
}

Result<void> World::inject_stream_response(std::uint32_t to, std::uint64_t stream_id, ByteView response) {
  if (to >= size()) return Error{ErrorCode::invalid_argument, "inject_stream_response: no such member"};
  if (!is_up(to)) {
    return Error{ErrorCode::not_running, "inject_stream_response: member " + std::to_string(to) + " is crashed"};
  }
  ++members_[to].inputs;
  auto result = timed([&] { return node(to).stream_response(stream_id, response, node_time(to)); });
  flush(to);
  return result;
}

std::optional<std::uint32_t> World::index_of(const NodeId& id) const {
  if (auto it = by_id_.find(id); it != by_id_.end()) return it->second;
  return std::nullopt;
}

bool World::sees_alive(std::uint32_t i, const std::vector<std::uint32_t>& expected) const {
  if (!is_up(i)) return false;
  for (const std::uint32_t j : expected) {
    const auto m = node(i).member(members_[j].id);
    if (!m || m->state != MemberState::alive) return false;
  }
  return true;
}

void World::push(Event event) {
  event.order = next_order_++;
  queue_.push(std::move(event));
}

Time World::transmit(std::uint32_t i, std::size_t bytes, Time reset_at) {
  // One FIFO uplink per member, shared by all it sends, kept in nanoseconds so that
  // small datagrams (under a microsecond at 1 Gb/s) still add up.
  Member& m = members_[i];
  const std::int64_t start = std::max(m.link_free_ns, now_.count() * 1000);
  const std::int64_t finish = start + network_.transmit_ns(bytes);
  // A stream reset at its timeout stops using the link there: the rest is never sent.
  const std::int64_t reset_ns = reset_at == kNever ? finish : reset_at.count() * 1000;
  m.link_free_ns = std::max(start, std::min(finish, reset_ns));
  return Time((finish + 999) / 1000);
}

void World::send_datagram(std::uint32_t i, OutgoingDatagram& d) {
  Member& m = members_[i];
  ++m.packets_sent;
  ++m.datagrams_sent;
  m.bytes_sent += d.bytes.size();
  auto dest = by_address_.find(d.address);
  record(0, i, dest == by_address_.end() ? ~0ull : dest->second, d.bytes);
  const Time sent = transmit(i, d.bytes.size());  // lost or not, it used the link
  const bool delivered = dest != by_address_.end() && network_.delivers(i, dest->second, rng_);
  if (send_observer_) send_observer_(i, dest == by_address_.end() ? size() : dest->second, d.bytes, delivered);
  if (!delivered) return;
  const std::uint32_t to = dest->second;
  // One draw per statement: the order of operands of + is unspecified, and the draws
  // must come in a fixed order for a seed to mean one run.
  const Duration latency = network_.latency(i, to, rng_);
  const Duration delay = latency + network_.reorder_delay(rng_) + members_[to].processing_delay;
  auto bytes = std::make_shared<const Bytes>(std::move(d.bytes));
  if (network_.duplicates(rng_)) {
    // The copy shares the bytes: duplication costs no allocation of its own.
    const Duration again = network_.latency(i, to, rng_) + members_[to].processing_delay;
    push(Event{sent + again, 0, EventType::datagram, to, i, 0, 0, bytes});
  }
  push(Event{sent + delay, 0, EventType::datagram, to, i, 0, 0, std::move(bytes)});
}

// A stream is a TCP connection over the modelled links: a handshake round trip (a
// lost SYN or SYN-ACK costs the SYN timeout, doubling), the request on the initiator's
// shared uplink, lost segments retransmitted after the RTO (doubling). Past the
// initiator's stream_timeout nothing is delivered: its core's own timer fails it.
void World::send_stream(std::uint32_t i, StreamRequest& s) {
  Member& m = members_[i];
  ++m.packets_sent;
  m.bytes_sent += s.bytes.size();
  auto dest = by_address_.find(s.address);
  record(1, i, dest == by_address_.end() ? ~0ull : dest->second, s.bytes);
  if (stream_observer_) stream_observer_(i, dest == by_address_.end() ? size() : dest->second, s.stream_id, s.bytes);
  if (dest == by_address_.end()) {
    push(Event{now_ + kLocalFailure + m.processing_delay, 0, EventType::stream_failed, i, i, m.generation,
               s.stream_id, nullptr});
    return;
  }
  const std::uint32_t to = dest->second;
  // An unreachable peer never answers (a dropped SYN): the core's stream timeout
  // handles it.
  if (!network_.reachable(i, to) || !network_.reachable(to, i)) return;
  const StreamLinkModel& links = network_.stream_links();
  const Duration timeout = m.config.stream_timeout;
  // One draw per statement (see send_datagram).
  Duration setup = network_.latency(i, to, rng_);
  setup += network_.retransmission_delay(i, to, 1, links.syn_rto, timeout, rng_);
  setup += network_.latency(to, i, rng_);
  setup += network_.retransmission_delay(to, i, 1, links.syn_rto, timeout, rng_);
  // The bytes take the uplink in send order (so bandwidth is charged now, and
  // datagrams sent during the handshake are not held behind it), and leave once the
  // handshake is done.
  const Time deadline = now_ + timeout;
  const Time sent = transmit(i, s.bytes.size(), deadline - setup) + setup;
  Time arrival = sent + network_.latency(i, to, rng_);
  arrival += network_.retransmission_delay(i, to, s.bytes.size(), links.rto, timeout, rng_);
  if (arrival > deadline) return;
  push(Event{arrival + members_[to].processing_delay, 0, EventType::stream_request, to, i, m.generation, s.stream_id,
             std::make_shared<const Bytes>(std::move(s.bytes)), deadline});
}

void World::flush(std::uint32_t i) {
  Member& m = members_[i];
  if (!m.node) return;
  for (OutgoingDatagram& d : m.node->drain_datagrams()) send_datagram(i, d);
  for (StreamRequest& s : m.node->drain_streams()) send_stream(i, s);
  for (const MembershipEvent& e : m.node->drain_events()) {
    record(2, i, static_cast<std::uint64_t>(e.kind) << 56 | e.incarnation, ByteView(e.member.bytes()));
    if (observer_) observer_(i, e);
  }
  const Time next = m.node->next_tick();
  if (next == kNever) return;
  // The tick fires when the member's clock reaches its deadline; a slow member runs it
  // its processing delay later, as it does everything else.
  Time at = next - m.clock_skew + m.processing_delay;
  if (at < now_) at = now_;
  if (at < m.armed || m.armed < now_) {
    m.armed = at;
    push(Event{at, 0, EventType::tick, i, i, m.generation, 0, nullptr});
  }
}

void World::pause(std::uint32_t i, Duration d) {
  Member& m = members_[i];
  if (!m.node || d.count() <= 0) return;
  const Time until = std::max(m.paused_until, now_) + d;
  m.paused_until = until;
  push(Event{until, 0, EventType::resume, i, i, m.generation, 0, nullptr});
}

bool World::hold_if_paused(const Event& e) {
  Member& m = members_[e.to];
  if (e.type == EventType::resume || m.paused_until <= now_ || !m.node) return false;
  if (e.type == EventType::tick) return true;  // re-armed on resume
  if (e.type == EventType::datagram) {
    if (m.held_datagram_bytes + e.bytes->size() > kSocketBufferBytes) {
      ++socket_buffer_drops_;
      return true;
    }
    m.held_datagram_bytes += e.bytes->size();
  }
  m.held.push_back(e);
  return true;
}

void World::resume(std::uint32_t i) {
  Member& m = members_[i];
  m.armed = kNever;
  // As a libuv loop wakes up: the timers that fell due run first, then what waited in
  // the socket buffer is read, all at this instant and in arrival order.
  push(Event{now_, 0, EventType::tick, i, i, m.generation, 0, nullptr});
  m.armed = now_;
  for (Event& held : m.held) {
    held.at = now_;
    push(std::move(held));
  }
  m.held.clear();
  m.held_datagram_bytes = 0;
}

void World::answer_stream(const Event& e) {
  Member& m = members_[e.to];
  Member& initiator = members_[e.from];
  // The initiator learns of a refused or reset connection one latency later.
  auto fail_back = [&] {
    const Time back = now_ + network_.latency(e.to, e.from, rng_) + initiator.processing_delay;
    push(Event{back, 0, EventType::stream_failed, e.from, e.to, e.generation, e.stream_id, nullptr});
  };
  if (!m.node) {
    fail_back();  // connection refused by the crashed host's OS
    return;
  }
  if (!network_.reachable(e.from, e.to)) return;  // cut by a partition on the way: never answered
  ++m.inputs;
  auto response = timed([&] { return m.node->handle_stream(initiator.address, *e.bytes, node_time(e.to)); });
  if (!response.ok()) {
    fail_back();
  } else {
    ++m.packets_sent;
    m.bytes_sent += response.value().size();
    record(3, e.to, e.from, response.value());
    const Time sent = transmit(e.to, response.value().size(), e.deadline);
    const Duration remaining = e.deadline - now_;
    Time arrival = sent + network_.latency(e.to, e.from, rng_);
    arrival += network_.retransmission_delay(e.to, e.from, response.value().size(), network_.stream_links().rto,
                                             remaining, rng_);
    if (network_.reachable(e.to, e.from) && arrival <= e.deadline) {
      push(Event{arrival + initiator.processing_delay, 0, EventType::stream_response, e.from, e.to, e.generation,
                 e.stream_id, std::make_shared<const Bytes>(std::move(response.value())), e.deadline});
    }
  }
  flush(e.to);
  if (input_observer_) input_observer_(e.to);
}

void World::dispatch(const Event& e) {
  Member& m = members_[e.to];
  if (e.backlog_of && *e.backlog_of != m.generation) return;  // died with its process
  if (hold_if_paused(e) || defer_input(e)) return;
  switch (e.type) {
    case EventType::resume:
      if (m.node && e.generation == m.generation && e.at == m.paused_until) resume(e.to);
      return;
    case EventType::tick:
      if (!m.node || e.generation != m.generation || e.at != m.armed) return;
      m.armed = kNever;
      ++m.inputs;
      timed([&] { m.node->tick(node_time(e.to)); });
      break;
    case EventType::datagram:
      if (!m.node) return;
      if (datagram_observer_) datagram_observer_(e.to, e.from, *e.bytes);
      ++m.inputs;
      (void)timed([&] { return m.node->receive(members_[e.from].address, *e.bytes, node_time(e.to)); });
      break;
    case EventType::stream_request:
      answer_stream(e);
      return;
    case EventType::stream_response:
      // A partition that rose while the answer was in flight cuts the connection.
      if (!m.node || e.generation != m.generation || !network_.reachable(e.from, e.to)) return;
      ++m.inputs;
      (void)timed([&] { return m.node->stream_response(e.stream_id, *e.bytes, node_time(e.to)); });
      break;
    case EventType::stream_failed:
      if (!m.node || e.generation != m.generation) return;
      ++m.inputs;
      timed([&] { m.node->stream_failed(e.stream_id, node_time(e.to)); });
      break;
  }
  flush(e.to);
  if (input_observer_) input_observer_(e.to);
}

void World::run_until(Time t) {
  stop_ = false;
  while (!queue_.empty() && queue_.top().at <= t) {
    Event e = queue_.top();
    queue_.pop();
    now_ = e.at;
    ++events_processed_;
    dispatch(e);
    if (stop_) {
      stop_ = false;
      return;
    }
  }
  if (now_ < t) now_ = t;
}

}  // namespace swell::sim
