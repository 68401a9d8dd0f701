// `swell-agent ca init | sign | revoke` and the revocation check the agent runs.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "agent/admission_settings.h"
#include "agent/ca_commands.h"
#include "agent/query_commands.h"
#include "agent/revocation_file.h"
#include "agent/temp_dir.h"
#include "admission_fixtures.h"
#include "crypto/certificate_auth.h"
#include "wire/node_certificate.h"

using namespace swell;
using namespace swell::agent;
using swell::test::TempDir;

namespace {

constexpr std::uint64_t kNow = 1'800'000'000'000;

// A CA made by `ca init` in dir, and its public key as printed.
struct InitCa {
  std::string key_file;
  NodeId id;
  explicit InitCa(const TempDir& dir) : key_file(dir.at("ca.key")) {
    std::ostringstream out, err;
    REQUIRE(ca_init_command(key_file, out, err) == kExitOk);
    std::string hex = out.str();
    REQUIRE(hex.size() == 65);
    id = NodeId::from_hex(hex.substr(0, 64)).value();
  }
};

}  // namespace

TEST_CASE("ca init writes a 0600 key file, prints its public key, and never replaces one") {
  TempDir dir;
  InitCa ca(dir);
  struct stat st {};
  REQUIRE(::stat(ca.key_file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(Identity::load(ca.key_file).value().id() == ca.id);
  std::ostringstream out, err;
  CHECK(ca_init_command(ca.key_file, out, err) == kExitUsage);
  CHECK(err.str().find("already exists") != std::string::npos);
  CHECK(Identity::load(ca.key_file).value().id() == ca.id);  // untouched
  std::ostringstream out2, err2;
  CHECK(ca_init_command(dir.at("no/such/dir/ca.key"), out2, err2) == kExitFailure);
}

TEST_CASE("ca sign writes the certificate certificate_file reads") {
  TempDir dir;
  InitCa ca(dir);
  const NodeId node = test::identity_of(0x42).id();
  CaSignFlags f;
  f.ca_key = ca.key_file;
  f.node = node.to_hex();
  f.expires = "90d";
  f.node_type = "backend";
  f.cluster_label = "prod";
  f.out = dir.at("node.cert");
  std::ostringstream out, err;
  REQUIRE_MESSAGE(ca_sign_command(f, kNow, out, err) == kExitOk, err.str());
  CHECK(out.str().find("until 2027-04-15T08:00:00Z as backend") != std::string::npos);
  auto bytes = read_certificate_file(f.out);
  REQUIRE_MESSAGE(bytes.ok(), bytes.error().message);
  const wire::NodeCertificate cert = wire::decode_certificate(bytes.value()).value();
  CHECK(cert.ca == ca.id);
  CHECK(cert.node == node);
  CHECK(cert.expires_unix_ms == kNow + 90ull * 86'400'000);
  CHECK(cert.node_type == NodeType::backend);
  CHECK(crypto::certificate_signature_holds(cert, "prod"));
  CHECK_FALSE(crypto::certificate_signature_holds(cert, ""));
  // Any node type, with a date.
  f.node_type.reset();
  f.expires = "2027-06-01";
  f.out = dir.at("any.cert");
  REQUIRE(ca_sign_command(f, kNow, out, err) == kExitOk);
  CHECK_FALSE(wire::decode_certificate(read_certificate_file(f.out).value()).value().node_type.has_value());
}

TEST_CASE("ca sign refuses a bad argument before writing anything") {
  TempDir dir;
  InitCa ca(dir);
  CaSignFlags good;
  good.ca_key = ca.key_file;
  good.node = test::identity_of(1).id().to_hex();
  good.expires = "1d";
  good.out = dir.at("node.cert");
  struct Case {
    const char* what;
    void (*change)(CaSignFlags&);
    const char* message;
  };
  const Case cases[] = {
      {"node", [](CaSignFlags& f) { f.node = "abc"; }, "--node"},
      {"expiry", [](CaSignFlags& f) { f.expires = "soon"; }, "--expires"},
      {"node type", [](CaSignFlags& f) { f.node_type = "router"; }, "--node-type"},
      {"label", [](CaSignFlags& f) { f.cluster_label = std::string(65, 'x'); }, "--cluster-label"},
      {"no ca", [](CaSignFlags& f) { f.ca_key.clear(); }, "--ca"},
  };
  for (const Case& c : cases) {
    CaSignFlags f = good;
    c.change(f);
    std::ostringstream out, err;
    INFO(c.what << ": " << err.str());
    CHECK(ca_sign_command(f, kNow, out, err) == kExitUsage);
    CHECK(err.str().find(c.message) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(good.out));
  }
  CaSignFlags missing_ca = good;
  missing_ca.ca_key = dir.at("nope.key");
  std::ostringstream out, err;
  CHECK(ca_sign_command(missing_ca, kNow, out, err) != kExitOk);
  CHECK(err.str().find(dir.at("nope.key")) != std::string::npos);
  // An existing certificate is kept unless --force.
  REQUIRE(ca_sign_command(good, kNow, out, err) == kExitOk);
  std::ostringstream err2;
  CHECK(ca_sign_command(good, kNow, out, err2) == kExitUsage);
  CHECK(err2.str().find("--force") != std::string::npos);
  good.force = true;
  CHECK(ca_sign_command(good, kNow, out, err2) == kExitOk);
  // A date already past is signed (for tests of expiry) but warned about.
  good.expires = "2020-01-01";
  std::ostringstream err3;
  CHECK(ca_sign_command(good, kNow, out, err3) == kExitOk);
  CHECK(err3.str().find("already expired") != std::string::npos);
}

TEST_CASE("ca revoke writes a revocation that check_revocation accepts from a trusted CA only") {
  TempDir dir;
  InitCa ca(dir);
  const NodeId victim = test::identity_of(0x66).id();
  CaRevokeFlags f;
  f.ca_key = ca.key_file;
  f.key = victim.to_hex();
  f.cluster_label = "prod";
  f.out = dir.at("victim.revocation");
  std::ostringstream out, err;
  REQUIRE_MESSAGE(ca_revoke_command(f, kNow, out, err) == kExitOk, err.str());
  CHECK(out.str().find("swell-agent revoke " + f.out) != std::string::npos);
  auto bytes = read_revocation_file(f.out);
  REQUIRE(bytes.ok());
  auto subject = check_revocation(bytes.value(), {ca.id}, "prod");
  REQUIRE_MESSAGE(subject.ok(), subject.error().message);
  CHECK(subject.value() == victim);
  auto untrusted = check_revocation(bytes.value(), {test::identity_of(1).id()}, "prod");
  REQUIRE_FALSE(untrusted.ok());
  CHECK(untrusted.error().message.find("does not trust") != std::string::npos);
  auto other_label = check_revocation(bytes.value(), {ca.id}, "staging");
  REQUIRE_FALSE(other_label.ok());
  CHECK(other_label.error().message.find("does not verify") != std::string::npos);
  const Bytes junk{1, 2, 3};
  auto garbage = check_revocation(junk, {ca.id}, "prod");
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().message.find("not a revocation") != std::string::npos);
  // Not overwritten without --force; a bad key is refused.
  std::ostringstream err2;
  CHECK(ca_revoke_command(f, kNow, out, err2) == kExitUsage);
  f.force = true;
  f.key = "xyz";
  std::ostringstream err3;
  CHECK(ca_revoke_command(f, kNow, out, err3) == kExitUsage);
  CHECK(err3.str().find("--key") != std::string::npos);
}

TEST_CASE("read_revocation_file: missing and oversized files") {
  TempDir dir;
  auto missing = read_revocation_file(dir.at("none"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::io);
  auto big = read_revocation_file(dir.write("big", std::string(kMaxRevocationBytes + 1, 'x')));
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().message.find("larger than") != std::string::npos);
}
