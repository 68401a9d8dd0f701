#include "swim/node_core.h"

#include <algorithm>

#include "crypto/claim_auth.h"
#include "swim/formulas.h"

namespace swell {

namespace {

std::shared_ptr<swim::ClaimCache> claims_or_own(std::shared_ptr<swim::ClaimCache> shared, const Config& config) {
  if (shared) return shared;
  return std::make_shared<swim::ClaimCache>(std::max<std::size_t>(4 * config.max_members, 1024), config.cluster_label);
}

std::shared_ptr<crypto::PairKeySource> keys_or_own(std::shared_ptr<crypto::PairKeySource> shared,
                                                   const Config& config) {
  if (shared) return shared;
  return std::make_shared<crypto::DerivedPairKeys>(swim::key_scope_of(config));
}

X25519PublicKey agreement_key_of(const Identity& identity) {
  // An identity's key is a valid point (it was made from a secret), so this succeeds.
  auto key = x25519_public_key(identity.id());
  return key.ok() ? key.value() : X25519PublicKey{};
}

}  // namespace

NodeCore::NodeCore(Identity identity, const Config& config, Rng rng, swim::SharedCaches shared)
    : identity_(std::move(identity)),
      config_(config),
      rng_(rng),
      cache_(claims_or_own(std::move(shared.claims), config)),
      pair_keys_(keys_or_own(std::move(shared.pair_keys), config)),
      table_(rng_.next()),
      keys_(identity_, config.max_peer_keys, rng_.next(), *pair_keys_,
            [this](const NodeId& peer) { return announced_key(peer); }),
      agreement_key_(agreement_key_of(identity_)),
      awareness_(config.lifeguard_local_health ? config.awareness_max_multiplier : 1),
      queue_(config.max_queue_entries),
      damper_(swim::FlapLimits{.limit = config.flap_limit,
                               .window = config.flap_window,
                               .hold = config.flap_hold,
                               .probation_interval = 4 * config.probe_interval,
                               .passes = config.probation_passes,
                               .trials = 2,
                               .trial_bad_below = 0.4,
                               .trial_interval = config.probe_interval,
                               .max_tracked = 1024}),
      // An honest member's few refuted suspicions in a lossy moment are forgiven within
      // minutes; one that accuses everyone stays silenced (docs/security.md, Insiders).
      accusers_(swim::AccuserLimits{.budget = 4, .half_life = std::chrono::seconds(60),
                                    .max_tracked = std::max<std::size_t>(config.max_members, 1)}),
      admission_(config.admission, config.cluster_label),
      probe_order_(config.probe_order, identity_.id().prefix64()),
      builder_(config.max_datagram_bytes, config.encrypt),
      // A cluster of one starts in majority mode under automatic (docs/majority.md).
      mode_(config.mode == ClusterMode::swim ? majority::Mode::swim : majority::Mode::majority) {
  // Drawn only when encrypting, so unencrypted runs draw exactly what they always did.
  if (config.encrypt) {
    const std::uint64_t a = rng_.next();
    nonces_.emplace(a, rng_.next(), identity_.id());
  }
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
  if (config_.admission.mode == AdmissionMode::ca) {
    if (auto ok = check_own_certificate(config_.admission.certificate, identity_.id()); !ok.ok()) {
      return Error{ErrorCode::invalid_config, "admission.certificate: " + ok.error().message};
    }
  }
  local_info_ = std::move(info);
  swim_address_ = std::move(swim_address);
  swim::ClaimRef own = sign(wire::AliveClaim{local_info_, swim_address_, agreement_key_, config_.admission.certificate});
  swim::Member self(own, now);
  self.knows_us = true;
  table_.add(std::move(self));
  return success();
}

Result<void> NodeCore::check_own_certificate(const Bytes& certificate, const NodeId& key) const {
  auto cert = wire::decode_certificate(certificate);
  if (!cert.ok()) return Error{ErrorCode::invalid_argument, "the certificate does not decode: " + cert.error().message};
  if (cert.value().node != key) {
    return Error{ErrorCode::invalid_argument, "the certificate admits key " + cert.value().node.short_hex() +
                                                  ", not " + key.short_hex() + "; sign one for this key (swell-agent ca sign)"};
  }
  if (!admission_.trusts(cert.value().ca)) {
    return Error{ErrorCode::invalid_argument, "the certificate's CA " + cert.value().ca.short_hex() +
                                                  " is not trusted here; sign it with a trusted CA"};
  }
  return success();
}

Result<void> NodeCore::join(const std::vector<std::string>& seeds, Time now) {
  if (phase_ == Phase::leaving) {
    return Error{ErrorCode::wrong_state, "join() after leave(): a member that left rejoins as a new node"};
  }
  for (const std::string& seed : seeds) {
    if (auto valid = validate_address(seed); !valid.ok()) {
      return Error{ErrorCode::invalid_argument, "seed address: " + valid.error().message};
    }
  }
  if (phase_ != Phase::idle) {
    contact_seeds(seeds, now);
    return success();
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
  if (phase_ == Phase::idle) return Error{ErrorCode::wrong_state, "leave() before join(): nothing to leave"};
  if (phase_ == Phase::leaving) return success();
  phase_ = Phase::leaving;
  swim::ClaimRef claim = sign(wire::LeaveClaim{identity_.id(), incarnation_});
  table_.set_state(0, MemberState::left, now);
  status_claims_[identity_.id()] = claim;
  enqueue_gossip(claim);
  stop_probing();
  gossip(now);
  return success();
}

Result<void> NodeCore::set_local_info(PeerInfo info, Time /*now*/) {
  if (phase_ == Phase::leaving) {
    return Error{ErrorCode::wrong_state, "set_local_info() after leave(): a leaving node announces nothing new"};
  }
  info.owner = identity_.id();
  if (incarnation_ + 1 >= wire::kMaxIncarnation) {
    return Error{ErrorCode::invalid_argument, "incarnation limit reached: restart the node with a new identity"};
  }
  info.version = incarnation_ + 1;
  if (auto valid = validate(info, config_.peer_info); !valid.ok()) return valid;
  ++incarnation_;
  local_info_ = std::move(info);
  sign_own_alive();
  names_dirty_ = true;
  return success();
}

void NodeCore::schedule(Duration after, Time now, swim::TimerPayload what) { timers_.schedule(now + after, what); }

void NodeCore::start_periodic_timers(Time now) {
  // Random offsets spread the members' rounds, so the cluster does not probe in lockstep.
  for (std::uint8_t lane = 0; lane < kLanes; ++lane) {
    if (lane_interval(lane) == Duration::max()) continue;
    if (config_.mode == ClusterMode::majority) break;  // never probes
    // The check lane idles until a check is due; it needs no offset (and drawing one
    // would shift every later random choice of a run).
    const Duration offset = lane == kCheckLane ? lane_interval(lane)
                                               : Duration(static_cast<std::int64_t>(rng_.below(
                                                     static_cast<std::uint64_t>(lane_interval(lane).count()))));
    schedule(offset, now, swim::ProbeStart{lane_generation_[lane], lane});
  }
  schedule(config_.gossip_interval, now, swim::GossipRound{});
  // Only in the modes that can heartbeat: a SWIM-only node draws and schedules exactly
  // what it did before majority mode existed.
  if (config_.mode != ClusterMode::swim) schedule(Duration{0}, now, swim::HeartbeatRound{});
  if (config_.mode == ClusterMode::automatic) schedule(std::chrono::seconds(1), now, swim::ModeRound{});
  if (config_.push_pull_interval.count() > 0) {
    const auto interval = swim::push_pull_interval(config_.push_pull_interval, live_members());
    schedule(Duration(static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(interval.count())) + 1)), now,
             swim::PushPullRound{false});
  }
  schedule(config_.reconnect_interval, now, swim::ReconnectRound{});
  schedule(std::chrono::minutes(1), now, swim::ReapRound{});
}

