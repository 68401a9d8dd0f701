// NodeCertificate codec, certificate signatures, and the claim formats admission adds:
// an alive claim with a certificate (13 fields) and the revocation claim (kind 20).
#include <doctest/doctest.h>

#include "crypto/certificate_auth.h"
#include "crypto/claim_auth.h"
#include "fixtures/sample_messages.h"
#include "wire/claims.h"
#include "wire/node_certificate.h"

namespace swell::wire {
namespace {

TEST_CASE("a certificate round-trips, and its signature binds every field and the cluster label") {
  const Identity ca = fixtures::identity(40), node = fixtures::identity(41);
  NodeCertificate cert = crypto::issue_certificate(ca, node.id(), 1'800'000'000'000, NodeType::backend, "prod");
  auto back = decode_certificate(encode_certificate(cert));
  REQUIRE(back.ok());
  CHECK(back.value() == cert);
  CHECK(crypto::certificate_signature_holds(cert, "prod"));
  CHECK_FALSE(crypto::certificate_signature_holds(cert, "test"));
  NodeCertificate changed = cert;
  changed.expires_unix_ms += 1;
  CHECK_FALSE(crypto::certificate_signature_holds(changed, "prod"));
  changed = cert;
  changed.node_type = std::nullopt;
  CHECK_FALSE(crypto::certificate_signature_holds(changed, "prod"));
  const NodeCertificate any = crypto::issue_certificate(ca, node.id(), 5, std::nullopt);
  auto any_back = decode_certificate(encode_certificate(any));
  REQUIRE(any_back.ok());
  CHECK_FALSE(any_back.value().node_type.has_value());
}

TEST_CASE("a malformed certificate is an error, never a crash") {
  const Identity ca = fixtures::identity(40);
  Bytes bytes = encode_certificate(crypto::issue_certificate(ca, ca.id(), 5, NodeType::proxy));
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    CHECK_FALSE(decode_certificate(ByteView(bytes.data(), cut)).ok());
  }
  // node_type 7 is no role.
  NodeCertificate cert = crypto::issue_certificate(ca, ca.id(), 5, NodeType::proxy);
  Bytes encoded = encode_certificate(cert);
  const std::size_t type_at = encoded.size() - 2 - 64 - 1;  // before bin8 header and signature
  REQUIRE(encoded[type_at] == 0);
  encoded[type_at] = 7;
  auto bad = decode_certificate(encoded);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::invalid_argument);
}

TEST_CASE("an alive claim carries its certificate as a thirteenth field; without one it is unchanged") {
  const Identity ca = fixtures::identity(40), node = fixtures::identity(41);
  AliveClaim plain = fixtures::alive(node, 3);
  const Bytes plain_payload = encode_claim_payload(plain);
  CHECK(plain_payload[0] == 0x9c);  // fixarray of 12
  AliveClaim with = plain;
  with.certificate = encode_certificate(crypto::issue_certificate(ca, node.id(), 9, std::nullopt));
  const Bytes payload = encode_claim_payload(with);
  CHECK(payload[0] == 0x9d);  // fixarray of 13
  auto back = decode_claim_payload(payload, DecodeLimits{});
  REQUIRE(back.ok());
  CHECK(std::get<AliveClaim>(back.value()) == with);
  // The agreement key stays last (swim::StoredClaim points at it).
  CHECK(std::equal(with.agreement_key.begin(), with.agreement_key.end(), payload.end() - 32));
  // Certificate bytes that do not decode make the claim malformed.
  with.certificate = Bytes{1, 2, 3};
  CHECK_FALSE(decode_claim_payload(encode_claim_payload(with), DecodeLimits{}).ok());
}

TEST_CASE("a revocation claim round-trips, is signed by its CA, and may not revoke its own signer") {
  const Identity ca = fixtures::identity(40), node = fixtures::identity(41);
  const RevocationClaim claim{ca.id(), node.id(), 1'764'000'000'000};
  const Bytes payload = encode_claim_payload(claim);
  CHECK(payload[1] == 20);
  auto back = decode_claim_payload(payload, DecodeLimits{});
  REQUIRE(back.ok());
  CHECK(std::get<RevocationClaim>(back.value()) == claim);
  CHECK(kind_of(back.value()) == MessageKind::revocation);
  CHECK(author_of(back.value()) == ca.id());
  CHECK(is_claim(MessageKind::revocation));
  CHECK(to_string(MessageKind::revocation) == "revocation");
  CHECK_FALSE(crypto::make_signed_claim(node, claim).ok());  // only the CA can sign it
  CHECK(crypto::make_signed_claim(ca, claim).ok());
  CHECK_FALSE(decode_claim_payload(encode_claim_payload(RevocationClaim{ca.id(), ca.id(), 0}), DecodeLimits{}).ok());
  for (std::uint64_t kind = 13; kind <= 15; ++kind) CHECK(is_known(kind));  // majority mode
  for (std::uint64_t reserved = 16; reserved < 20; ++reserved) CHECK_FALSE(is_known(reserved));
  CHECK(is_known(20));
  CHECK(is_known(21));  // rotation
  CHECK_FALSE(is_known(22));
}

}  // namespace
}  // namespace swell::wire
