// Anti-entropy over a stream (TCP in the runtime). A stream message is an envelope
// with the full sender key and the pairwise tag, sealed and opened by the same code as
// datagrams (crypto/sealed_envelope.h); a join request to a seed whose key is not yet
// known carries an all-zero tag, accepted for join requests only: everything in it is
// a signed claim. Joining itself is in join.cpp.
//
// Anti-entropy sends a 16-byte digest of the table first; when digests differ the peer
// answers with a 17-byte-per-member summary and one more round moves only the missing
// records, so a converged cluster pays ~150 bytes per exchange (docs/protocol.md).
#include <algorithm>
#include <cstring>

#include "crypto/sealed_envelope.h"
#include "swim/formulas.h"
#include "swim/node_core.h"

namespace swell {

namespace {

// A second round that brought at least this many records we lacked means our table is
// far behind the cluster's (we joined in a storm, or a partition healed): we ask
// another member again after kCatchUpAgain instead of waiting for the next early or
// periodic round. Exchanges then come every quarter second while each brings hundreds
// of records, and stop by themselves once one brings fewer (a cluster of up to
// join_answer_records + kLaggingRecords members never triggers it after a join).
constexpr std::size_t kLaggingRecords = 256;
constexpr Duration kCatchUpAgain = std::chrono::milliseconds(250);
// Within this long of joining, a second round that brought any record is repeated after
// catch_up_interval: members that joined in a storm keep missing the last joiners'
// announcements to gossip loss, and the fixed early series (1, 2, 3, 4, 8 s) left
// 200-member storms under 20% loss converging up to 2.7 s after the last join.
constexpr Duration kCatchUpSpan = std::chrono::seconds(32);

wire::MemberStatus status_of(MemberState state) {
  switch (state) {
    case MemberState::alive: return wire::MemberStatus::alive;
    case MemberState::suspect: return wire::MemberStatus::suspect;
    case MemberState::dead: return wire::MemberStatus::dead;
    case MemberState::left: return wire::MemberStatus::left;
  }
  return wire::MemberStatus::alive;
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
    // A force-left member is justified by a dead claim (cause retired), sent as one.
    if (it->second->kind == wire::MessageKind::dead) record.status = wire::MemberStatus::dead;
  }
  state.members.push_back(record);
}

Bytes NodeCore::seal_state(wire::MessageKind kind, const wire::PushPullView& state, const NodeId& peer,
                           bool with_tag) {
  Bytes body;
  wire::encode_push_pull_view(state, body);
  swim::PeerSession* session = with_tag ? keys_.session(peer) : nullptr;
  // A join request to a seed we hold no key for stays clear: it is encrypted under no key.
  wire::DatagramBuilder builder(config_.max_stream_bytes, config_.encrypt && session != nullptr);
  builder.begin(true, identity_.id(), next_seq_++);
  Bytes out;
  if (!builder.add(kind, body)) return out;  // larger than max_stream_bytes: caller treats as failure
  if (session != nullptr) {
    crypto::seal_envelope(builder, session->key, out, nonces());
  } else {
    crypto::seal_unauthenticated(builder, out);
  }
  stats_.stream_bytes_sent += out.size();
  return out;
}

Result<wire::PushPullView> NodeCore::open_stream_message(ByteView bytes, wire::MessageKind expected,
                                                         const NodeId* expected_peer, NodeId& sender,
                                                         wire::EnvelopeView& env) {
  const bool request = expected == wire::MessageKind::push_pull_request;
  auto opened = crypto::open_envelope(
      bytes, config_.max_stream_bytes, limits_,
      [this](const wire::SenderName& name) {
        // Streams always name their sender in full; never ourselves.
        crypto::SenderKey found;
        if (!name.full || name.id == identity_.id()) return found;
        found.id = name.id;
        swim::PeerSession* session = keys_.session(name.id);
        found.key = session == nullptr ? nullptr : &session->key;
        return found;
      },
      env, request ? crypto::ZeroTag::accept : crypto::ZeroTag::reject, protection());
  if (!opened.ok()) {
    if (opened.error().code == ErrorCode::wrong_protection) ++stats_.dropped_wrong_protection;
    return opened.error();
  }
  if (env.kind != expected || env.messages.size() != 1) {
    return Error{ErrorCode::bad_field_type, "stream message must be one " + std::string(wire::to_string(expected))};
  }
  sender = opened.value().sender;
  if (expected_peer != nullptr && !expected_peer->is_zero() && sender != *expected_peer) {
    return Error{ErrorCode::wrong_peer, "stream answered by " + sender.short_hex() + ", expected " +
                                            expected_peer->short_hex() + "; dropped"};
  }
  auto view = wire::decode_push_pull_view(env.messages[0].body, limits_);
  if (!view.ok()) return view.error();
  if (!opened.value().authenticated && !view.value().join) {
    return Error{ErrorCode::bad_mac, "stream message without an authenticator that is not a join request"};
  }
  return view;
}

void NodeCore::merge_state(const wire::PushPullView& state, Time now) {
  static constexpr wire::MessageKind kStatusKind[] = {wire::MessageKind::alive, wire::MessageKind::suspect,
                                                      wire::MessageKind::dead, wire::MessageKind::leave};
  for (const wire::MemberRecordView& m : state.members) {
    // A revoked member's record: the revocation first, so its alive claim is refused
    // rather than added and removed again.
    if (!m.status_claim.empty() && m.status == wire::MemberStatus::dead) {
      auto status = cache_->intern(m.status_claim, limits_);
      if (status.ok() && status.value()->kind == wire::MessageKind::revocation) {
        (void)apply_revocation_claim(status.value(), now);
        continue;
      }
    }
    // A retired key's record: the rotation, with the old alive claim for our record of it
    // (accepted as a member first, it would show a join and then a rotation).
    if (!m.status_claim.empty() && m.status == wire::MemberStatus::left) {
      auto status = cache_->intern(m.status_claim, limits_);
      if (status.ok() && status.value()->kind == wire::MessageKind::rotation) {
        auto old_alive = cache_->intern(m.alive, limits_);
        if (old_alive.ok() && old_alive.value()->kind == wire::MessageKind::alive &&
            old_alive.value()->subject == status.value()->subject) {
          (void)apply_rotation(status.value(), now, ClaimSource::anti_entropy, old_alive.value());
        }
        continue;
      }
    }
    if (accept_claim(m.alive, wire::MessageKind::alive, now, ClaimSource::anti_entropy) == ClaimOutcome::rejected) {
      continue;
    }
    if (!m.status_claim.empty()) {
      accept_claim(m.status_claim, kStatusKind[static_cast<int>(m.status)], now, ClaimSource::anti_entropy);
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
  schedule(config_.stream_timeout, now, swim::StreamTimeout{id});
}

Result<Bytes> NodeCore::handle_stream(std::string_view /*from*/, ByteView request, Time now) {
  if (phase_ == Phase::idle) return Error{ErrorCode::wrong_state, "stream before join(); refused"};
  NodeId sender;
  wire::EnvelopeView env;
  auto opened = open_stream_message(request, wire::MessageKind::push_pull_request, nullptr, sender, env);
  if (!opened.ok()) {
    ++stats_.streams_rejected;
    return opened.error();
  }
  const wire::PushPullView& theirs = opened.value();
  // A key refused before may still join (a renewed certificate is checked in its record
  // below); anything else from it is refused unread.
  if (const AdmissionRefusal why = admission_.check_key(sender);
      why != AdmissionRefusal::none && (!theirs.join || admission_.revoked(sender) ||
                                        admission_.mode() == AdmissionMode::allowlist)) {
    count_refusal(why);
    ++stats_.streams_rejected;
    if (theirs.join) ++stats_.joins_refused;
    return Error{ErrorCode::not_admitted, "stream from " + sender.short_hex() + ", whose key is not admitted (" +
                                              to_string(why) + "); refused"};
  }
  merge_state(theirs, now);
  // A joiner is news: announce it (merged claims are otherwise not gossiped).
  if (theirs.join) {
    const auto index = table_.find(sender);
    // A join request carries no authenticator, only signed claims: a joiner whose own
    // alive claim did not verify (another cluster's label, or a forgery) is refused
    // and learns nothing of our members. A full table still answers (members_refused).
    if (!index && table_.size() < config_.max_members) {
      ++stats_.streams_rejected;
      ++stats_.joins_refused;
      if (const AdmissionRefusal why = admission_.check_key(sender); why != AdmissionRefusal::none) {
        return Error{ErrorCode::not_admitted, "join request from " + sender.short_hex() +
                                                  ", whose alive claim is not admitted (" + to_string(why) +
                                                  "); refused"};
      }
      return Error{ErrorCode::bad_signature, "join request from " + sender.short_hex() +
                                                 " holds no alive claim of its own that verifies here (a member "
                                                 "of a cluster with another label?); refused"};
    }
    if (index) enqueue_gossip(table_.at(*index).alive);
  }
  Bytes response = answer_push_pull(theirs, sender);
  if (response.empty()) return Error{ErrorCode::oversized, "our state exceeds max_stream_bytes"};
  return response;
}

Bytes NodeCore::answer_push_pull(const wire::PushPullView& theirs, const NodeId& sender) {
  wire::PushPullView reply;
  reply.digest = state_digest();
  Bytes summary;
  if (theirs.join) {
    add_join_answer(reply, sender);
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
  return seal_state(wire::MessageKind::push_pull_response, reply, sender, true);
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
  if (it == streams_.end()) {
    return Error{ErrorCode::invalid_argument, "no stream request with that id is pending (answered, failed or timed out)"};
  }
  const PendingStream pending = it->second;
  streams_.erase(it);
  NodeId sender;
  wire::EnvelopeView env;
  auto opened = open_stream_message(response, wire::MessageKind::push_pull_response, &pending.peer, sender, env);
  if (!opened.ok()) {
    if (pending.purpose == StreamPurpose::join) on_join_retry(now);
    return opened.error();
  }
  const wire::PushPullView& theirs = opened.value();
  // A peer refused before (revoked, not listed, a bad certificate) is not heard.
  if (const AdmissionRefusal why = admission_.check_key(sender); why != AdmissionRefusal::none) {
    count_refusal(why);
    ++stats_.streams_rejected;
    if (pending.purpose == StreamPurpose::join) on_join_retry(now);
    return Error{ErrorCode::not_admitted, "stream answered by " + sender.short_hex() +
                                              ", whose key is not admitted (" + to_string(why) + "); dropped"};
  }
  merge_state(theirs, now);
  // The first round of an exchange brought the peer's summary: one more round settles
  // the difference. A second round never starts a third.
  const bool first_round = pending.purpose == StreamPurpose::push_pull || pending.purpose == StreamPurpose::reconnect;
  if (first_round && theirs.summary_size() > 0 && phase_ == Phase::joined) {
    reconcile(theirs, pending.peer, pending.address, now);
  }
  if (pending.purpose == StreamPurpose::delta && phase_ == Phase::joined) catch_up(theirs.members.size(), now);
  if (pending.purpose == StreamPurpose::join && phase_ == Phase::joining) {
    // A seed whose own record we did not admit (its certificate, say) is no way in.
    if (admission_.mode() != AdmissionMode::open && !table_.find(sender)) {
      ++stats_.streams_rejected;
      on_join_retry(now);
      return Error{ErrorCode::not_admitted, "seed " + sender.short_hex() + " is not admitted here; trying the next"};
    }
    complete_join(sender, theirs.digest, now);
  }
  return success();
}

void NodeCore::catch_up(std::size_t brought, Time now) {
  if (brought >= kLaggingRecords) {
    schedule(kCatchUpAgain, now, swim::PushPullRound{true});
  } else if (brought > 0 && now - joined_at_ <= kCatchUpSpan) {
    schedule(swim::catch_up_interval(live_members()), now, swim::PushPullRound{true});
  }
}

void NodeCore::stream_failed(std::uint64_t stream_id, Time now) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return;
  const StreamPurpose purpose = it->second.purpose;
  streams_.erase(it);
  if (purpose == StreamPurpose::join && phase_ == Phase::joining) on_join_retry(now);
}

void NodeCore::on_stream_timeout(std::uint64_t stream_id, Time now) { stream_failed(stream_id, now); }

void NodeCore::on_push_pull(const swim::PushPullRound& round, Time now) {
  if (phase_ != Phase::joined) return;
  for (const std::uint32_t index : random_members(1, nullptr)) {
    const swim::Member& m = table_.at(index);
    if (m.state == MemberState::alive) start_stream(StreamPurpose::push_pull, m.id(), address_of(index), now);
  }
  if (!round.early) {
    schedule(swim::push_pull_interval(config_.push_pull_interval, live_members()), now, swim::PushPullRound{false});
  }
}

}  // namespace swell