void NodeCore::tick(Time now) {
  // Bounded by the number of due deadlines; each handler schedules only future ones.
  while (timers_.due(now)) on_timer(timers_.pop(), now);
}

void NodeCore::on_timer(const swim::Timer& timer, Time now) {
  struct Dispatch {
    NodeCore& core;
    Time now;
    const swim::Timer& timer;
    void operator()(const swim::ProbeStart& t) const {
      if (core.phase_ != Phase::joined || t.generation != core.lane_generation_[t.lane]) return;
      // Automatic mode keeps the lanes ticking while majority mode runs, for a switch.
      if (core.majority_active()) core.schedule(core.lane_interval(t.lane), now, t);
      else core.start_probe(t.lane, now);
    }
    void operator()(const swim::HeartbeatRound&) const { core.on_heartbeat_timer(timer.at, now); }
    void operator()(const swim::ModeRound&) const { core.on_mode_round(now); }
    void operator()(const swim::ProbeResend& t) const { core.on_probe_resend(t.generation); }
    void operator()(const swim::ProbeIndirect& t) const { core.on_probe_indirect(t.generation); }
    void operator()(const swim::ProbeEnd& t) const { core.on_probe_end(t.generation, now); }
    void operator()(const swim::RelayResend& t) const { core.on_relay_resend(t.first_seq); }
    void operator()(const swim::RelayNack& t) const { core.on_relay_timeout(t.first_seq); }
    void operator()(const swim::SuspicionTimeout& t) const { core.on_suspicion_timer(t, now); }
    void operator()(const swim::GossipRound&) const {
      if (core.phase_ != Phase::joined && core.phase_ != Phase::leaving) return;
      core.gossip(now);
      core.schedule(core.config_.gossip_interval, now, swim::GossipRound{});
    }
    void operator()(const swim::PushPullRound& t) const { core.on_push_pull(t, now); }
    void operator()(const swim::ReconnectRound&) const { core.on_reconnect(now); }
    void operator()(const swim::JoinRetry& t) const {
      // The back-off is over: try the next seed (on_join_retry chose the delay).
      if (t.generation == core.join_generation_) core.try_join(now);
    }
    void operator()(const swim::StreamTimeout& t) const { core.on_stream_timeout(t.stream_id, now); }
    void operator()(const swim::ReapRound&) const {
      core.reap(now);
      core.schedule(std::chrono::minutes(1), now, swim::ReapRound{});
    }
  };
  std::visit(Dispatch{*this, now, timer}, timer.what);
}

