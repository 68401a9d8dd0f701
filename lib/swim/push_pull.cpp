// Join, anti-entropy and reconnect over a stream (TCP in the runtime). A stream
// message is an envelope with the full sender key and the pairwise tag; a join request
// to a seed whose key is not yet known carries an all-zero tag, accepted for join
// requests only: everything in it is a signed claim.
//
// Anti-entropy sends a 16-byte digest of the table first; when digests differ the peer
// answers with a 17-byte-per-member summary and one more round moves only the missing
// records, so a converged cluster pays ~150 bytes per exchange (docs/protocol.md).
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
  // It only decides whether to exchange more; a crafted collision could delay a
  // repair, never corrupt state.
  const auto d = table_.digest();
  wire::StateDigest digest{};
  std::memcpy(digest.data(), &d[0], 8);
  std::memcpy(digest.data() + 8, &d[1], 8);
  return digest;
}

wire::SummaryEntry NodeCore::summary_of(std::uint32_t index) const {
  const swim::Member& m = table_.at(index);
  // As in the digest, a suspicion does not count as a difference.
  const MemberState state = m.state == MemberState::suspect ? MemberState::alive : m.state;
  return wire::SummaryEntry{m.id().prefix64(), m.incarnation, status_of(state)};
}

void NodeCore::add_record(wire::PushPullView& state, std::uint32_t index) const {
  const swim::Member& m = table_.at(index);
  wire::MemberRecordView record;
  record.status = status_of(m.state);
  record.alive = m.alive->body;
  if (m.state != MemberState::alive) {
    auto it = status_claims_.find(m.id());
    if (it == status_claims_.end()) return;  // cannot justify the state: leave it out
    record.status_claim = it->second->body;
  }
  state.members.push_back(record);
}

