// The [admission] table and its flags: every key, every error, and the checks that
// need this node's key (admission_settings.h).
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "agent/agent_config.h"
#include "agent/admission_settings.h"
#include "agent/temp_dir.h"
#include "admission_fixtures.h"

using namespace swell;
using namespace swell::agent;
using swell::test::TempDir;

namespace {

constexpr std::uint64_t kNow = 1'800'000'000'000;
constexpr std::uint64_t kDay = 86'400'000;

Result<AgentSettings> load(const TempDir& dir, const std::string& text, RunFlags flags = {}) {
  flags.config_file = dir.write("agent.toml", "bind = \"127.0.0.1:7946\"\n" + text);
  if (!flags.data_dir && !flags.key_file) flags.data_dir = dir.at("data");
  return load_settings(flags);
}

void check_error(const Result<AgentSettings>& result, ErrorCode code, std::initializer_list<std::string_view> parts) {
  REQUIRE_FALSE(result.ok());
  const std::string& message = result.error().message;
  INFO("message: " << message);
  CHECK(result.error().code == code);
  for (std::string_view part : parts) CHECK(message.find(part) != std::string::npos);
}

// A CA, a node and the node's certificate file in dir.
struct CaSetup {
  Identity ca = test::identity_of(0xca);
  Identity node = test::identity_of(0x11);
  std::string cert_file;
  std::string toml;  // an [admission] table in ca mode using them

  CaSetup(const TempDir& dir, std::uint64_t expires = kNow + 90 * kDay, std::optional<NodeType> type = {},
          std::string_view label = {}) {
    cert_file = dir.at("node.cert");
    test::write_bytes(cert_file, test::certificate_bytes(ca, node.id(), expires, type, label));
    toml = "[admission]\nmode = \"ca\"\ntrusted_cas = [\"" + ca.id().to_hex() + "\"]\ncertificate_file = \"" +
           cert_file + "\"\n";
  }
};

}  // namespace

TEST_CASE("no [admission] table: open, not chosen, and the start line is a warning saying how to close it") {
  TempDir dir;
  auto s = load(dir, "");
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  CHECK(s.value().config.admission.mode == AdmissionMode::open);
  CHECK_FALSE(s.value().admission.mode_chosen);
  const std::string line = describe_admission(s.value().admission, s.value().config.admission);
  CHECK(line.find("no admission mode was chosen") != std::string::npos);
  CHECK(line.find("mode = \"allowlist\"") != std::string::npos);
  auto chosen = load(dir, "[admission]\nmode = \"open\"\n");
  REQUIRE(chosen.ok());
  CHECK(chosen.value().admission.mode_chosen);
  CHECK(describe_admission(chosen.value().admission, chosen.value().config.admission).find("chosen") !=
        std::string::npos);
}

TEST_CASE("allowlist mode reads the keys of allowlist_file into Config::admission") {
  TempDir dir;
  const NodeId a = test::identity_of(1).id();
  const NodeId b = test::identity_of(2).id();
  const std::string list = dir.write("allow.txt", "# the backends\n" + a.to_hex() + "\n" + b.to_hex() + " # b\n");
  auto s = load(dir, "[admission]\nmode = \"allowlist\"\nallowlist_file = \"" + list + "\"\n");
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  CHECK(s.value().config.admission.mode == AdmissionMode::allowlist);
  CHECK(s.value().config.admission.allowed == std::vector<NodeId>{a, b});
  CHECK(s.value().admission.allowlist_file == list);
  CHECK(describe_admission(s.value().admission, s.value().config.admission).find("2 key(s)") != std::string::npos);
}

TEST_CASE("allowlist errors: no file given, file missing, a bad line with its number") {
  TempDir dir;
  check_error(load(dir, "[admission]\nmode = \"allowlist\"\n"), ErrorCode::invalid_config,
              {"agent.toml:3:8: admission.mode", "allowlist_file", "--allowlist-file"});
  check_error(load(dir, "[admission]\nmode = \"allowlist\"\nallowlist_file = \"" + dir.at("none.txt") + "\"\n"),
              ErrorCode::io, {"admission.allowlist_file", dir.at("none.txt")});
  const std::string bad = dir.write("bad.txt", test::identity_of(1).id().to_hex() + "\n\nxyz\n");
  check_error(load(dir, "[admission]\nmode = \"allowlist\"\nallowlist_file = \"" + bad + "\"\n"),
              ErrorCode::invalid_config, {"admission.allowlist_file", bad + ":3:", "\"xyz\"", "swell-agent id"});
}

