// Key rotation on virtual time, in each admission mode: the member moves to its new key
// at every member with a rotated event and no failed one, and its old key is refused
// from then on (docs/security.md, "Key rotation").
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <vector>

#include "cluster_ca.h"
#include "crypto/claim_auth.h"
#include "crypto/pairwise_key.h"
#include "crypto/sealed_envelope.h"
#include "wire/claims.h"
#include "wire/datagram_builder.h"
#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t kMembers = 50;
constexpr std::uint32_t kRotating = 7;

std::vector<std::uint32_t> everyone() {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < kMembers; ++i) out.push_back(i);
  return out;
}

// What each observer saw about the rotating member, by either key.
struct Seen {
  std::map<std::uint32_t, int> rotated, failed, suspected, joined, left;
  NodeId previous_named;
};

struct Outcome {
  Seen seen;
  std::uint64_t rotations_applied = 0;
};

// Spawns kMembers in the mode `config` gives, lets them settle, rotates kRotating's key
// at 60 s with certificate (ca mode), and runs 120 s more.
// old, when given, receives the old key (what a thief of it would hold).
Outcome rotate_once(World& world, const std::vector<Config>& configs, Bytes certificate,
                    std::optional<Identity>* old = nullptr) {
  for (const Config& c : configs) world.spawn(1, c);
  world.join_all(0);
  world.run_for(60s);
  REQUIRE(world.sees_alive(0, everyone()));
  const NodeId old_id = world.id(kRotating);
  const NodeId new_id = world.next_key(kRotating);
  if (old != nullptr) {
    auto identity = Identity::from_seed(world.identity_seed(kRotating));
    REQUIRE(identity.ok());
    old->emplace(std::move(identity.value()));
  }
  Outcome out;
  world.observe([&](std::uint32_t at, const MembershipEvent& e) {
    if (e.member != old_id && e.member != new_id) return;
    Seen& s = out.seen;
    switch (e.kind) {
      case MembershipEvent::Kind::rotated:
        ++s.rotated[at];
        s.previous_named = e.previous;
        break;
      case MembershipEvent::Kind::failed: ++s.failed[at]; break;
      case MembershipEvent::Kind::suspected: ++s.suspected[at]; break;
      case MembershipEvent::Kind::joined: ++s.joined[at]; break;
      case MembershipEvent::Kind::left: ++s.left[at]; break;
      default: break;
    }
  });
  REQUIRE(world.rotate_key(kRotating, std::move(certificate)).ok());
  CHECK(world.id(kRotating) == new_id);
  world.run_for(120s);
  for (std::uint32_t i = 0; i < kMembers; ++i) out.rotations_applied += world.node(i).stats().rotations_applied;
  // Every member holds it alive under the new key, and none holds the old one.
  for (std::uint32_t i = 0; i < kMembers; ++i) {
    CHECK(world.sees_alive(i, everyone()));
    CHECK_FALSE(world.node(i).member(old_id).has_value());
    for (const MemberSnapshot& m : world.node(i).members()) CHECK(m.id != old_id);
  }
  const auto me = world.node(kRotating).member(new_id);
  REQUIRE(me.has_value());
  CHECK(me->announcement->info.id == "node-" + std::to_string(kRotating));  // its name continues
  return out;
}

void check_continuity(const Outcome& out, const NodeId& old_id) {
  const Seen& s = out.seen;
  CHECK(s.rotated.size() == kMembers - 1);  // every other member, once
  for (const auto& [observer, n] : s.rotated) CHECK(n == 1);
  CHECK(s.previous_named == old_id);
  CHECK(s.failed.empty());
  CHECK(s.joined.empty());
  CHECK(s.left.empty());
  CHECK(out.rotations_applied == kMembers - 1);
  MESSAGE("rotated events " << s.rotated.size() << ", suspected " << s.suspected.size() << ", failed "
                            << s.failed.size());
}

TEST_CASE("open: a rotated member keeps its membership under the new key, with no failed event") {
  World world(71);
  const NodeId old_id = world.future_id(kRotating);
  const Outcome out = rotate_once(world, std::vector<Config>(kMembers, Config::lan()), {});
  check_continuity(out, old_id);
}

TEST_CASE("allowlist: a listed successor takes over; an unlisted one is refused before anything is sent") {
  World world(73);
  Config listed = allowlisted(world, kMembers, Config::lan());
  // The operator lists the new key everywhere before the rotation.
  listed.admission.allowed.push_back(world.next_key(kRotating));
  const NodeId old_id = world.future_id(kRotating);
  const Outcome out = rotate_once(world, std::vector<Config>(kMembers, listed), {});
  check_continuity(out, old_id);
  // A second rotation, to a key on nobody's list, is refused by the node itself.
  const auto refused = world.rotate_key(kRotating);
  CHECK_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::invalid_argument);
}

