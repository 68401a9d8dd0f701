#include "byzantine.h"

#include <algorithm>

#include "crypto/claim_auth.h"
#include "crypto/pairwise_key.h"
#include "crypto/sealed_envelope.h"
#include "wire/claims.h"
#include "wire/datagram_builder.h"
#include "wire/messages.h"
#include "world.h"

namespace swell::sim {
namespace {

constexpr std::size_t kDatagramBudget = 1400;
constexpr std::size_t kStreamBudget = 64 * 1024;
// Replayed claims per target per act: a sample, so one act stays a few datagrams.
constexpr std::size_t kReplaysPerTarget = 24;
constexpr std::size_t kForgedSubjects = 8;

Bytes encoded(const wire::SignedClaim& claim) {
  Bytes body;
  wire::encode_signed_claim(claim, body);
  return body;
}

}  // namespace

ByzantineRound& ByzantineRound::operator+=(const ByzantineRound& other) {
  datagrams += other.datagrams;
  streams += other.streams;
  claims += other.claims;
  receive_errors += other.receive_errors;
  stream_errors += other.stream_errors;
  return *this;
}

ByzantineMember::ByzantineMember(std::uint32_t member, Misbehaviour what, std::string cluster_label,
                                 std::uint64_t seed)
    : member_(member), what_(what), label_(std::move(cluster_label)), rng_(seed) {}

void ByzantineMember::saw(std::uint32_t to, std::uint32_t from, const Bytes& bytes) {
  if (to != member_ && from != member_) return;
  // Parsed, not opened: the simulator reads what the wire carries (unencrypted).
  if (!wire::decode_envelope(bytes, 65535, wire::DecodeLimits{}, envelope_).ok()) return;
  if (from == member_) {
    std::uint64_t& highest = seq_[to];
    highest = std::max(highest, envelope_.seq);
    return;
  }
  for (const wire::MessageView& m : envelope_.messages) {
    if (kept_.size() >= kMaxKept) return;
    if (!wire::is_claim(m.kind) || m.kind == wire::MessageKind::majority_view) continue;
    Bytes body(m.body.begin(), m.body.end());
    if (std::find(kept_.begin(), kept_.end(), body) == kept_.end()) kept_.push_back(std::move(body));
  }
}

Bytes ByzantineMember::random_bytes(std::size_t n) {
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng_.next());
  return out;
}

bool ByzantineMember::seal(World& world, std::uint32_t target,
                           const std::vector<std::pair<wire::MessageKind, Bytes>>& messages, std::size_t budget,
                           Bytes& out) {
  auto me = Identity::from_seed(world.identity_seed(member_));
  if (!me.ok()) return false;
  auto key = crypto::derive_mac_key(me.value(), world.id(target), crypto::KeyScope{label_, crypto::KeyPurpose::mac});
  if (!key.ok()) return false;
  wire::DatagramBuilder builder(budget);
  // One above the highest the target has seen from us: fresh, so it is judged on its
  // content and not dropped as a replay (the node's own next datagram may then be).
  builder.begin(/*full_sender=*/true, me.value().id(), ++seq_[target]);
  for (const auto& [kind, body] : messages) {
    if (!builder.add(kind, body)) return false;
  }
  if (builder.count() == 0) return false;
  crypto::seal_envelope(builder, key.value(), out);
  return true;
}

ByzantineRound ByzantineMember::send_claims(World& world, std::uint32_t target, const std::vector<Bytes>& bodies) {
  ByzantineRound round;
  std::vector<std::pair<wire::MessageKind, Bytes>> batch;
  std::size_t bytes = 0;
  auto flush = [&] {
    Bytes out;
    if (batch.empty() || !seal(world, target, batch, kDatagramBudget, out)) return;
    ++round.datagrams;
    round.claims += batch.size();
    if (!world.inject(target, member_, out).ok()) ++round.receive_errors;
    batch.clear();
    bytes = 0;
  };
  for (const Bytes& body : bodies) {
    auto claim = wire::decode_signed_claim(body);
    if (!claim.ok()) continue;
    auto payload = wire::decode_claim_payload(claim.value().payload, wire::DecodeLimits{});
    // A garbage-signed forgery still decodes; its kind is what the message says it is.
    const wire::MessageKind kind = payload.ok() ? wire::kind_of(payload.value()) : wire::MessageKind::suspect;
    if (bytes + body.size() + 16 > kDatagramBudget - 100) flush();
    batch.emplace_back(kind, body);
    bytes += body.size() + 16;
  }
  flush();
  return round;
}

std::vector<Bytes> ByzantineMember::accusations(World& world) {
  std::vector<Bytes> out;
  auto me = Identity::from_seed(world.identity_seed(member_));
  if (!me.ok()) return out;
  for (const MemberSnapshot& m : world.node(member_).members()) {
    if (m.id == me.value().id() || m.state == MemberState::left) continue;
    out.push_back(encoded(crypto::sign_claim(
        me.value(), wire::encode_claim_payload(wire::SuspectClaim{me.value().id(), m.id, m.incarnation}), label_)));
    out.push_back(encoded(crypto::sign_claim(
        me.value(), wire::encode_claim_payload(wire::DeadClaim{me.value().id(), m.id, m.incarnation}), label_)));
  }
  return out;
}