TEST_CASE("ca mode reads and checks the certificate file") {
  TempDir dir;
  CaSetup setup(dir);
  auto s = load(dir, setup.toml);
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  const AdmissionConfig& a = s.value().config.admission;
  CHECK(a.mode == AdmissionMode::ca);
  CHECK(a.trusted_cas == std::vector<NodeId>{setup.ca.id()});
  CHECK(a.certificate == test::certificate_bytes(setup.ca, setup.node.id(), kNow + 90 * kDay));
  CHECK(check_own_certificate(s.value().admission, a, setup.node.id(), s.value().info, kNow).ok());
}

TEST_CASE("ca errors: no CA, no certificate, not a certificate, an untrusted CA, another cluster label") {
  TempDir dir;
  CaSetup setup(dir);
  const std::string ca = "trusted_cas = [\"" + setup.ca.id().to_hex() + "\"]\n";
  check_error(load(dir, "[admission]\nmode = \"ca\"\ncertificate_file = \"" + setup.cert_file + "\"\n"),
              ErrorCode::invalid_config, {"admission.mode", "trusted_cas", "ca init"});
  check_error(load(dir, "[admission]\nmode = \"ca\"\n" + ca), ErrorCode::invalid_config,
              {"admission.mode", "certificate_file", "ca sign"});
  check_error(load(dir, "[admission]\nmode = \"ca\"\n" + ca + "certificate_file = \"" + dir.at("gone.cert") + "\"\n"),
              ErrorCode::io, {"admission.certificate_file", dir.at("gone.cert"), "ca sign"});
  const std::string junk = dir.write("junk.cert", "this is not a certificate");
  check_error(load(dir, "[admission]\nmode = \"ca\"\n" + ca + "certificate_file = \"" + junk + "\"\n"),
              ErrorCode::invalid_config, {"admission.certificate_file", "is not a node certificate"});
  const std::string other_ca = "trusted_cas = [\"" + test::identity_of(0x77).id().to_hex() + "\"]\n";
  check_error(load(dir, "[admission]\nmode = \"ca\"\n" + other_ca + "certificate_file = \"" + setup.cert_file + "\"\n"),
              ErrorCode::invalid_config, {"is signed by CA " + setup.ca.id().to_hex(), "not in admission.trusted_cas"});
  check_error(load(dir, "cluster_label = \"prod\"\n" + setup.toml), ErrorCode::invalid_config,
              {"does not hold for cluster_label \"prod\"", "--cluster-label prod"});
  TempDir labelled_dir;
  CaSetup labelled(labelled_dir, kNow + kDay, std::nullopt, "prod");
  CHECK(load(labelled_dir, "cluster_label = \"prod\"\n" + labelled.toml).ok());
}

TEST_CASE("the checks that need the key: another node's certificate, expired, the wrong node_type") {
  TempDir dir;
  CaSetup setup(dir, kNow + kDay, NodeType::proxy);
  auto s = load(dir, setup.toml + "[peer]\nnode_type = \"proxy\"\n");
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  const AdmissionSettings& a = s.value().admission;
  const AdmissionConfig& c = s.value().config.admission;
  CHECK(check_own_certificate(a, c, setup.node.id(), s.value().info, kNow).ok());
  const NodeId other = test::identity_of(0x22).id();
  auto not_ours = check_own_certificate(a, c, other, s.value().info, kNow);
  REQUIRE_FALSE(not_ours.ok());
  CHECK(not_ours.error().message.find("not this node's key " + other.to_hex()) != std::string::npos);
  CHECK(not_ours.error().message.find("ca sign --node " + other.to_hex()) != std::string::npos);
  auto expired = check_own_certificate(a, c, setup.node.id(), s.value().info, kNow + kDay);
  REQUIRE_FALSE(expired.ok());
  CHECK(expired.error().message.find("expired at 2027-01-16T08:00:00Z") != std::string::npos);
  PeerInfo backend = s.value().info;
  backend.node_type = NodeType::backend;
  auto wrong_type = check_own_certificate(a, c, setup.node.id(), backend, kNow);
  REQUIRE_FALSE(wrong_type.ok());
  CHECK(wrong_type.error().message.find("admits only node_type proxy") != std::string::npos);
  // The other modes have no certificate to check.
  auto open = load(dir, "");
  CHECK(check_own_certificate(open.value().admission, open.value().config.admission, other, backend, kNow).ok());
}

