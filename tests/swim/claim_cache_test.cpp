// ClaimCache: verify-once storage of signed claims, and what a stored claim exposes.
#include <doctest/doctest.h>

#include "crypto/claim_auth.h"
#include "fixtures/sample_messages.h"
#include "swim/claim_cache.h"
#include "wire/claims.h"

namespace swell::swim {
namespace {

Bytes body_of(const wire::SignedClaim& claim) {
  Bytes body;
  wire::encode_signed_claim(claim, body);
  return body;
}

TEST_CASE("a claim is verified once, and a stored alive claim points at its owner's agreement key") {
  const Identity owner = fixtures::identity(3);
  const wire::DecodeLimits limits;
  ClaimCache cache(16);
  const Bytes body = body_of(fixtures::signed_claim(owner, fixtures::alive(owner, 4)));
  auto first = cache.intern(ByteView(body), limits);
  REQUIRE(first.ok());
  auto again = cache.intern(ByteView(body), limits);
  REQUIRE(again.ok());
  CHECK(first.value() == again.value());
  CHECK(cache.verifications() == 1);
  const auto key = first.value()->agreement_key();
  REQUIRE(key.has_value());
  CHECK(*key == x25519_public_key(owner.id()).value());
  CHECK(first.value()->incarnation == 4);
}

TEST_CASE("claims other than alive carry no agreement key") {
  const Identity a = fixtures::identity(1), b = fixtures::identity(2);
  const wire::DecodeLimits limits;
  ClaimCache cache(16);
  const Bytes body = body_of(fixtures::signed_claim(a, wire::SuspectClaim{a.id(), b.id(), 1}));
  auto stored = cache.intern(ByteView(body), limits);
  REQUIRE(stored.ok());
  CHECK_FALSE(stored.value()->agreement_key().has_value());
}

}  // namespace
}  // namespace swell::swim