std::size_t NodeCore::live_members() const {
  return table_.count(MemberState::alive) + table_.count(MemberState::suspect);
}

std::optional<X25519PublicKey> NodeCore::announced_key(const NodeId& peer) const {
  const auto index = table_.find(peer);
  if (!index) return std::nullopt;
  const swim::ClaimRef& alive = table_.at(*index).alive;
  return alive ? alive->agreement_key() : std::nullopt;
}

bool NodeCore::probeable(std::uint32_t index) const {
  const MemberState state = table_.at(index).state;
  return state == MemberState::alive || state == MemberState::suspect;
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
    if (!probeable(i)) continue;
    if (except != nullptr && table_.at(i).id() == *except) continue;
    if (std::find(picked.begin(), picked.end(), i) != picked.end()) continue;
    picked.push_back(i);
  }
  return picked;
}

void NodeCore::reap(Time now) {
  sweep_admission(now);
  if (own_rotation_ && now >= own_rotation_until_) own_rotation_ = nullptr;
  bool removed = false;
  for (std::uint32_t i = table_.size(); i-- > 1;) {
    const swim::Member& m = table_.at(i);
    if ((m.state == MemberState::dead || m.state == MemberState::left) &&
        m.state_since() + config_.reconnect_window <= now) {
      status_claims_.erase(m.id());
      damper_.forget(m.id());
      link_.forget(m.id());
      table_.remove(i);
      removed = true;
    }
  }
  // Indices moved: start a fresh probe round.
  if (removed) probe_order_.reset();
}

std::vector<MemberSnapshot> NodeCore::members() const {
  std::vector<MemberSnapshot> out;
  out.reserve(table_.size());
  for (std::uint32_t i = 0; i < table_.size(); ++i) {
    const swim::Member& m = table_.at(i);
    if (retired_record(m)) continue;
    out.push_back(MemberSnapshot{m.id(), m.state, m.incarnation, m.alive->announcement, name_lost_to(m.id())});
  }
  std::sort(out.begin(), out.end(), [](const MemberSnapshot& a, const MemberSnapshot& b) { return a.id < b.id; });
  return out;
}

std::optional<MemberSnapshot> NodeCore::member(const NodeId& id) const {
  const auto index = table_.find(id);
  if (!index || retired_record(table_.at(*index))) return std::nullopt;
  const swim::Member& m = table_.at(*index);
  return MemberSnapshot{m.id(), m.state, m.incarnation, m.alive->announcement, name_lost_to(m.id())};
}

}  // namespace swell
