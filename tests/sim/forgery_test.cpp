// A member that turns hostile holds only its own key. Everything it can forge about
// another member must be rejected: an alive claim (or refutation) it signed itself, a
// genuine payload re-signed by it, a datagram naming someone else as sender, and a
// replay of a datagram it saw. The forgeries are built here with the internal wire and
// crypto API, exactly as an attacker would, and injected with World::inject.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>

#include "crypto/claim_auth.h"
#include "crypto/sealed_envelope.h"
#include "crypto/pairwise_key.h"
#include "wire/claims.h"
#include "wire/envelope.h"
#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t kAttacker = 2;
constexpr std::uint32_t kVictim = 5;
constexpr std::uint32_t kTarget = 0;

// A joined 8-member world that remembers the last datagram the attacker sent the
// target, and the highest sequence number the target has seen from it.
struct Fixture {
  World world{4242};
  Bytes last_from_attacker;
  std::uint64_t highest_seq = 0;
  wire::EnvelopeView envelope;

  Fixture() {
    world.spawn(8, Config::lan());
    world.observe_datagrams([this](std::uint32_t to, std::uint32_t from, const Bytes& bytes) {
      if (to != kTarget || from != kAttacker) return;
      last_from_attacker = bytes;
      if (wire::decode_envelope(bytes, 65535, wire::DecodeLimits{}, envelope).ok()) {
        highest_seq = std::max(highest_seq, envelope.seq);
      }
    });
    world.join_all(0);
    world.run_for(10s);
    for (std::uint32_t i = 0; i < world.size(); ++i) REQUIRE(world.node(i).count(MemberState::alive) == 8);
  }

  Identity attacker() const { return Identity::from_seed(world.identity_seed(kAttacker)).value(); }

  MemberSnapshot target_view_of_victim() const { return *world.node(kTarget).member(world.id(kVictim)); }

  // An alive claim for the victim, one incarnation above what the target holds, with
  // the attacker's address (to hijack the victim's traffic).
  wire::AliveClaim lie() const {
    const MemberSnapshot seen = target_view_of_victim();
    PeerInfo info = seen.announcement->info;
    info.version = seen.incarnation + 1;
    info.metadata = {'p', 'w', 'n', 'd'};
    return wire::AliveClaim{info, world.address(kAttacker), x25519_public_key(world.id(kVictim)).value()};
  }

  // A datagram carrying one claim, from `sender` (as named in the envelope), MACed
  // under the attacker's pairwise key with the target: the only key it has.
  Bytes datagram(const NodeId& sender, wire::MessageKind kind, const wire::SignedClaim& claim) {
    const Identity me = attacker();
    Bytes body;
    wire::encode_signed_claim(claim, body);
    wire::DatagramBuilder builder;
    builder.begin(/*full_sender=*/true, sender, ++highest_seq);
    REQUIRE(builder.add(kind, body));
    Bytes out;
    crypto::seal_envelope(builder, crypto::derive_mac_key(me, world.id(kTarget)).value(), out);
    return out;
  }
};

void check_unchanged(const MemberSnapshot& before, const MemberSnapshot& after) {
  CHECK(after.state == before.state);
  CHECK(after.incarnation == before.incarnation);
  CHECK(after.announcement->info == before.announcement->info);
  CHECK(after.announcement->swim_address == before.announcement->swim_address);
}

TEST_CASE("the attacker's identity is reproducible from World::identity_seed") {
  Fixture f;
  CHECK(f.attacker().id() == f.world.id(kAttacker));
}

TEST_CASE("an alive claim for another member, signed by the attacker, is rejected") {
  Fixture f;
  const Identity me = f.attacker();
  const wire::AliveClaim claim = f.lie();
  // The honest API refuses to sign a claim whose author is someone else...
  CHECK_FALSE(crypto::make_signed_claim(me, claim).ok());
  // ...so the attacker signs the bytes directly.
  const wire::SignedClaim forged = crypto::sign_claim(me, wire::encode_claim_payload(claim));

  const MemberSnapshot before = f.target_view_of_victim();
  const std::uint64_t rejected = f.world.node(kTarget).stats().claims_rejected;
  auto received = f.world.inject(kTarget, kAttacker, f.datagram(me.id(), wire::MessageKind::alive, forged));
  // The datagram itself is authentic (the attacker is a member); only the claim is bad.
  CHECK(received.ok());
  CHECK(f.world.node(kTarget).stats().claims_rejected == rejected + 1);
  check_unchanged(before, f.target_view_of_victim());

  // Nor does the lie spread, or take hold later.
  f.world.run_for(10s);
  for (std::uint32_t i = 0; i < f.world.size(); ++i) {
    if (i == kVictim) continue;
    const auto seen = f.world.node(i).member(f.world.id(kVictim));
    REQUIRE(seen);
    CHECK(seen->state == MemberState::alive);
    CHECK(seen->announcement->info.metadata != Bytes{'p', 'w', 'n', 'd'});
  }
}

