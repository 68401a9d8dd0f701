#include "swim/node_core.h"

#include <algorithm>

#include "crypto/claim_auth.h"
#include "crypto/datagram_codec.h"
#include "swim/formulas.h"

namespace swell {

using swim::TimerKind;

NodeCore::NodeCore(Identity identity, const Config& config, Rng rng, std::shared_ptr<ClaimCache> cache)
    : identity_(std::move(identity)),
      config_(config),
      rng_(rng),
      shared_cache_(cache != nullptr),
      cache_(cache ? std::move(cache) : make_claim_cache(std::max<std::size_t>(4 * config.max_members, 1024))),
      table_(rng_.next()),
      keys_(identity_, config.max_peer_keys, rng_.next(), config.simulated_pair_keys,
            shared_cache_ ? cache_.get() : nullptr),
      awareness_(config.awareness_max_multiplier),
      queue_(config.max_queue_entries),
      builder_(config.max_datagram_bytes) {
  limits_.max_datagram_bytes = config.max_datagram_bytes;
  limits_.max_stream_bytes = config.max_stream_bytes;
  limits_.max_members = config.max_members;
  limits_.peer_info = config.peer_info;
}

Result<void> NodeCore::start(PeerInfo info, std::string swim_address, Time now) {
  if (auto valid = validate_address(swim_address); !valid.ok()) {
    return Error{ErrorCode::invalid_argument, "swim_address: " + valid.error().message};
  }
  info.owner = identity_.id();
  info.version = incarnation_;
  if (auto valid = validate(info, config_.peer_info); !valid.ok()) return valid;
  local_info_ = std::move(info);
  swim_address_ = std::move(swim_address);
  swim::ClaimRef own = sign(wire::AliveClaim{local_info_, swim_address_});
  swim::Member self(own, now);
  self.knows_us = true;
  table_.add(std::move(self));
  return success();
}

void NodeCore::sign_own_alive() {
  local_info_.version = incarnation_;
  swim::ClaimRef own = sign(wire::AliveClaim{local_info_, swim_address_});
  swim::Member& self = table_.at(0);
  self.alive = own;
  table_.raise_incarnation(0, incarnation_);
  queue_.enqueue(own);
}

swim::ClaimRef NodeCore::sign(const wire::Claim& claim) {
  wire::SignedClaim signed_claim = crypto::sign_claim(identity_, wire::encode_claim_payload(claim));
  return cache_->adopt(signed_claim, claim);
}

void NodeCore::schedule(Duration after, Time now, TimerKind kind, std::uint64_t token) {
  timers_.schedule(now + after, kind, token);
}

void NodeCore::start_periodic_timers(Time now) {
  // Random offsets spread the members' rounds, so the cluster does not probe in lockstep.
  schedule(Duration(static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(config_.probe_interval.count())))),
           now, TimerKind::probe, probe_generation_);
  schedule(config_.gossip_interval, now, TimerKind::gossip);
  if (config_.push_pull_interval.count() > 0) {
    const auto interval = swim::push_pull_interval(config_.push_pull_interval, live_members());
    schedule(Duration(static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(interval.count())) + 1)), now,
             TimerKind::push_pull);
  }
  schedule(config_.reconnect_interval, now, TimerKind::reconnect);
  schedule(std::chrono::minutes(1), now, TimerKind::reap);
}

void NodeCore::tick(Time now) {
  // Bounded by the number of due deadlines; each handler schedules only future ones.
  while (timers_.due(now)) on_timer(timers_.pop(), now);
}

void NodeCore::on_timer(const swim::Timer& timer, Time now) {
  switch (timer.kind) {
    case TimerKind::probe:
      if (phase_ == Phase::joined && timer.token == probe_generation_) start_probe(now);
      break;
    case TimerKind::probe_resend: on_probe_resend(timer.token, now); break;
    case TimerKind::probe_indirect: on_probe_indirect(timer.token, now); break;
    case TimerKind::probe_end: on_probe_end(timer.token, now); break;
    case TimerKind::relay_resend: on_relay_resend(timer.token, now); break;
    case TimerKind::relay_nack: on_relay_timeout(timer.token, now); break;
    case TimerKind::suspicion: on_suspicion_timer(timer.token, now); break;
    case TimerKind::gossip:
      if (phase_ == Phase::joined || phase_ == Phase::leaving) {
        gossip(now);
        schedule(config_.gossip_interval, now, TimerKind::gossip);
      }
      break;
    case TimerKind::push_pull: on_push_pull(timer.token, now); break;
    case TimerKind::reconnect: on_reconnect(now); break;
    case TimerKind::join_retry:
      if (timer.token == join_generation_) on_join_retry(now);
      break;
    case TimerKind::stream_timeout: on_stream_timeout(timer.token, now); break;
    case TimerKind::reap:
      reap(now);
      schedule(std::chrono::minutes(1), now, TimerKind::reap);
      break;
  }
}

