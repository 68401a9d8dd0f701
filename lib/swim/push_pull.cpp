// Join, anti-entropy and reconnect over a stream (TCP in the runtime). A stream
// message is an envelope with the full sender key and the pairwise tag; a join request
// to a seed whose key is not yet known carries an all-zero tag, accepted for join
// requests only: everything in it is a signed claim.
//
// Anti-entropy sends a 16-byte digest of the table first; full records travel only
// when digests differ, so a converged cluster pays ~100 bytes per exchange instead of
// its whole state (docs/protocol.md).
#include <algorithm>
#include <cstring>

#include "crypto/datagram_codec.h"
#include "swim/formulas.h"
#include "swim/node_core.h"

namespace swell {

using swim::TimerKind;

namespace {

wire::MemberStatus status_of(MemberState state) {
  switch (state) {
    case MemberState::alive: return wire::MemberStatus::alive;
    case MemberState::suspect: return wire::MemberStatus::suspect;
    case MemberState::dead: return wire::MemberStatus::dead;
    case MemberState::left: return wire::MemberStatus::left;
  }
  return wire::MemberStatus::alive;
}

bool all_zero(ByteView bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace

wire::StateDigest NodeCore::state_digest() const {
  // XOR of a 128-bit mix of (id, incarnation, state) per member: order-free, and cheap
  // enough to compute per exchange in a 10,000-member table. It only decides whether
  // to send records; a crafted collision could delay a repair, never corrupt state.
  std::uint64_t lo = 0, hi = 0;
  auto mix = [](std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  };
  for (std::uint32_t i = 0; i < table_.size(); ++i) {
    const swim::Member& m = table_.at(i);
    // A suspicion is transient (refuted or confirmed within seconds): it does not
    // count as a difference worth a full exchange.
    const MemberState state = m.state == MemberState::suspect ? MemberState::alive : m.state;
    std::uint64_t h = mix(m.incarnation * 4 + static_cast<std::uint64_t>(state));
    const auto& bytes = m.id().bytes();
    for (std::size_t w = 0; w < NodeId::kSize; w += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, bytes.data() + w, 8);
      h = mix(h ^ word);
    }
    lo ^= h;
    hi ^= mix(h ^ 0x9e3779b97f4a7c15ull);
  }
  wire::StateDigest digest{};
  std::memcpy(digest.data(), &lo, 8);
  std::memcpy(digest.data() + 8, &hi, 8);
  return digest;
}

Bytes NodeCore::encode_state_message(wire::MessageKind kind, bool join, bool full, const NodeId& peer,
                                     bool with_tag) {
  wire::PushPullView state;
  state.join = join;
  state.digest = state_digest();
  if (full) state.members.reserve(table_.size());
  for (std::uint32_t i = 0; full && i < table_.size(); ++i) {
    const swim::Member& m = table_.at(i);
    wire::MemberRecordView record;
    record.status = status_of(m.state);
    record.alive = m.alive->body;
    if (m.state != MemberState::alive) {
      auto it = status_claims_.find(m.id());
      if (it == status_claims_.end()) continue;  // cannot justify the state: leave it out
      record.status_claim = it->second->body;
    }
    state.members.push_back(record);
  }
  Bytes body;
  wire::encode_push_pull_view(state, body);
  wire::DatagramBuilder builder(config_.max_stream_bytes);
  builder.begin(true, identity_.id(), next_seq_++);
  Bytes out;
  if (!builder.add(kind, body)) return out;  // larger than max_stream_bytes: caller treats as failure
  builder.finish(out);
  swim::PeerSession* session = with_tag ? keys_.session(peer) : nullptr;
  if (session != nullptr) {
    crypto::append_tag(session->key, out);
  } else {
    out.insert(out.end(), wire::kTagSize, 0);
  }
  stats_.stream_bytes_sent += out.size();
  return out;
}

Result<wire::PushPullView> NodeCore::open_stream_message(ByteView bytes, wire::MessageKind expected,
                                                     const NodeId* expected_peer, NodeId& sender) {
  wire::EnvelopeView env;
  if (auto split = wire::decode_envelope(bytes, config_.max_stream_bytes, limits_, env); !split.ok()) {
    return split.error();
  }
  if (env.kind != expected || env.messages.size() != 1 || !env.sender.full) {
    return Error{ErrorCode::bad_field_type, "stream message must be one " + std::string(wire::to_string(expected)) +
                                                " from a fully named sender"};
  }
  sender = env.sender.id;
  if (sender == identity_.id()) return Error{ErrorCode::bad_mac, "stream message names us as its sender"};
  if (expected_peer != nullptr && !expected_peer->is_zero() && sender != *expected_peer) {
    return Error{ErrorCode::bad_mac, "stream answered by " + sender.short_hex() + ", expected " +
                                         expected_peer->short_hex()};
  }
  auto view = wire::decode_push_pull_view(env.messages[0].body, limits_);
  if (!view.ok()) return view.error();
  const bool unauthenticated_join =
      all_zero(env.tag) && expected == wire::MessageKind::push_pull_request && view.value().join;
  if (!unauthenticated_join) {
    swim::PeerSession* session = keys_.session(sender);
    if (session == nullptr || !crypto::verify_tag(session->key, env.authenticated, env.tag)) {
      return Error{ErrorCode::bad_mac, "stream message authenticator does not verify"};
    }
  }
  return view;
}

void NodeCore::merge_state(const wire::PushPullView& state, Time now) {
  for (const wire::MemberRecordView& m : state.members) {
    if (!accept_claim(m.alive, wire::MessageKind::alive, now, true)) continue;
    if (!m.status_claim.empty()) {
      static constexpr wire::MessageKind kStatusKind[] = {wire::MessageKind::alive, wire::MessageKind::suspect,
                                                          wire::MessageKind::dead, wire::MessageKind::leave};
      accept_claim(m.status_claim, kStatusKind[static_cast<int>(m.status)], now, true);
    }
  }
}

void NodeCore::start_stream(StreamPurpose purpose, const NodeId& peer, const std::string& address, Time now) {
  const bool join = purpose == StreamPurpose::join;
  const bool full = purpose != StreamPurpose::push_pull;
  Bytes request = encode_state_message(wire::MessageKind::push_pull_request, join, full, peer, !peer.is_zero());
  if (request.empty()) return;
  const std::uint64_t id = next_stream_id_++;
  streams_[id] = PendingStream{purpose, peer, address};
  out_streams_.push_back(StreamRequest{id, peer, address, std::move(request)});
  schedule(config_.stream_timeout, now, TimerKind::stream_timeout, id);
}

Result<Bytes> NodeCore::handle_stream(std::string_view /*from*/, ByteView request, Time now) {
  if (phase_ == Phase::idle) return Error{ErrorCode::not_running, "stream before join(); refused"};
  NodeId sender;
  auto state = open_stream_message(request, wire::MessageKind::push_pull_request, nullptr, sender);
  if (!state.ok()) {
    ++stats_.streams_rejected;
    return state.error();
  }
  merge_state(state.value(), now);
  // A joiner is news: announce it (merged claims are otherwise not gossiped).
  if (state.value().join) {
    if (const auto index = table_.find(sender)) queue_.enqueue(table_.at(*index).alive);
  }
  // Records go back unless both tables already agree.
  const bool full = state.value().join || state_digest() != state.value().digest;
  Bytes response = encode_state_message(wire::MessageKind::push_pull_response, false, full, sender, true);
  if (response.empty()) return Error{ErrorCode::oversized, "our state exceeds max_stream_bytes"};
  return response;
}

Result<void> NodeCore::stream_response(std::uint64_t stream_id, ByteView response, Time now) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return Error{ErrorCode::invalid_argument, "no stream request with that id is pending"};
  const PendingStream pending = it->second;
  streams_.erase(it);
  NodeId sender;
  auto state = open_stream_message(response, wire::MessageKind::push_pull_response, &pending.peer, sender);
  if (!state.ok()) {
    if (pending.purpose == StreamPurpose::join) on_join_retry(now);
    return state.error();
  }
  merge_state(state.value(), now);
  // The peer sent records because our digests differed; if we still differ, it lacks
  // something we have: push our records once.
  if (pending.purpose == StreamPurpose::push_pull && !state.value().members.empty() &&
      state_digest() != state.value().digest && phase_ == Phase::joined) {
    start_stream(StreamPurpose::push, pending.peer, pending.address, now);
  }
  if (pending.purpose == StreamPurpose::join && phase_ == Phase::joining) {
    phase_ = Phase::joined;
    ++join_generation_;
    queue_.enqueue(table_.at(0).alive);
    start_periodic_timers(now);
    // Members that joined at about the same time reach us by gossip, which misses a
    // member now and then; three early digest exchanges repair that within seconds
    // instead of a full push-pull interval.
    for (const Duration delay : {Duration(std::chrono::milliseconds(1500)), Duration(std::chrono::seconds(3)),
                                 Duration(std::chrono::seconds(6))}) {
      schedule(delay, now, TimerKind::push_pull, kEarlySync);
    }
  }
  return success();
}

void NodeCore::stream_failed(std::uint64_t stream_id, Time now) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return;
  const StreamPurpose purpose = it->second.purpose;
  streams_.erase(it);
  if (purpose == StreamPurpose::join && phase_ == Phase::joining) on_join_retry(now);
}

