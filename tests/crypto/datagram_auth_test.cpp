#include <doctest/doctest.h>

#include "crypto/sealed_envelope.h"
#include "crypto/pairwise_key.h"
#include "fixtures/sample_messages.h"
#include "wire/messages.h"

using namespace swell;
using namespace swell::wire;

namespace {

// What a receiver knows: one peer's key, reachable by full id or compact prefix.
struct KnownPeer {
  NodeId id;
  crypto::MacKey key;
  crypto::SenderKey operator()(const SenderName& s) const {
    if (s.full ? s.id == id : s.prefix == id.prefix64()) return {id, &key};
    return {};
  }
};

Bytes sealed_compound(const Identity& from, const crypto::MacKey& key, bool full_sender) {
  const Identity c = fixtures::identity(9);
  DatagramBuilder builder;
  builder.begin(full_sender, from.id(), 1234);
  Bytes ping, claim;
  encode_ping(ping);
  encode_signed_claim(fixtures::signed_claim(c, fixtures::alive(c, 2)), claim);
  REQUIRE(builder.add(MessageKind::ping, ping));
  REQUIRE(builder.add(MessageKind::alive, claim));
  Bytes out;
  crypto::seal_envelope(builder, key, out);
  return out;
}

}  // namespace

TEST_CASE("both sides derive the same pairwise key, and a third party another") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  const Identity c = fixtures::identity(3);
  const auto ab = crypto::derive_mac_key(a, b.id());
  const auto ba = crypto::derive_mac_key(b, a.id());
  const auto ac = crypto::derive_mac_key(a, c.id());
  REQUIRE(ab.ok());
  REQUIRE(ba.ok());
  REQUIRE(ac.ok());
  CHECK(ab.value() == ba.value());
  CHECK(ab.value() != ac.value());
  CHECK_FALSE(crypto::derive_mac_key(a, a.id()).ok());
}

TEST_CASE("a sealed datagram opens at its receiver") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  const KnownPeer a_at_b{a.id(), crypto::derive_mac_key(b, a.id()).value()};
  for (const bool full : {true, false}) {
    const Bytes datagram = sealed_compound(a, crypto::derive_mac_key(a, b.id()).value(), full);
    EnvelopeView env;
    auto opened = crypto::open_envelope(datagram, 1400, DecodeLimits{}, a_at_b, env);
    REQUIRE_MESSAGE(opened.ok(), opened.error().message);
    CHECK(env.seq == 1234);
    CHECK(env.messages.size() == 2);
  }
}

TEST_CASE("flipping any byte of an authenticated datagram gets it rejected") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  const KnownPeer a_at_b{a.id(), crypto::derive_mac_key(b, a.id()).value()};
  for (const bool full : {true, false}) {
    const Bytes datagram = sealed_compound(a, crypto::derive_mac_key(a, b.id()).value(), full);
    std::size_t rejected = 0, tried = 0;
    for (std::size_t i = 0; i < datagram.size(); ++i) {
      for (const std::uint8_t mask : {0x01, 0x80, 0xff}) {
        Bytes bad = datagram;
        bad[i] ^= mask;
        EnvelopeView env;
        ++tried;
        if (!crypto::open_envelope(bad, 1400, DecodeLimits{}, a_at_b, env).ok()) ++rejected;
        else FAIL("byte " << i << " flipped with " << int(mask) << " was accepted");
      }
    }
    CHECK(rejected == tried);
  }
}

TEST_CASE("a datagram for one member does not open at another") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  const Identity c = fixtures::identity(3);
  const Bytes to_b = sealed_compound(a, crypto::derive_mac_key(a, b.id()).value(), true);
  const KnownPeer a_at_c{a.id(), crypto::derive_mac_key(c, a.id()).value()};
  EnvelopeView env;
  auto opened = crypto::open_envelope(to_b, 1400, DecodeLimits{}, a_at_c, env);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == ErrorCode::bad_mac);
}

TEST_CASE("an unknown compact sender is its own error") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  const Bytes datagram = sealed_compound(a, crypto::derive_mac_key(a, b.id()).value(), false);
  const KnownPeer someone_else{fixtures::identity(5).id(), crypto::MacKey{}};
  EnvelopeView env;
  auto opened = crypto::open_envelope(datagram, 1400, DecodeLimits{}, someone_else, env);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == ErrorCode::unknown_sender);
}
