// swim::Admission: each mode's decision on keys and alive claims, revocations and
// their bound, remembered refusals, and validate_admission's messages.
#include <doctest/doctest.h>

#include "crypto/certificate_auth.h"
#include "crypto/claim_auth.h"
#include "fixtures/sample_messages.h"
#include "swim/admission.h"
#include "swim/claim_cache.h"

namespace swell::swim {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kEpochMs = 1'000'000;

ClaimRef alive_of(ClaimCache& cache, const Identity& node, NodeType type, Bytes certificate = {}) {
  wire::AliveClaim claim = fixtures::alive(node, 1);
  claim.info.node_type = type;
  claim.certificate = std::move(certificate);
  Bytes body;
  wire::encode_signed_claim(fixtures::signed_claim(node, claim), body);
  auto ref = cache.intern(ByteView(body), wire::DecodeLimits{});
  REQUIRE(ref.ok());
  return ref.value();
}

Bytes cert_for(const Identity& ca, const Identity& node, std::int64_t expires_ms,
               std::optional<NodeType> type = std::nullopt) {
  return wire::encode_certificate(
      crypto::issue_certificate(ca, node.id(), static_cast<std::uint64_t>(expires_ms), type));
}

AdmissionConfig ca_config(const Identity& ca, const Identity& self) {
  AdmissionConfig config;
  config.mode = AdmissionMode::ca;
  config.trusted_cas = {ca.id()};
  config.certificate = cert_for(ca, self, kEpochMs + 10'000);
  config.unix_ms_at_time_zero = kEpochMs;
  return config;
}

TEST_CASE("open admits every key until a trusted CA revokes one") {
  ClaimCache cache(16);
  const Identity a = fixtures::identity(1);
  Admission admission(AdmissionConfig{}, "");
  CHECK(admission.check_key(a.id()) == AdmissionRefusal::none);
  CHECK(admission.check_alive(*alive_of(cache, a, NodeType::proxy), Time{0}) == AdmissionRefusal::none);
  CHECK(admission.revoke(a.id()));
  CHECK_FALSE(admission.revoke(a.id()));
  CHECK(admission.check_key(a.id()) == AdmissionRefusal::revoked);
  CHECK(admission.check_alive(*alive_of(cache, a, NodeType::proxy), Time{0}) == AdmissionRefusal::revoked);
}

TEST_CASE("a key retired by a rotation is refused in every mode, its alive claims too") {
  ClaimCache cache(16);
  const Identity a = fixtures::identity(1), b = fixtures::identity(2);
  Admission admission(AdmissionConfig{}, "");
  CHECK(admission.retire(a.id()));
  CHECK_FALSE(admission.retire(a.id()));
  CHECK(admission.retired(a.id()));
  CHECK(admission.retired_count() == 1);
  CHECK(admission.check_key(a.id()) == AdmissionRefusal::rotated);
  CHECK(admission.check_alive(*alive_of(cache, a, NodeType::proxy), Time{0}) == AdmissionRefusal::rotated);
  CHECK(admission.check_key(b.id()) == AdmissionRefusal::none);
  CHECK(std::string(to_string(AdmissionRefusal::rotated)) == "rotated");
  // Bounded like revocations.
  AdmissionConfig small;
  small.max_revoked = 16;
  Admission bounded(small, "");
  for (std::uint8_t k = 1; k <= 20; ++k) bounded.retire(fixtures::identity(k).id());
  CHECK(bounded.retired_count() == 16);
  CHECK_FALSE(bounded.retired(fixtures::identity(1).id()));
  CHECK(bounded.retired(fixtures::identity(20).id()));
}

TEST_CASE("allowlist admits exactly the listed keys, and a replaced list takes effect at once") {
  ClaimCache cache(16);
  const Identity a = fixtures::identity(1), b = fixtures::identity(2);
  AdmissionConfig config;
  config.mode = AdmissionMode::allowlist;
  config.allowed = {a.id()};
  Admission admission(config, "");
  CHECK(admission.check_key(a.id()) == AdmissionRefusal::none);
  CHECK(admission.check_key(b.id()) == AdmissionRefusal::not_listed);
  CHECK(admission.check_alive(*alive_of(cache, b, NodeType::proxy), Time{0}) == AdmissionRefusal::not_listed);
  admission.set_allowed({a.id(), b.id()});
  CHECK(admission.check_key(b.id()) == AdmissionRefusal::none);
  admission.set_allowed({b.id()});
  CHECK(admission.check_key(a.id()) == AdmissionRefusal::not_listed);
}

TEST_CASE("ca: certificate present, its own, by a trusted CA, signed, unexpired, for the announced role") {
  ClaimCache cache(16);
  const Identity ca = fixtures::identity(50), rogue = fixtures::identity(51);
  const Identity self = fixtures::identity(1), b = fixtures::identity(2), c = fixtures::identity(3);
  Admission admission(ca_config(ca, self), "");
  const Time before = Time(std::chrono::milliseconds(9'999));
  const Time at_expiry = Time(std::chrono::milliseconds(10'000));
  CHECK(admission.check_alive(*alive_of(cache, b, NodeType::proxy, cert_for(ca, b, kEpochMs + 10'000)), before) ==
        AdmissionRefusal::none);
  CHECK(admission.check_alive(*alive_of(cache, b, NodeType::proxy, cert_for(ca, b, kEpochMs + 10'000)),
                              at_expiry) == AdmissionRefusal::expired);
  CHECK(admission.check_alive(*alive_of(cache, b, NodeType::proxy), before) == AdmissionRefusal::bad_certificate);
  CHECK(admission.check_alive(*alive_of(cache, b, NodeType::proxy, cert_for(ca, c, kEpochMs + 10'000)), before) ==
        AdmissionRefusal::bad_certificate);  // c's certificate
  CHECK(admission.check_alive(*alive_of(cache, b, NodeType::proxy, cert_for(rogue, b, kEpochMs + 10'000)),
                              before) == AdmissionRefusal::bad_certificate);
  CHECK(admission.check_alive(*alive_of(cache, b, NodeType::backend,
                                        cert_for(ca, b, kEpochMs + 10'000, NodeType::proxy)),
                              before) == AdmissionRefusal::wrong_type);
  CHECK(admission.check_alive(*alive_of(cache, b, NodeType::proxy,
                                        cert_for(ca, b, kEpochMs + 10'000, NodeType::proxy)),
                              before) == AdmissionRefusal::none);
  // A forged signature: a certificate re-signed by the rogue but naming the CA.
  wire::NodeCertificate forged = crypto::issue_certificate(rogue, b.id(), kEpochMs + 10'000, std::nullopt);
  forged.ca = ca.id();
  CHECK(admission.check_alive(*alive_of(cache, b, NodeType::proxy, wire::encode_certificate(forged)), before) ==
        AdmissionRefusal::bad_certificate);
  // A CA rotation: both trusted during the overlap, then only the new one.
  admission.set_trusted_cas({ca.id(), rogue.id()});
  CHECK(admission.check_alive(*alive_of(cache, b, NodeType::proxy, cert_for(rogue, b, kEpochMs + 10'000)),
                              before) == AdmissionRefusal::none);
  admission.set_trusted_cas({rogue.id()});
  CHECK(admission.check_alive(*alive_of(cache, b, NodeType::proxy, cert_for(ca, b, kEpochMs + 10'000)), before) ==
        AdmissionRefusal::bad_certificate);
}

TEST_CASE("refusals are remembered for the datagram path, and an admitted claim pardons them") {
  const Identity a = fixtures::identity(1);
  Admission admission(AdmissionConfig{}, "");
  admission.refuse(a.id(), AdmissionRefusal::expired);
  CHECK(admission.check_key(a.id()) == AdmissionRefusal::expired);
  admission.pardon(a.id());
  CHECK(admission.check_key(a.id()) == AdmissionRefusal::none);
}

TEST_CASE("revocations are bounded by max_revoked, the oldest forgotten first") {
  AdmissionConfig config;
  config.max_revoked = 16;
  Admission admission(config, "");
  for (std::uint8_t k = 0; k < 20; ++k) CHECK(admission.revoke(fixtures::identity(100 + k).id()));
  CHECK(admission.revoked_count() == 16);
  CHECK(admission.revocations_forgotten() == 4);
  CHECK_FALSE(admission.revoked(fixtures::identity(100).id()));
  CHECK(admission.revoked(fixtures::identity(119).id()));
  CHECK(admission.revoked_keys().front() == fixtures::identity(104).id());
}

TEST_CASE("validate_admission names the missing piece") {
  const Identity ca = fixtures::identity(50), self = fixtures::identity(1);
  AdmissionConfig config;
  config.mode = AdmissionMode::ca;
  auto no_ca = validate_admission(config);
  REQUIRE_FALSE(no_ca.ok());
  CHECK(no_ca.error().message.find("trusted_cas") != std::string::npos);
  config.trusted_cas = {ca.id()};
  auto no_cert = validate_admission(config);
  REQUIRE_FALSE(no_cert.ok());
  CHECK(no_cert.error().message.find("swell-agent ca sign") != std::string::npos);
  config.certificate = cert_for(fixtures::identity(51), self, 5);
  auto untrusted = validate_admission(config);
  REQUIRE_FALSE(untrusted.ok());
  CHECK(untrusted.error().message.find("not in trusted_cas") != std::string::npos);
  CHECK(validate_admission(ca_config(ca, self)).ok());
  config = AdmissionConfig{};
  config.max_revoked = 3;
  CHECK_FALSE(validate_admission(config).ok());
}

}  // namespace
}  // namespace swell::swim
