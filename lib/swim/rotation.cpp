// Key rotation: this node moving to a new key, and applying another member's move
// (docs/security.md, "Key rotation"). The rotation claim, signed by the old key with
// the new key's consent and first alive claim inside, swaps the keys at every member
// at once: the member's membership continues under the new key with a rotated event,
// no failed one, and the old key is refused from then on.
#include "crypto/claim_auth.h"
#include "crypto/rotation_auth.h"
#include "swim/node_core.h"

namespace swell {

namespace {

X25519PublicKey agreement_key_for(const Identity& identity) {
  auto key = x25519_public_key(identity.id());
  return key.ok() ? key.value() : X25519PublicKey{};
}

}  // namespace

Result<void> NodeCore::check_rotation_target(const NodeId& next, const Bytes& certificate) const {
  if (phase_ != Phase::joined) {
    return Error{ErrorCode::wrong_state, "rotate_key() needs a joined node: before join, start with the new identity; "
                                         "after leave there is nothing to rotate"};
  }
  if (next == identity_.id()) return Error{ErrorCode::invalid_argument, "the new identity is the current one"};
  if (table_.find(next)) {
    return Error{ErrorCode::invalid_argument, "key " + next.short_hex() + " is already a member's; make a fresh key"};
  }
  if (const AdmissionRefusal why = admission_.check_key(next); why != AdmissionRefusal::none) {
    return Error{ErrorCode::invalid_argument,
                 "key " + next.short_hex() + " would not be admitted (" + to_string(why) +
                     (why == AdmissionRefusal::not_listed ? "): add it to every member's allow-list first" : ")")};
  }
  if (incarnation_ + 1 >= wire::kMaxIncarnation) {
    return Error{ErrorCode::invalid_argument, "the incarnation limit is reached; join with a new identity instead"};
  }
  if (config_.admission.mode != AdmissionMode::ca && certificate.empty()) return success();
  return check_own_certificate(certificate, next);
}

Result<void> NodeCore::rotate_key(Identity next, Bytes certificate, Time now) {
  if (auto ok = check_rotation_target(next.id(), certificate); !ok.ok()) return ok;
  const NodeId old = identity_.id();
  const swim::ClaimRef old_alive = table_.at(0).alive;
  const std::uint64_t old_incarnation = incarnation_;
  // The successor's first alive claim, one incarnation on: PeerInfo versions keep rising.
  PeerInfo info = local_info_;
  info.owner = next.id();
  info.version = old_incarnation + 1;
  const wire::AliveClaim alive{info, swim_address_, agreement_key_for(next), certificate};
  const swim::ClaimRef successor =
      cache_->adopt(crypto::sign_claim(next, wire::encode_claim_payload(alive), config_.cluster_label), alive);
  wire::RotationClaim rotation{old, next.id(), old_incarnation, {},
                               crypto::sign_rotation_consent(next, old, config_.cluster_label)};
  rotation.successor_alive = successor->body;
  const swim::ClaimRef claim = sign(rotation);  // by the old key, still ours here

  identity_ = std::move(next);
  agreement_key_ = agreement_key_for(identity_);
  config_.admission.certificate = std::move(certificate);
  incarnation_ = info.version;
  local_info_ = std::move(info);
  // Every pair key and every peer's knowledge of our compact name changed with the key.
  keys_.forget_all();
  if (nonces_) nonces_.emplace(rng_.next(), rng_.next(), identity_.id());
  swim::Member self(successor, now);
  self.knows_us = true;
  table_.replace(0, std::move(self));
  for (std::uint32_t i = 1; i < table_.size(); ++i) table_.at(i).knows_us = false;
  probe_order_.move_to(identity_.id().prefix64());
  add_retired_record(old_alive, claim, now);
  admission_.retire(old);
  own_rotation_ = claim;
  own_rotation_until_ = now + kRotationIntroduction;
  ++stats_.key_rotations;
  spread(claim, ClaimSource::gossip);
  // And straight to every live member (the send path puts own_rotation_ first): a
  // prober that pings the old key before the gossip reached it gets no answer and
  // would suspect it. Rotations are rare; one datagram per member is cheap.
  for (std::uint32_t i = 1; i < table_.size(); ++i) {
    if (probeable(i)) send_datagram(i, {}, SendOptions{false, false});
  }
  return success();
}

void NodeCore::add_retired_record(const swim::ClaimRef& old_alive, const swim::ClaimRef& rotation, Time now) {
  // Kept, as left, until the reconnect window ends, so push-pull carries the rotation
  // to members that missed its gossip (they would otherwise hold the old key failed).
  if (table_.size() >= config_.max_members) return;
  swim::Member record(old_alive, now);
  const std::uint32_t index = table_.add(std::move(record));
  table_.raise_incarnation(index, rotation->incarnation);
  table_.set_state(index, MemberState::left, now);
  probe_order_.add(index, rotation->subject.prefix64(), rng_);
  status_claims_[rotation->subject] = rotation;
}

Result<swim::ClaimRef> NodeCore::successor_of(const swim::ClaimRef& rotation) {
  auto split = wire::decode_signed_claim(rotation->body);
  auto decoded = split.ok() ? wire::decode_claim_payload(split.value().payload, limits_) : Result<wire::Claim>(split.error());
  if (!decoded.ok()) return decoded.error();
  const auto* r = std::get_if<wire::RotationClaim>(&decoded.value());
  if (r == nullptr) return Error{ErrorCode::bad_field_type, "not a rotation claim"};
  return cache_->intern(r->successor_alive, limits_);
}

NodeCore::ClaimOutcome NodeCore::apply_rotation(const swim::ClaimRef& claim, Time now, ClaimSource source,
                                                const swim::ClaimRef& old_alive) {
  const NodeId old = claim->subject;
  // Ours echoed back; or one we never made, which only a holder of our secret key could
  // sign: it changes nothing here (docs/security.md: a stolen key is revoked, not rotated).
  if (old == identity_.id() || claim->successor == identity_.id()) return ClaimOutcome::applied;
  if (admission_.retired(old)) {
    heard_again(claim, source);
    return ClaimOutcome::applied;
  }
  // A revoked or unlisted key cannot escape by naming a successor; the successor is
  // admitted by its own key and certificate.
  if (const AdmissionRefusal why = admission_.check_key(old);
      why != AdmissionRefusal::none && why != AdmissionRefusal::bad_certificate) {
    count_refusal(why);
    return ClaimOutcome::rejected;
  }
  auto successor = successor_of(claim);
  if (!successor.ok()) {
    ++stats_.claims_rejected;
    return ClaimOutcome::rejected;
  }
  if (!admitted(successor.value(), now)) return ClaimOutcome::rejected;
  admission_.retire(old);
  ++stats_.rotations_applied;
  // Gossiped whatever its source, like a revocation: every member must swap the keys.
  enqueue_gossip(claim);
  if (majority_active()) broadcast_claim(claim);
  move_member(claim, successor.value(), old_alive, now);
  return ClaimOutcome::applied;
}

void NodeCore::move_member(const swim::ClaimRef& claim, const swim::ClaimRef& successor,
                           const swim::ClaimRef& old_alive, Time now) {
  const NodeId old = claim->subject;
  const auto old_index = table_.find(old);
  const bool knew_old = old_index && table_.at(*old_index).state != MemberState::left;
  auto next_index = table_.find(claim->successor);
  const bool added = !next_index;
  if (added) {
    if (table_.size() >= config_.max_members) {
      ++stats_.members_refused;
      return;
    }
    next_index = table_.add(swim::Member(successor, now));
    probe_order_.add(*next_index, claim->successor.prefix64(), rng_);
  } else {
    apply_alive(successor, now, ClaimSource::anti_entropy);
  }
  if (old_index) {
    table_.raise_incarnation(*old_index, claim->incarnation);
    hold_as_left(*old_index, claim, now);
  } else if (old_alive) {
    add_retired_record(old_alive, claim, now);
  }
  if (knew_old) {
    emit(MembershipEvent::Kind::rotated, *next_index, now);
    out_events_.back().previous = old;
  } else if (added) {
    emit(MembershipEvent::Kind::joined, *next_index, now);  // we never knew its old key
  }
}

}  // namespace swell