void NodeCore::on_stream_timeout(std::uint64_t stream_id, Time now) { stream_failed(stream_id, now); }

void NodeCore::try_join(Time now) {
  if (phase_ != Phase::joining || seeds_.empty()) return;
  const std::string seed = seeds_[next_seed_ % seeds_.size()];
  ++next_seed_;
  start_stream(StreamPurpose::join, NodeId{}, seed, now);
}

void NodeCore::on_join_retry(Time now) {
  if (phase_ != Phase::joining) return;
  ++join_attempts_;
  ++join_generation_;
  // Try every seed once quickly, then back off exponentially up to join_retry_max.
  if (static_cast<std::size_t>(join_attempts_) % seeds_.size() != 0) {
    try_join(now);
    return;
  }
  const int rounds = join_attempts_ / static_cast<int>(seeds_.size());
  Duration delay = config_.join_retry_initial;
  for (int i = 1; i < rounds && delay < config_.join_retry_max; ++i) delay *= 2;
  delay = std::min(delay, config_.join_retry_max);
  schedule(delay, now, TimerKind::join_retry, join_generation_);
}

void NodeCore::on_push_pull(std::uint64_t token, Time now) {
  if (phase_ != Phase::joined) return;
  for (const std::uint32_t index : random_members(1, nullptr)) {
    const swim::Member& m = table_.at(index);
    if (m.state == MemberState::alive) start_stream(StreamPurpose::push_pull, m.id(), address_of(index), now);
  }
  if (token != kEarlySync) {
    schedule(swim::push_pull_interval(config_.push_pull_interval, live_members()), now, TimerKind::push_pull);
  }
}

void NodeCore::on_reconnect(Time now) {
  if (phase_ != Phase::joined) return;
  schedule(config_.reconnect_interval, now, TimerKind::reconnect);
  const std::size_t dead = table_.count(MemberState::dead);
  if (dead == 0) return;
  // Pick the k-th failed member uniformly; a healed partition merges back through these.
  std::uint64_t k = rng_.below(dead);
  for (std::uint32_t i = 1; i < table_.size(); ++i) {
    const swim::Member& m = table_.at(i);
    if (m.state != MemberState::dead) continue;
    if (k-- == 0) {
      start_stream(StreamPurpose::reconnect, m.id(), address_of(i), now);
      return;
    }
  }
}

}  // namespace swell