std::size_t NodeCore::live_members() const {
  return table_.count(MemberState::alive) + table_.count(MemberState::suspect);
}

int NodeCore::retransmit_limit() const {
  const int limit = swim::retransmit_limit(config_.retransmit_mult, live_members());
  // A long queue means a storm (many members joined at once): send each claim fewer
  // times, down to 3, and let the early digest exchanges after joining fill the gaps.
  // Otherwise a storm of N announcements costs every member N * limit sends.
  constexpr std::size_t kCalm = 64;
  if (queue_.size() <= kCalm) return limit;
  return std::max(3, static_cast<int>(static_cast<std::size_t>(limit) * kCalm / queue_.size()));
}

const std::string& NodeCore::address_of(std::uint32_t index) const {
  return table_.at(index).alive->announcement->swim_address;
}

std::vector<std::uint32_t> NodeCore::random_members(std::size_t count, const NodeId* except) {
  std::vector<std::uint32_t> picked;
  const std::uint32_t n = table_.size();
  if (n <= 1) return picked;
  // Rejection sampling over the table: O(count) when most members are live, and
  // bounded by a fixed number of draws when they are not.
  const std::size_t max_draws = 8 * count + 32;
  for (std::size_t draw = 0; draw < max_draws && picked.size() < count; ++draw) {
    const auto i = static_cast<std::uint32_t>(1 + rng_.below(n - 1));  // index 0 is self
    const swim::Member& m = table_.at(i);
    if (m.state != MemberState::alive && m.state != MemberState::suspect) continue;
    if (except != nullptr && m.id() == *except) continue;
    if (std::find(picked.begin(), picked.end(), i) != picked.end()) continue;
    picked.push_back(i);
  }
  return picked;
}

void NodeCore::send_datagram(std::uint32_t index,
                             std::initializer_list<std::pair<wire::MessageKind, ByteView>> messages,
                             std::uint64_t* seq_out, bool piggyback, bool introduce) {
  const swim::Member& m = table_.at(index);
  send_datagram_to(m.id(), address_of(index), !m.knows_us, messages, seq_out, piggyback, introduce);
}

void NodeCore::send_datagram_to(const NodeId& peer, const std::string& address, bool full_sender,
                                std::initializer_list<std::pair<wire::MessageKind, ByteView>> messages,
                                std::uint64_t* seq_out, bool piggyback, bool introduce) {
  swim::PeerSession* session = keys_.session(peer);
  if (session == nullptr) return;  // invalid key: nobody can talk to it
  const std::uint64_t seq = next_seq_++;
  if (seq_out != nullptr) *seq_out = seq;
  builder_.begin(full_sender || introduce, identity_.id(), seq);
  for (const auto& [kind, body] : messages) builder_.add(kind, body);
  if (introduce && phase_ != Phase::leaving) builder_.add(wire::MessageKind::alive, table_.at(0).alive->body);
  if (piggyback) {
    // Buddy system (Lifeguard): a suspect hears about its suspicion from whoever pings it.
    if (auto it = status_claims_.find(peer); it != status_claims_.end() &&
                                             it->second->kind == wire::MessageKind::suspect) {
      builder_.add(it->second->kind, it->second->body);
    }
    last_fill_count_ = queue_.fill(builder_, retransmit_limit());
  }
  if (builder_.count() == 0) return;
  OutgoingDatagram out{peer, address, {}};
  crypto::seal_datagram(builder_, session->key, out.bytes);
  ++stats_.datagrams_sent;
  stats_.datagram_bytes_sent += out.bytes.size();
  out_datagrams_.push_back(std::move(out));
}