TEST_CASE("[admission] key and value errors name the key") {
  TempDir dir;
  const std::string ca = test::identity_of(0xca).id().to_hex();
  check_error(load(dir, "[admission]\nmode = \"closed\"\n"), ErrorCode::invalid_config,
              {"agent.toml:3:8: admission.mode", "\"closed\" is not an admission mode", "allowlist"});
  check_error(load(dir, "[admission]\nmode = 1\n"), ErrorCode::invalid_config, {"admission.mode", "a string"});
  check_error(load(dir, "[admission]\nmod = \"ca\"\n"), ErrorCode::invalid_config,
              {"admission.mod", "did you mean admission.mode?"});
  check_error(load(dir, "[admission]\ntrusted_cas = \"" + ca + "\"\n"), ErrorCode::invalid_config,
              {"admission.trusted_cas", "an array of strings"});
  check_error(load(dir, "[admission]\ntrusted_cas = [\"" + ca + "\", \"abc\"]\n"), ErrorCode::invalid_config,
              {"agent.toml:3:", "admission.trusted_cas", "\"abc\" is not a public key", "a CA's public key"});
  check_error(load(dir, "[admission]\nallowlist_file = 5\n"), ErrorCode::invalid_config,
              {"admission.allowlist_file", "must be a string"});
  check_error(load(dir, "[admission]\ncertificate_file = [\"a\"]\n"), ErrorCode::invalid_config,
              {"admission.certificate_file", "must be a string"});
  check_error(load(dir, "admission = \"ca\"\n"), ErrorCode::invalid_config, {"admission", "a table"});
  // A file the mode does not read: the operator thinks the cluster is closed.
  const std::string list = dir.write("allow.txt", "");
  check_error(load(dir, "[admission]\nallowlist_file = \"" + list + "\"\n"), ErrorCode::invalid_config,
              {"admission.allowlist_file", "admission.mode is open", "mode = \"allowlist\""});
  check_error(load(dir, "[admission]\nmode = \"allowlist\"\nallowlist_file = \"" + list + "\"\ncertificate_file = \"x\"\n"),
              ErrorCode::invalid_config, {"admission.certificate_file", "admission.mode is allowlist"});
  // trusted_cas alone is allowed in any mode: revocations it signs are honoured.
  auto cas = load(dir, "[admission]\nmode = \"open\"\ntrusted_cas = [\"" + ca + "\"]\n");
  REQUIRE_MESSAGE(cas.ok(), cas.error().message);
  CHECK(cas.value().config.admission.trusted_cas.size() == 1);
}

TEST_CASE("the admission flags override the file, and their errors name the flag") {
  TempDir dir;
  CaSetup setup(dir);
  const std::string list = dir.write("allow.txt", test::identity_of(5).id().to_hex() + "\n");
  RunFlags flags;
  flags.admission = "allowlist";
  flags.allowlist_file = list;
  auto s = load(dir, "[admission]\nmode = \"open\"\n", flags);
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  CHECK(s.value().config.admission.mode == AdmissionMode::allowlist);
  CHECK(s.value().config.admission.allowed.size() == 1);
  RunFlags ca;
  ca.admission = "ca";
  ca.trusted_cas = {setup.ca.id().to_hex()};
  ca.certificate_file = setup.cert_file;
  auto c = load(dir, "", ca);
  REQUIRE_MESSAGE(c.ok(), c.error().message);
  CHECK(c.value().config.admission.mode == AdmissionMode::ca);
  CHECK(c.value().admission.mode_chosen);
  RunFlags bad_mode;
  bad_mode.admission = "none";
  check_error(load(dir, "", bad_mode), ErrorCode::invalid_config, {"--admission", "\"none\""});
  RunFlags bad_ca;
  bad_ca.trusted_cas = {"00"};
  check_error(load(dir, "", bad_ca), ErrorCode::invalid_config, {"--trusted-ca", "not a public key"});
  RunFlags no_cert;
  no_cert.admission = "ca";
  no_cert.trusted_cas = {setup.ca.id().to_hex()};
  check_error(load(dir, "", no_cert), ErrorCode::invalid_config, {"--admission", "certificate_file"});
  RunFlags no_list;
  no_list.admission = "allowlist";
  check_error(load(dir, "", no_list), ErrorCode::invalid_config, {"--admission: allowlist mode needs"});
  RunFlags unused;
  unused.certificate_file = setup.cert_file;
  check_error(load(dir, "", unused), ErrorCode::invalid_config, {"--certificate-file", "admission.mode is open"});
}
