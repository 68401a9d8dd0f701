#include <doctest/doctest.h>

#include "crypto/claim_auth.h"
#include "crypto/sealed_envelope.h"
#include "fixtures/sample_messages.h"
#include "wire/messages.h"

using namespace swell;
using namespace swell::wire;

TEST_CASE("every claim kind verifies after signing by its author") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  const Claim claims[] = {fixtures::alive(a, 1), SuspectClaim{a.id(), b.id(), 1}, DeadClaim{a.id(), b.id(), 1},
                          LeaveClaim{a.id(), 1}, MajorityViewClaim{a.id(), 1, {fixtures::peer_info(b, 1)}}};
  for (const Claim& claim : claims) {
    const SignedClaim signed_claim = fixtures::signed_claim(a, claim);
    auto verified = crypto::verify_claim(crypto::view_of(signed_claim), DecodeLimits{});
    REQUIRE_MESSAGE(verified.ok(), verified.error().message);
    CHECK(verified.value() == claim);
  }
}

TEST_CASE("no member can sign a claim in another's name") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  // make_signed_claim refuses outright...
  CHECK_FALSE(crypto::make_signed_claim(b, fixtures::alive(a, 5)).ok());
  // ...and a forged signature over a's alive payload does not verify.
  const SignedClaim forged = crypto::sign_claim(b, encode_claim_payload(fixtures::alive(a, 5)));
  auto verified = crypto::verify_claim(crypto::view_of(forged), DecodeLimits{});
  REQUIRE_FALSE(verified.ok());
  CHECK(verified.error().code == ErrorCode::bad_signature);
}

TEST_CASE("flipping any byte of a signed claim gets it rejected") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  for (const Claim& claim : {Claim{fixtures::alive(a, 3)}, Claim{SuspectClaim{a.id(), b.id(), 3}}}) {
    Bytes body;
    encode_signed_claim(fixtures::signed_claim(a, claim), body);
    for (std::size_t i = 0; i < body.size(); ++i) {
      for (const std::uint8_t mask : {0x01, 0x80, 0xff}) {
        Bytes bad = body;
        bad[i] ^= mask;
        auto view = decode_signed_claim(bad);
        const bool accepted = view.ok() && crypto::verify_claim(view.value(), DecodeLimits{}).ok();
        CHECK_MESSAGE(!accepted, "byte " << i << " flipped with " << int(mask) << " was accepted");
      }
    }
  }
}

TEST_CASE("a claim re-gossiped by a third member still verifies as its author's") {
  const Identity a = fixtures::identity(1);  // author
  const Identity b = fixtures::identity(2);  // relays
  const Identity c = fixtures::identity(3);  // receives second-hand
  const SignedClaim original = fixtures::signed_claim(a, SuspectClaim{a.id(), c.id(), 8});

  // a -> b
  DatagramBuilder builder;
  Bytes body, datagram;
  encode_signed_claim(original, body);
  builder.begin(true, a.id(), 1);
  REQUIRE(builder.add(MessageKind::suspect, body));
  crypto::seal_envelope(builder, crypto::derive_mac_key(a, b.id()).value(), datagram);
  const crypto::MacKey ab = crypto::derive_mac_key(b, a.id()).value();
  EnvelopeView at_b;
  REQUIRE(crypto::open_envelope(datagram, 1400, DecodeLimits{},
                                [&](const SenderName& s) { return crypto::SenderKey{s.id, s.id == a.id() ? &ab : nullptr}; }, at_b)
              .ok());
  // b copies the claim's bytes unchanged into its own datagram to c.
  const ByteView relayed = at_b.messages[0].body;
  builder.begin(true, b.id(), 99);
  REQUIRE(builder.add(MessageKind::suspect, relayed));
  crypto::seal_envelope(builder, crypto::derive_mac_key(b, c.id()).value(), datagram);
  const crypto::MacKey bc = crypto::derive_mac_key(c, b.id()).value();
  EnvelopeView at_c;
  REQUIRE(crypto::open_envelope(datagram, 1400, DecodeLimits{},
                                [&](const SenderName& s) { return crypto::SenderKey{s.id, s.id == b.id() ? &bc : nullptr}; }, at_c)
              .ok());
  CHECK(at_c.sender.id == b.id());
  auto view = decode_signed_claim(at_c.messages[0].body);
  REQUIRE(view.ok());
  auto verified = crypto::verify_claim(view.value(), DecodeLimits{});
  REQUIRE(verified.ok());
  CHECK(author_of(verified.value()) == a.id());
  CHECK(std::get<SuspectClaim>(verified.value()).subject == c.id());
}
