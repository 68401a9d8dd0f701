// The rotation claim: its codec, and the checks that make it hold only with both keys.
#include <doctest/doctest.h>

#include "crypto/claim_auth.h"
#include "crypto/rotation_auth.h"
#include "fixtures/sample_messages.h"

using namespace swell;
using namespace swell::wire;

namespace {

Bytes alive_body(const Identity& owner, std::uint64_t incarnation, std::string_view label = {}) {
  Bytes body;
  encode_signed_claim(crypto::sign_claim(owner, encode_claim_payload(fixtures::alive(owner, incarnation)), label), body);
  return body;
}

RotationClaim rotation(const Identity& from, const Identity& to, std::string_view label = {}) {
  return RotationClaim{from.id(), to.id(), 4, alive_body(to, 5, label), crypto::sign_rotation_consent(to, from.id(), label)};
}

Result<AliveClaim> check(const RotationClaim& claim, std::string_view label = {}) {
  auto decoded = decode_claim_payload(encode_claim_payload(claim), DecodeLimits{});
  if (!decoded.ok()) return decoded.error();
  return crypto::verify_rotation(std::get<RotationClaim>(decoded.value()), DecodeLimits{}, label);
}

}  // namespace

TEST_CASE("a rotation round-trips and verifies with both keys' signatures") {
  const Identity from = fixtures::identity(1), to = fixtures::identity(2);
  const RotationClaim claim = rotation(from, to, "prod");
  auto signed_claim = crypto::make_signed_claim(from, claim, "prod");
  REQUIRE(signed_claim.ok());
  auto verified = crypto::verify_claim(crypto::view_of(signed_claim.value()), DecodeLimits{}, "prod");
  REQUIRE(verified.ok());
  CHECK(verified.value() == Claim{claim});
  CHECK(kind_of(verified.value()) == MessageKind::rotation);
  CHECK(author_of(verified.value()) == from.id());
  auto successor = check(claim, "prod");
  REQUIRE(successor.ok());
  CHECK(successor.value().info.owner == to.id());
  CHECK(successor.value().info.version == 5);
  // Only the old key signs the claim itself.
  CHECK_FALSE(crypto::make_signed_claim(to, claim, "prod").ok());
}

TEST_CASE("a rotation without the successor's consent, or made in another cluster, does not verify") {
  const Identity from = fixtures::identity(1), to = fixtures::identity(2), other = fixtures::identity(3);
  RotationClaim forged = rotation(from, to);
  forged.consent = crypto::sign_rotation_consent(other, from.id(), {});  // not the successor's signature
  auto refused = check(forged);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::bad_signature);
  // Consent to succeed someone else is not consent to succeed `from`.
  forged.consent = crypto::sign_rotation_consent(to, other.id(), {});
  CHECK_FALSE(check(forged).ok());
  // Both signatures are bound to the label.
  CHECK_FALSE(check(rotation(from, to, "prod"), "staging").ok());
  // A successor alive claim whose signature was damaged.
  RotationClaim damaged = rotation(from, to);
  damaged.successor_alive[damaged.successor_alive.size() - 1] ^= 1;
  CHECK(check(damaged).error().code == ErrorCode::bad_signature);
}

TEST_CASE("the decoder refuses a rotation to itself, or whose inner claim is not the successor's alive claim") {
  const Identity from = fixtures::identity(1), to = fixtures::identity(2), other = fixtures::identity(3);
  RotationClaim self = rotation(from, to);
  self.successor = from.id();
  CHECK_FALSE(decode_claim_payload(encode_claim_payload(self), DecodeLimits{}).ok());
  RotationClaim someone_else = rotation(from, to);
  someone_else.successor_alive = alive_body(other, 5);  // another key's alive claim
  CHECK_FALSE(decode_claim_payload(encode_claim_payload(someone_else), DecodeLimits{}).ok());
  RotationClaim nested = rotation(from, to);
  nested.successor_alive.clear();  // a rotation where the successor's alive claim belongs
  encode_signed_claim(crypto::sign_claim(to, encode_claim_payload(rotation(to, other))), nested.successor_alive);
  auto refused = decode_claim_payload(encode_claim_payload(nested), DecodeLimits{});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::bad_field_type);
  RotationClaim garbage = rotation(from, to);
  garbage.successor_alive = {0x92, 0xc4, 0x01};
  CHECK_FALSE(decode_claim_payload(encode_claim_payload(garbage), DecodeLimits{}).ok());
}
