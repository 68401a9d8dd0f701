// PeerKeys: the bounded flat table of pairwise sessions.
#include <doctest/doctest.h>

#include <vector>

#include "crypto/shared_pair_keys.h"
#include "swim/peer_keys.h"

namespace swell::swim {
namespace {

crypto::HashedPairKeys hashed;
crypto::DerivedPairKeys derived;

std::vector<Identity> identities(std::size_t n) {
  std::vector<Identity> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::array<std::uint8_t, Identity::kSeedSize> seed{};
    seed[0] = static_cast<std::uint8_t>(i);
    seed[1] = static_cast<std::uint8_t>(i >> 8);
    seed[2] = 0x5a;
    out.push_back(Identity::from_seed(seed).value());
  }
  return out;
}

TEST_CASE("a session's key matches the peer's, for real and simulated keys") {
  auto ids = identities(2);
  for (crypto::PairKeySource* source : {static_cast<crypto::PairKeySource*>(&derived), static_cast<crypto::PairKeySource*>(&hashed)}) {
    PeerKeys a(ids[0], 16, 1, *source), b(ids[1], 16, 2, *source);
    PeerSession* ab = a.session(ids[1].id());
    PeerSession* ba = b.session(ids[0].id());
    REQUIRE(ab != nullptr);
    REQUIRE(ba != nullptr);
    CHECK(ab->key == ba->key);
    CHECK(a.session(ids[0].id()) == nullptr);  // never a session with ourselves
  }
}

TEST_CASE("nodes sharing a cache derive each pair's key once, the same key as alone") {
  auto ids = identities(4);
  crypto::SharedPairKeys shared(1024);
  std::vector<PeerKeys> keys;
  for (std::size_t i = 0; i < ids.size(); ++i) keys.emplace_back(ids[i], 16, i, shared);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (std::size_t j = 0; j < ids.size(); ++j) {
      if (i == j) continue;
      PeerSession* s = keys[i].session(ids[j].id());
      REQUIRE(s != nullptr);
      CHECK(s->key == crypto::derive_mac_key(ids[i], ids[j].id()).value());
    }
  }
  CHECK(shared.derivations() == 6);  // 4 members, 6 pairs, 12 sessions
  // An invalid public key (not a curve point) gets no session, shared or not.
  std::array<std::uint8_t, NodeId::kSize> bad{};
  bad.fill(0xff);
  bad[31] = 0x7f;
  CHECK(keys[0].session(NodeId(bad)) == nullptr);
}

TEST_CASE("a key the peer announced stands in for converting its id") {
  auto ids = identities(3);
  const X25519PublicKey true_key = x25519_public_key(ids[1].id()).value();
  const X25519PublicKey other_key = x25519_public_key(ids[2].id()).value();
  X25519PublicKey announced = true_key;
  std::size_t asked = 0;
  PeerKeys keys(ids[0], 16, 1, derived, [&](const NodeId& peer) -> std::optional<X25519PublicKey> {
    ++asked;
    if (peer == ids[1].id()) return announced;
    return std::nullopt;
  });
  PeerSession* s = keys.session(ids[1].id());
  REQUIRE(s != nullptr);
  CHECK(s->key == crypto::derive_mac_key(ids[0], ids[1].id()).value());
  CHECK(keys.session(ids[1].id()) != nullptr);
  CHECK(asked == 1);  // asked on a derivation only
  // Without an announced key the id is converted, to the same key.
  PeerSession* t = keys.session(ids[2].id());
  REQUIRE(t != nullptr);
  CHECK(t->key == crypto::derive_mac_key(ids[0], ids[2].id()).value());
  // The announced key is what is used: a wrong one gives a key the peer does not share.
  announced = other_key;
  PeerKeys fooled(ids[0], 16, 1, derived, [&](const NodeId&) -> std::optional<X25519PublicKey> { return announced; });
  PeerSession* u = fooled.session(ids[1].id());
  REQUIRE(u != nullptr);
  CHECK(u->key != crypto::derive_mac_key(ids[0], ids[1].id()).value());
}

TEST_CASE("sessions are found again without a new derivation, and keep their window") {
  auto ids = identities(60);
  PeerKeys keys(ids[0], 64, 7, hashed);
  for (std::size_t i = 1; i < ids.size(); ++i) {
    PeerSession* s = keys.session(ids[i].id());
    REQUIRE(s != nullptr);
    CHECK(record_sequence(*s, 100 + i) == Freshness::fresh);
  }
  CHECK(keys.size() == 59);
  CHECK(keys.derivations() == 59);
  for (std::size_t i = 1; i < ids.size(); ++i) {
    PeerSession* s = keys.session(ids[i].id());
    CHECK(s->highest_seq == 100 + i);
    CHECK(record_sequence(*s, 100 + i) == Freshness::replayed);
  }
  CHECK(keys.derivations() == 59);
}

TEST_CASE("a full cache evicts a session not used for long and stays bounded") {
  auto ids = identities(300);
  PeerKeys keys(ids[0], 32, 9, hashed);
  const NodeId& hot = ids[1].id();
  for (std::size_t i = 2; i < ids.size(); ++i) {
    REQUIRE(keys.session(hot) != nullptr);  // used all the time: never the victim
    REQUIRE(keys.session(ids[i].id()) != nullptr);
    CHECK(keys.size() <= 32);
  }
  const auto before = keys.derivations();
  keys.session(hot);
  CHECK(keys.derivations() == before);
  // Every session still held answers with its own key (the table stayed consistent
  // through the backward-shift deletions).
  PeerKeys fresh(ids[0], 1024, 3, hashed);
  std::size_t held = 0;
  for (std::size_t i = 1; i < ids.size(); ++i) {
    const auto d = keys.derivations();
    PeerSession* s = keys.session(ids[i].id());
    if (keys.derivations() == d) {
      ++held;
      CHECK(s->key == fresh.session(ids[i].id())->key);
    }
  }
  CHECK(held > 0);
}

TEST_CASE("reset_window forgets the replay window only") {
  auto ids = identities(2);
  PeerKeys keys(ids[0], 16, 5, hashed);
  PeerSession* s = keys.session(ids[1].id());
  const auto key = s->key;
  CHECK(record_sequence(*s, 10) == Freshness::fresh);
  keys.reset_window(ids[1].id());
  s = keys.session(ids[1].id());
  CHECK(s->key == key);
  CHECK(record_sequence(*s, 3) == Freshness::fresh);  // a restarted peer counts from 1 again
}

TEST_CASE("the replay window accepts each sequence number once") {
  PeerSession s;
  CHECK(record_sequence(s, 50) == Freshness::fresh);
  CHECK(record_sequence(s, 50) == Freshness::replayed);
  CHECK(record_sequence(s, 49) == Freshness::fresh);
  CHECK(record_sequence(s, 49) == Freshness::replayed);
  CHECK(record_sequence(s, 120) == Freshness::fresh);
  CHECK(record_sequence(s, 50) == Freshness::stale);  // older than the 64-wide window
  CHECK(record_sequence(s, 119) == Freshness::fresh);
}

}  // namespace
}  // namespace swell::swim