Bytes NodeCore::seal_state(wire::MessageKind kind, const wire::PushPullView& state, const NodeId& peer,
                           bool with_tag) {
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

void NodeCore::start_stream(StreamPurpose purpose, const NodeId& peer, const std::string& address, Time now,
                            wire::PushPullView request) {
  request.join = purpose == StreamPurpose::join;
  request.digest = state_digest();
  if (request.join) add_record(request, 0);
  Bytes bytes = seal_state(wire::MessageKind::push_pull_request, request, peer, !peer.is_zero());
  if (bytes.empty()) return;
  const std::uint64_t id = next_stream_id_++;
  streams_[id] = PendingStream{purpose, peer, address};
  out_streams_.push_back(StreamRequest{id, peer, address, std::move(bytes)});
  schedule(config_.stream_timeout, now, TimerKind::stream_timeout, id);
}

Result<Bytes> NodeCore::handle_stream(std::string_view /*from*/, ByteView request, Time now) {
  if (phase_ == Phase::idle) return Error{ErrorCode::not_running, "stream before join(); refused"};
  NodeId sender;
  auto opened = open_stream_message(request, wire::MessageKind::push_pull_request, nullptr, sender);
  if (!opened.ok()) {
    ++stats_.streams_rejected;
    return opened.error();
  }
  const wire::PushPullView& theirs = opened.value();
  merge_state(theirs, now);
  // A joiner is news: announce it (merged claims are otherwise not gossiped).
  if (theirs.join) {
    if (const auto index = table_.find(sender)) queue_.enqueue(table_.at(*index).alive);
  }
  wire::PushPullView reply;
  reply.digest = state_digest();
  Bytes summary;
  if (theirs.join) {
    // A joiner knows nothing yet: everything goes.
    for (std::uint32_t i = 0; i < table_.size(); ++i) add_record(reply, i);
  } else if (theirs.wants_size() > 0) {
    // The second round of an exchange: exactly the records asked for.
    for (std::size_t k = 0; k < theirs.wants_size(); ++k) {
      if (const auto index = table_.find_prefix(theirs.want(k))) add_record(reply, *index);
    }
  } else if (theirs.members.empty() && reply.digest != theirs.digest) {
    // The first round (a bare digest) and the tables differ: say what we hold, briefly,
    // and let the initiator work out the difference (it sends what we lack and asks for
    // what it lacks). A second round that only pushed records gets no summary back.
    summary.reserve(table_.size() * wire::kSummaryEntrySize);
    for (std::uint32_t i = 0; i < table_.size(); ++i) wire::append_summary_entry(summary_of(i), summary);
    reply.summary = summary;
  }
  Bytes response = seal_state(wire::MessageKind::push_pull_response, reply, sender, true);
  if (response.empty()) return Error{ErrorCode::oversized, "our state exceeds max_stream_bytes"};
  return response;
}

void NodeCore::reconcile(const wire::PushPullView& theirs, const NodeId& peer, const std::string& address, Time now) {
  // Which of our members the peer lacks or holds older, and which of theirs we lack or
  // hold older; "older" orders (incarnation, status) with a verdict above alive.
  auto rank = [](wire::MemberStatus s) { return s == wire::MemberStatus::dead || s == wire::MemberStatus::left; };
  auto newer = [&](const wire::SummaryEntry& a, const wire::SummaryEntry& b) {
    return a.incarnation != b.incarnation ? a.incarnation > b.incarnation : rank(a.status) > rank(b.status);
  };
  std::vector<bool> covered(table_.size(), false);
  std::vector<std::uint32_t> send;
  Bytes wants;
  for (std::size_t k = 0; k < theirs.summary_size(); ++k) {
    const wire::SummaryEntry entry = theirs.summary_entry(k);
    const auto index = table_.find_prefix(entry.prefix);
    if (!index) {
      wire::append_want(entry.prefix, wants);
      continue;
    }
    if (covered[*index]) continue;  // a repeated entry
    covered[*index] = true;
    const wire::SummaryEntry ours = summary_of(*index);
    if (newer(entry, ours)) wire::append_want(entry.prefix, wants);
    else if (newer(ours, entry)) send.push_back(*index);
  }
  for (std::uint32_t i = 0; i < table_.size(); ++i) {
    if (!covered[i]) send.push_back(i);
  }
  if (send.empty() && wants.empty()) return;
  wire::PushPullView request;
  for (const std::uint32_t index : send) add_record(request, index);
  request.wants = wants;
  start_stream(StreamPurpose::delta, peer, address, now, std::move(request));
}

Result<void> NodeCore::stream_response(std::uint64_t stream_id, ByteView response, Time now) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return Error{ErrorCode::invalid_argument, "no stream request with that id is pending"};
  const PendingStream pending = it->second;
  streams_.erase(it);
  NodeId sender;
  auto opened = open_stream_message(response, wire::MessageKind::push_pull_response, &pending.peer, sender);
  if (!opened.ok()) {
    if (pending.purpose == StreamPurpose::join) on_join_retry(now);
    return opened.error();
  }
  const wire::PushPullView& theirs = opened.value();
  merge_state(theirs, now);
  // The first round of an exchange brought the peer's summary: one more round settles
  // the difference. A second round never starts a third.
  const bool first_round = pending.purpose == StreamPurpose::push_pull || pending.purpose == StreamPurpose::reconnect;
  if (first_round && theirs.summary_size() > 0 && phase_ == Phase::joined) {
    reconcile(theirs, pending.peer, pending.address, now);
  }
  if (pending.purpose == StreamPurpose::join && phase_ == Phase::joining) {
    phase_ = Phase::joined;
    ++join_generation_;
    queue_.enqueue(table_.at(0).alive);
    start_periodic_timers(now);
    // Members that joined at about the same time reach us by gossip, which misses a
    // member now and then: early digest exchanges repair that within seconds instead
    // of a full push-pull interval. The whole series runs even when an exchange finds
    // equal tables (that partner may lack the same member we do: a 10,000-member storm
    // once left a member missing an announcement for 45 s when equality ended it);
    // between equal tables an exchange costs one digest each way.
    for (const int offset_s : {1, 2, 3, 4, 8, 16, 32}) {
      schedule(std::chrono::seconds(offset_s), now, TimerKind::push_pull, kEarlySync);
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