void NodeCore::gossip(Time /*now*/) {
  if (queue_.empty()) return;
  // A backlog (a join storm) is drained in bursts of up to four datagrams per target,
  // so the redundant tail of an epidemic ends within a few rounds instead of lingering.
  constexpr int kMaxBurst = 4;
  for (const std::uint32_t index : random_members(static_cast<std::size_t>(config_.gossip_nodes), nullptr)) {
    // fill() sends least-sent first, so each further datagram carries claims this
    // target has not been sent yet; stop once every queued claim went to it once.
    std::size_t sent_to_target = 0;
    for (int burst = 0; burst < kMaxBurst && queue_.size() > sent_to_target; ++burst) {
      last_fill_count_ = 0;
      send_datagram(index, {}, nullptr, true);
      if (last_fill_count_ == 0) break;
      sent_to_target += last_fill_count_;
    }
  }
}

void NodeCore::emit(MembershipEvent::Kind kind, std::uint32_t index, Time now, std::optional<FailureEvidence> evidence) {
  const swim::Member& m = table_.at(index);
  MembershipEvent event{kind, m.id(), m.incarnation, m.alive->announcement, std::move(evidence), now};
  out_events_.push_back(std::move(event));
}

void NodeCore::reap(Time now) {
  bool removed = false;
  for (std::uint32_t i = table_.size(); i-- > 1;) {
    const swim::Member& m = table_.at(i);
    if ((m.state == MemberState::dead || m.state == MemberState::left) &&
        m.state_since() + config_.reconnect_window <= now) {
      status_claims_.erase(m.id());
      table_.remove(i);
      removed = true;
    }
  }
  if (removed) {
    // Indices moved: start a fresh probe round.
    probe_order_.clear();
    probe_cursor_ = 0;
  }
}

std::vector<MemberSnapshot> NodeCore::members() const {
  std::vector<MemberSnapshot> out;
  out.reserve(table_.size());
  for (std::uint32_t i = 0; i < table_.size(); ++i) {
    const swim::Member& m = table_.at(i);
    out.push_back(MemberSnapshot{m.id(), m.state, m.incarnation, m.alive->announcement});
  }
  std::sort(out.begin(), out.end(), [](const MemberSnapshot& a, const MemberSnapshot& b) { return a.id < b.id; });
  return out;
}

std::optional<MemberSnapshot> NodeCore::member(const NodeId& id) const {
  const auto index = table_.find(id);
  if (!index) return std::nullopt;
  const swim::Member& m = table_.at(*index);
  return MemberSnapshot{m.id(), m.state, m.incarnation, m.alive->announcement};
}

Result<void> NodeCore::join(const std::vector<std::string>& seeds, Time now) {
  if (phase_ != Phase::idle) {
    return Error{ErrorCode::invalid_argument, "join() was already called; a node joins once"};
  }
  for (const std::string& seed : seeds) {
    if (auto valid = validate_address(seed); !valid.ok()) {
      return Error{ErrorCode::invalid_argument, "seed address: " + valid.error().message};
    }
  }
  seeds_.clear();
  for (const std::string& seed : seeds) {
    if (seed != swim_address_) seeds_.push_back(seed);
  }
  if (seeds_.empty()) {
    // The first member: a cluster of one.
    phase_ = Phase::joined;
    start_periodic_timers(now);
    return success();
  }
  phase_ = Phase::joining;
  try_join(now);
  return success();
}

Result<void> NodeCore::leave(Time now) {
  if (phase_ == Phase::idle) return Error{ErrorCode::not_running, "leave() before join(): nothing to leave"};
  if (phase_ == Phase::leaving) return success();
  phase_ = Phase::leaving;
  swim::ClaimRef claim = sign(wire::LeaveClaim{identity_.id(), incarnation_});
  table_.set_state(0, MemberState::left, now);
  status_claims_[identity_.id()] = claim;
  queue_.enqueue(claim);
  ++probe_generation_;  // stops probing
  probe_.reset();
  gossip(now);
  return success();
}

Result<void> NodeCore::set_local_info(PeerInfo info, Time /*now*/) {
  if (phase_ == Phase::leaving) return Error{ErrorCode::not_running, "set_local_info() after leave()"};
  info.owner = identity_.id();
  if (incarnation_ + 1 >= wire::kMaxIncarnation) {
    return Error{ErrorCode::invalid_argument, "incarnation limit reached: restart the node with a new identity"};
  }
  info.version = incarnation_ + 1;
  if (auto valid = validate(info, config_.peer_info); !valid.ok()) return valid;
  ++incarnation_;
  local_info_ = std::move(info);
  sign_own_alive();
  return success();
}

}  // namespace swell