TEST_CASE("ca: the successor presents a certificate for its own key; without one the rotation is refused") {
  World world(79);
  const ClusterCa ca(5);
  std::vector<Config> configs;
  for (std::uint32_t i = 0; i < kMembers; ++i) configs.push_back(ca.admit(world, i, Config::lan(), 10h));
  const NodeId old_id = world.future_id(kRotating);
  const Bytes certificate = ca.certificate(world.next_key(kRotating), 10h);
  World probe(79);  // the same keys: no certificate, or the old key's, is refused up front
  for (const Config& c : configs) probe.spawn(1, c);
  probe.join_all(0);
  probe.run_for(30s);
  for (const Bytes& wrong : {Bytes{}, configs[kRotating].admission.certificate}) {
    const auto refused = probe.rotate_key(kRotating, wrong);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::invalid_argument);
  }
  const Outcome out = rotate_once(world, configs, certificate);
  check_continuity(out, old_id);
}

// Each observer's first rotated event, and any failed or suspected event about either
// key, with n members (member 1 rotates at 60 s) under uniform datagram loss.
struct Spread {
  std::vector<Time> rotated_at;
  int failed = 0, suspected = 0, joined = 0;
};

Spread rotate_under_loss(std::uint64_t seed, std::uint32_t n, double loss, Config config) {
  World world(seed);
  world.network().set_loss(loss);
  world.spawn(n, config);
  world.join_all(0);
  world.run_for(60s);
  const NodeId old_id = world.id(1), new_id = world.next_key(1);
  Spread spread;
  std::vector<bool> seen(n, false);
  world.observe([&](std::uint32_t at, const MembershipEvent& e) {
    if (e.member != old_id && e.member != new_id) return;
    if (e.kind == MembershipEvent::Kind::rotated && !seen[at]) {
      seen[at] = true;
      spread.rotated_at.push_back(e.at);
    }
    if (e.kind == MembershipEvent::Kind::failed) ++spread.failed;
    if (e.kind == MembershipEvent::Kind::suspected) ++spread.suspected;
    if (e.kind == MembershipEvent::Kind::joined) ++spread.joined;
  });
  const Time rotated = world.now();
  REQUIRE(world.rotate_key(1).ok());
  world.run_for(120s);
  for (Time& t : spread.rotated_at) t = Time(t - rotated);
  std::sort(spread.rotated_at.begin(), spread.rotated_at.end());
  return spread;
}

TEST_CASE("under 10% loss, 200 members all move to the new key within 2 s; 12 in majority mode too") {
  Config majority = Config::lan();
  majority.mode = ClusterMode::majority;
  struct Case {
    std::uint32_t n;
    Config config;
    const char* name;
  };
  for (const Case& c : {Case{200, Config::lan(), "swim"}, Case{12, majority, "majority"}}) {
    for (const std::uint64_t seed : {301, 302, 303}) {
      const Spread s = rotate_under_loss(seed, c.n, 0.1, c.config);
      CHECK(s.rotated_at.size() == c.n - 1);
      CHECK(s.failed == 0);
      CHECK(s.joined == 0);
      if (s.rotated_at.empty()) continue;
      CHECK(s.rotated_at.back() <= Time(2s));
      MESSAGE(std::string(c.name) << " n=" << c.n << " seed " << seed << ": last observer moved after "
                     << to_seconds(s.rotated_at.back()) << " s, suspected events " << s.suspected);
    }
  }
}

// What a holder of the old secret key could still send: a newer alive claim of the old
// key, in a datagram MACed with the old key's pair key.
Bytes old_key_datagram(World& world, const Identity& old, std::uint32_t target) {
  PeerInfo info;
  info.owner = old.id();
  info.version = 1000;
  info.id = "node-" + std::to_string(kRotating);
  info.address = "10.0.0.1:3000";
  const wire::AliveClaim claim{info, world.address(kRotating), x25519_public_key(old.id()).value()};
  Bytes body;
  wire::encode_signed_claim(crypto::sign_claim(old, wire::encode_claim_payload(claim)), body);
  wire::DatagramBuilder builder;
  builder.begin(/*full_sender=*/true, old.id(), 1'000'000);
  REQUIRE(builder.add(wire::MessageKind::alive, body));
  auto key = crypto::derive_mac_key(old, world.id(target));
  REQUIRE(key.ok());
  Bytes out;
  crypto::seal_envelope(builder, key.value(), out);
  return out;
}

TEST_CASE("the old key is refused after a rotation, and a restart comes back under the new key") {
  World world(83);
  const NodeId old_id = world.future_id(kRotating);
  std::optional<Identity> old;
  (void)rotate_once(world, std::vector<Config>(kMembers, Config::lan()), {}, &old);
  REQUIRE(old.has_value());
  const NodeStats before = world.node(0).stats();
  CHECK_FALSE(world.inject(0, kRotating, old_key_datagram(world, *old, 0)).ok());
  CHECK(world.node(0).stats().dropped_not_admitted == before.dropped_not_admitted + 1);
  CHECK(world.node(0).stats().admission_refused_rotated == before.admission_refused_rotated + 1);
  CHECK_FALSE(world.node(0).member(old_id).has_value());
  world.crash(kRotating);
  world.run_for(30s);
  world.restart(kRotating, {0});
  world.run_for(60s);
  CHECK(world.id(kRotating) != old_id);
  for (std::uint32_t i = 0; i < kMembers; ++i) {
    CHECK(world.sees_alive(i, everyone()));
    CHECK_FALSE(world.node(i).member(old_id).has_value());
  }
}

}  // namespace
}  // namespace swell::sim
