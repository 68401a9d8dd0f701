// Outgoing datagrams: building, piggybacking gossip, sealing; gossip rounds; events.
#include <algorithm>

#include "crypto/sealed_envelope.h"
#include "swim/formulas.h"
#include "swim/node_core.h"

namespace swell {

namespace {

// A long queue means a storm (many members joined at once): send each claim fewer
// times, down to 3, and let the early digest exchanges after joining fill the gaps.
// Otherwise a storm of N announcements costs every member N * limit sends.
int storm_scaled(int limit, std::size_t backlog) {
  constexpr std::size_t kCalm = swim::DisseminationQueue::kCalm;
  if (backlog <= kCalm) return limit;
  return std::max(3, static_cast<int>(static_cast<std::size_t>(limit) * kCalm / backlog));
}

}  // namespace

int NodeCore::retransmit_limit() const {
  return storm_scaled(swim::retransmit_limit(config_.retransmit_mult, live_members()), queue_.size());
}

int NodeCore::announcement_limit() const {
  // First announcements go by the storm's peak until the queue has nearly drained: by
  // the current size, the last 64 announcements of a 200-member storm went out 12
  // times each after every member held them, a fifth of the bytes of the 240 s after
  // convergence. Other claims (verdicts, refutations) keep the current size's limit: by
  // the peak, a hold-down verdict under egress loss spread to its last observer 12 s later.
  return storm_scaled(swim::retransmit_limit(config_.retransmit_mult, live_members()), queue_.backlog());
}

void NodeCore::enqueue_gossip(const swim::ClaimRef& claim) {
  queue_.enqueue(claim);
  stats_.queue_drops = queue_.drops();
}

void NodeCore::heard_again(const swim::ClaimRef& claim, ClaimSource source) {
  // First announcements only (incarnation 1): they are what a join storm is made of.
  // Updates, refutations, suspicions, verdicts and leaves are rare and each must reach
  // everyone, so they keep their full share (suppressing updates too left a PeerInfo
  // update missing at a member for 22 s, until anti-entropy, on one run in ten).
  if (source == ClaimSource::gossip && swim::first_announcement(*claim)) {
    queue_.heard(claim, announcement_limit());
  }
}

NodeCore::Sent NodeCore::send_datagram(std::uint32_t index, Messages messages, SendOptions options) {
  const swim::Member& m = table_.at(index);
  return send_datagram_to(Recipient{m.id(), address_of(index), m.knows_us}, messages, options);
}

NodeCore::Sent NodeCore::send_datagram(std::uint32_t index, Messages messages) {
  return send_datagram(index, messages, SendOptions{});
}

NodeCore::Sent NodeCore::send_datagram_to(const Recipient& to, Messages messages, SendOptions options) {
  Sent sent;
  swim::PeerSession* session = keys_.session(to.id);
  if (session == nullptr) return sent;  // invalid key: nobody can talk to it
  sent.seq = next_seq_++;
  builder_.begin(!to.knows_us || options.introduce, identity_.id(), sent.seq);
  // Lately rotated: a member that does not know our new key learns whose it is first.
  if (own_rotation_ && !to.knows_us) builder_.add(wire::MessageKind::rotation, own_rotation_->body);
  for (const auto& [kind, body] : messages) builder_.add(kind, body);
  if (options.introduce && phase_ != Phase::leaving) builder_.add(wire::MessageKind::alive, table_.at(0).alive->body);
  if (options.piggyback) {
    // Buddy system (Lifeguard): a suspect hears about its suspicion from whoever pings it.
    if (auto it = status_claims_.find(to.id); config_.lifeguard_buddy && it != status_claims_.end() &&
                                              it->second->kind == wire::MessageKind::suspect) {
      builder_.add(it->second->kind, it->second->body);
    }
    sent.gossip_claims = queue_.fill(builder_, retransmit_limit(), announcement_limit());
  }
  if (builder_.count() == 0) return sent;
  OutgoingDatagram out{to.id, to.address, {}};
  crypto::seal_envelope(builder_, session->key, out.bytes, nonces());
  ++stats_.datagrams_sent;
  stats_.datagram_bytes_sent += out.bytes.size();
  out_datagrams_.push_back(std::move(out));
  return sent;
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
      const Sent sent = send_datagram(index, {});
      if (sent.gossip_claims == 0) break;
      sent_to_target += sent.gossip_claims;
    }
  }
}

void NodeCore::emit(MembershipEvent::Kind kind, std::uint32_t index, Time now, std::optional<FailureEvidence> evidence) {
  const swim::Member& m = table_.at(index);
  if (kind == MembershipEvent::Kind::suspected) ++stats_.suspicions;
  if (kind == MembershipEvent::Kind::failed) ++stats_.failed_verdicts;
  // A name may now be claimed twice (a member appeared, came back or renamed), or a
  // contested one be settled (a claimant failed or left); a suspect still claims its name.
  using K = MembershipEvent::Kind;
  const bool ends_claim = kind == K::failed || kind == K::left;
  if (kind == K::joined || kind == K::updated || kind == K::recovered || (ends_claim && names_.any())) {
    names_dirty_ = true;
  }
  MembershipEvent event{kind, m.id(), m.incarnation, m.alive->announcement, std::move(evidence), now,
                        mode_ == majority::Mode::majority, std::nullopt};
  out_events_.push_back(std::move(event));
}

}  // namespace swell