std::vector<Bytes> ByzantineMember::forgeries(World& world) {
  std::vector<Bytes> out;
  auto me = Identity::from_seed(world.identity_seed(member_));
  if (!me.ok()) return out;
  const std::vector<MemberSnapshot> members = world.node(member_).members();
  if (members.size() < 3) return out;
  // A sample of subjects per act: a forgery never verifies, so each is checked (and
  // costs a signature verification) at every receiver, every time.
  for (std::size_t k = 0; k < kForgedSubjects; ++k) {
    const MemberSnapshot& subject = members[rng_.below(members.size())];
    if (subject.id == me.value().id()) continue;
    // Blame someone else: a random member that is neither us nor the subject.
    const MemberSnapshot* author = nullptr;
    while (author == nullptr) {
      const MemberSnapshot& pick = members[rng_.below(members.size())];
      if (pick.id != me.value().id() && pick.id != subject.id) author = &pick;
    }
    const Bytes suspect = wire::encode_claim_payload(wire::SuspectClaim{author->id, subject.id, subject.incarnation});
    const Bytes dead = wire::encode_claim_payload(wire::DeadClaim{author->id, subject.id, subject.incarnation});
    // Signed with our key (which is not the author's) ...
    out.push_back(encoded(crypto::sign_claim(me.value(), suspect, label_)));
    out.push_back(encoded(crypto::sign_claim(me.value(), dead, label_)));
    // ... or with no key at all.
    wire::SignedClaim garbage{dead, {}};
    const Bytes noise = random_bytes(garbage.signature.size());
    std::copy(noise.begin(), noise.end(), garbage.signature.begin());
    out.push_back(encoded(garbage));
  }
  return out;
}

void ByzantineMember::send_garbage(World& world, std::uint32_t target, ByzantineRound& round) {
  constexpr std::array<wire::MessageKind, 8> kKinds = {
      wire::MessageKind::ping,    wire::MessageKind::ping_req, wire::MessageKind::ack,  wire::MessageKind::nack,
      wire::MessageKind::suspect, wire::MessageKind::alive,    wire::MessageKind::dead, wire::MessageKind::leave};
  // A datagram of random bodies, and one of truncated claims the member really saw.
  std::vector<std::pair<wire::MessageKind, Bytes>> junk;
  for (int k = 0; k < 4; ++k) junk.emplace_back(kKinds[rng_.below(kKinds.size())], random_bytes(rng_.below(48)));
  for (int k = 0; k < 2 && !kept_.empty(); ++k) {
    Bytes body = kept_[rng_.below(kept_.size())];
    body.resize(rng_.below(body.size()));
    junk.emplace_back(kKinds[4 + rng_.below(4)], std::move(body));
  }
  Bytes out;
  if (seal(world, target, junk, kDatagramBudget, out)) {
    ++round.datagrams;
    if (!world.inject(target, member_, out).ok()) ++round.receive_errors;
  }
  // Stream requests: random bytes, and a real-looking push-pull cut short.
  wire::PushPullView state;
  for (std::size_t k = 0; k < kept_.size() && k < 16; ++k) state.members.push_back({wire::MemberStatus::alive, kept_[k], {}});
  Bytes whole;
  wire::encode_push_pull_view(state, whole);
  Bytes cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(rng_.below(whole.size())));
  for (Bytes& body : std::array<Bytes, 2>{random_bytes(16 + rng_.below(512)), cut}) {
    if (!seal(world, target, {{wire::MessageKind::push_pull_request, std::move(body)}}, kStreamBudget, out)) continue;
    ++round.streams;
    if (!world.inject_stream(target, member_, out).ok()) ++round.stream_errors;
  }
}

ByzantineRound ByzantineMember::act(World& world) {
  ByzantineRound round;
  if (!world.is_up(member_)) return round;
  std::vector<Bytes> claims;
  if (what_.accuse) claims = accusations(world);
  if (what_.forge) {
    std::vector<Bytes> forged = forgeries(world);
    claims.insert(claims.end(), forged.begin(), forged.end());
  }
  for (std::uint32_t target = 0; target < world.size(); ++target) {
    if (target == member_ || !world.is_up(target)) continue;
    std::vector<Bytes> bodies = claims;
    if (what_.replay && !kept_.empty()) {
      for (std::size_t k = 0; k < kReplaysPerTarget; ++k) bodies.push_back(kept_[rng_.below(kept_.size())]);
    }
    round += send_claims(world, target, bodies);
    if (what_.garbage) send_garbage(world, target, round);
  }
  return round;
}

}  // namespace swell::sim