TEST_CASE("the victim's own payload re-signed by the attacker is rejected") {
  Fixture f;
  const Identity me = f.attacker();
  const MemberSnapshot before = f.target_view_of_victim();
  // Byte for byte the victim's current announcement (same incarnation), and one with
  // the incarnation bumped: neither carries the victim's signature.
  const wire::AliveClaim same{before.announcement->info, before.announcement->swim_address};
  wire::AliveClaim bumped = same;
  bumped.info.version += 1;
  for (const wire::AliveClaim& claim : {same, bumped}) {
    const wire::SignedClaim resigned = crypto::sign_claim(me, wire::encode_claim_payload(claim));
    const std::uint64_t rejected = f.world.node(kTarget).stats().claims_rejected;
    CHECK(f.world.inject(kTarget, kAttacker, f.datagram(me.id(), wire::MessageKind::alive, resigned)).ok());
    CHECK(f.world.node(kTarget).stats().claims_rejected == rejected + 1);
    check_unchanged(before, f.target_view_of_victim());
  }
}

TEST_CASE("a datagram naming another member as its sender fails its MAC") {
  Fixture f;
  const Identity me = f.attacker();
  const wire::SignedClaim forged = crypto::sign_claim(me, wire::encode_claim_payload(f.lie()));
  const MemberSnapshot before = f.target_view_of_victim();
  const NodeStats stats = f.world.node(kTarget).stats();
  // Sent from the victim's own address, too: the address proves nothing.
  auto received = f.world.inject(kTarget, kVictim, f.datagram(f.world.id(kVictim), wire::MessageKind::alive, forged));
  REQUIRE_FALSE(received.ok());
  CHECK(received.error().code == ErrorCode::bad_mac);
  CHECK(f.world.node(kTarget).stats().dropped_bad_mac == stats.dropped_bad_mac + 1);
  CHECK(f.world.node(kTarget).stats().claims_rejected == stats.claims_rejected);  // never got that far
  check_unchanged(before, f.target_view_of_victim());
}

TEST_CASE("a forged refutation does not bring a crashed member back") {
  Fixture f;
  f.world.crash(kVictim);
  f.world.run_for(20s);
  REQUIRE(f.target_view_of_victim().state == MemberState::dead);
  const Identity me = f.attacker();
  wire::AliveClaim claim = f.lie();
  claim.info.version += 10;
  const wire::SignedClaim forged = crypto::sign_claim(me, wire::encode_claim_payload(claim));
  const MemberSnapshot before = f.target_view_of_victim();
  const std::uint64_t rejected = f.world.node(kTarget).stats().claims_rejected;
  CHECK(f.world.inject(kTarget, kAttacker, f.datagram(me.id(), wire::MessageKind::alive, forged)).ok());
  CHECK(f.world.node(kTarget).stats().claims_rejected == rejected + 1);
  check_unchanged(before, f.target_view_of_victim());
  f.world.run_for(10s);
  for (std::uint32_t i = 0; i < f.world.size(); ++i) {
    if (f.world.is_up(i)) CHECK(f.world.node(i).member(f.world.id(kVictim))->state == MemberState::dead);
  }
}

TEST_CASE("suspicions and verdicts signed in a third member's name are rejected") {
  Fixture f;
  const Identity me = f.attacker();
  const NodeId framed = f.world.id(3);  // the attacker pretends member 3 accuses the victim
  const std::uint64_t incarnation = f.target_view_of_victim().incarnation;
  const wire::SignedClaim suspect =
      crypto::sign_claim(me, wire::encode_claim_payload(wire::SuspectClaim{framed, f.world.id(kVictim), incarnation}));
  const wire::SignedClaim dead =
      crypto::sign_claim(me, wire::encode_claim_payload(wire::DeadClaim{framed, f.world.id(kVictim), incarnation}));
  const MemberSnapshot before = f.target_view_of_victim();
  const std::uint64_t rejected = f.world.node(kTarget).stats().claims_rejected;
  CHECK(f.world.inject(kTarget, kAttacker, f.datagram(me.id(), wire::MessageKind::suspect, suspect)).ok());
  CHECK(f.world.inject(kTarget, kAttacker, f.datagram(me.id(), wire::MessageKind::dead, dead)).ok());
  CHECK(f.world.node(kTarget).stats().claims_rejected == rejected + 2);
  check_unchanged(before, f.target_view_of_victim());
}

TEST_CASE("a replayed datagram is dropped") {
  Fixture f;
  REQUIRE_FALSE(f.last_from_attacker.empty());
  const NodeStats stats = f.world.node(kTarget).stats();
  // The target already handled this exact datagram from the attacker.
  auto received = f.world.inject(kTarget, kAttacker, f.last_from_attacker);
  REQUIRE_FALSE(received.ok());
  CHECK(received.error().code == ErrorCode::replayed);
  CHECK(f.world.node(kTarget).stats().dropped_replayed == stats.dropped_replayed + 1);
  CHECK(f.world.node(kTarget).stats().datagrams_dropped == stats.datagrams_dropped + 1);
}

TEST_CASE("corrupt bytes are dropped and counted, never fatal") {
  Fixture f;
  const NodeStats stats = f.world.node(kTarget).stats();
  Bytes garbage(64, 0xc1);  // 0xc1 is never valid msgpack
  CHECK_FALSE(f.world.inject(kTarget, kAttacker, garbage).ok());
  Bytes flipped = f.last_from_attacker;
  flipped[flipped.size() / 2] ^= 0x01;
  CHECK_FALSE(f.world.inject(kTarget, kAttacker, flipped).ok());
  CHECK(f.world.node(kTarget).stats().datagrams_dropped == stats.datagrams_dropped + 2);
  f.world.run_for(5s);
  CHECK(f.world.node(kTarget).count(MemberState::alive) == 8);
}

}  // namespace
}  // namespace swell::sim
