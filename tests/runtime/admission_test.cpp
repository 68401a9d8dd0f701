// Admission on real loopback sockets, in each mode (fewer members than the simulator's
// tests): an unlisted key or a bad, expired or other-CA certificate cannot join and is
// counted; a revocation removes a member everywhere and its restart is refused.
#include <doctest/doctest.h>

#include <chrono>

#include "crypto/certificate_auth.h"
#include "crypto/claim_auth.h"
#include "runtime/loop_runner.h"
#include "swell/agent.h"

using namespace std::chrono_literals;
using swell::Agent;
using swell::test::LoopRunner;
using swell::test::identity_from;
using swell::test::loopback_options;

namespace {

Agent start_with(LoopRunner& runner, int n, swell::Config config, std::vector<std::string> seeds) {
  auto o = loopback_options("adm" + std::to_string(n), "127.0.0.1", runner.loop(), std::move(seeds));
  o.identity.emplace(identity_from(static_cast<std::uint8_t>(n)));
  o.config = std::move(config);  // fast_config() plus admission settings
  auto a = Agent::start(std::move(o));
  REQUIRE_MESSAGE(a.ok(), (a.ok() ? "" : a.error().message));
  return std::move(a).value();
}

std::uint64_t unix_ms_in(std::chrono::milliseconds from_now) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch() + from_now)
                                        .count());
}

swell::Config with_certificate(const swell::Identity& ca, std::uint8_t n, std::chrono::milliseconds valid_for) {
  swell::Config config = swell::test::fast_config();
  config.admission.mode = swell::AdmissionMode::ca;
  config.admission.trusted_cas = {ca.id()};
  config.admission.certificate = swell::wire::encode_certificate(
      swell::crypto::issue_certificate(ca, identity_from(n).id(), unix_ms_in(valid_for), std::nullopt));
  return config;
}

bool holds_live(const Agent& a, const swell::NodeId& who) {
  auto s = a.snapshot();
  const auto* m = s ? s->find(who) : nullptr;
  return m != nullptr && (m->state == swell::MemberState::alive || m->state == swell::MemberState::suspect);
}

}  // namespace

TEST_CASE("allowlist on sockets: an unlisted agent is refused at every join attempt, counted") {
  LoopRunner runner;
  swell::Config listed = swell::test::fast_config();
  listed.admission.mode = swell::AdmissionMode::allowlist;
  for (std::uint8_t n = 1; n <= 3; ++n) listed.admission.allowed.push_back(identity_from(n).id());
  std::vector<Agent> members;
  members.push_back(start_with(runner, 1, listed, {}));
  for (int n = 2; n <= 3; ++n) members.push_back(start_with(runner, n, listed, {members[0].address()}));
  swell::Config outsider_config = listed;
  outsider_config.admission.allowed.push_back(identity_from(9).id());
  std::vector<Agent> outsider;
  outsider.push_back(start_with(runner, 9, outsider_config, {members[0].address()}));
  CHECK(runner.run_until([&] { return swell::test::all_see_alive(members, 3); }, 20s));
  CHECK(runner.run_until([&] { return members[0].snapshot()->node.admission_refused_not_listed >= 2; }, 20s));
  for (const Agent& a : members) CHECK_FALSE(holds_live(a, outsider[0].id()));
  MESSAGE("not listed: " << members[0].snapshot()->node.admission_refused_not_listed << ", joins refused "
                         << members[0].snapshot()->node.joins_refused);
  CHECK(runner.stop_all(outsider));
  CHECK(runner.stop_all(members));
}

TEST_CASE("ca on sockets: other-CA and expired certificates refused; a revoked agent is removed and stays out") {
  LoopRunner runner;
  const swell::Identity ca = identity_from(100), rogue = identity_from(101);
  std::vector<Agent> members;
  members.push_back(start_with(runner, 1, with_certificate(ca, 1, 1h), {}));
  for (std::uint8_t n = 2; n <= 4; ++n) members.push_back(start_with(runner, n, with_certificate(ca, n, 1h), {members[0].address()}));
  swell::Config other_ca = with_certificate(rogue, 8, 1h);
  other_ca.admission.trusted_cas.push_back(ca.id());
  std::vector<Agent> outsiders;
  outsiders.push_back(start_with(runner, 8, other_ca, {members[0].address()}));
  outsiders.push_back(start_with(runner, 9, with_certificate(ca, 9, -1min), {members[0].address()}));
  CHECK(runner.run_until([&] { return swell::test::all_see_alive(members, 4); }, 20s));
  CHECK(runner.run_until([&] {
    auto s = members[0].snapshot();
    return s->node.admission_refused_bad_certificate >= 1 && s->node.admission_refused_expired >= 1;
  }, 20s));
  for (const Agent& a : members) {
    for (const Agent& o : outsiders) CHECK_FALSE(holds_live(a, o.id()));
  }
  CHECK(runner.stop_all(outsiders));

  // The CA revokes member 4 through member 1: everyone removes it.
  const swell::NodeId revoked = members[3].id();
  auto claim = swell::crypto::make_signed_claim(ca, swell::wire::RevocationClaim{ca.id(), revoked, unix_ms_in(0ms)});
  REQUIRE(claim.ok());
  swell::Bytes body;
  swell::wire::encode_signed_claim(claim.value(), body);
  REQUIRE(members[0].apply_revocation(body).ok());
  CHECK(runner.run_until([&] {
    for (int k = 0; k < 3; ++k) {
      if (holds_live(members[k], revoked) || members[k].snapshot()->node.revocations_applied != 1) return false;
    }
    return true;
  }, 10s));
  // Every snapshot lists the revoked key (what swell-agent saves), one list shared until
  // the next revocation.
  for (int k = 0; k < 3; ++k) {
    const auto snap = members[k].snapshot();
    REQUIRE(snap->revoked != nullptr);
    CHECK(*snap->revoked == std::vector<swell::NodeId>{revoked});
  }
  CHECK(members[1].snapshot()->revoked == members[1].snapshot()->revoked);
  // Restarted with the same key and a valid certificate, it is refused.
  std::vector<Agent> last;
  last.push_back(std::move(members[3]));
  members.pop_back();
  CHECK(runner.stop_all(last));
  last.clear();
  last.push_back(start_with(runner, 4, with_certificate(ca, 4, 1h), {members[0].address(), members[1].address()}));
  CHECK(runner.run_until([&] { return members[0].snapshot()->node.admission_refused_revoked >= 1; }, 20s));
  for (const Agent& a : members) CHECK_FALSE(holds_live(a, revoked));
  CHECK(runner.stop_all(last));
  CHECK(runner.stop_all(members));
}

TEST_CASE("AgentSnapshot::revoked: the keys given at start (AdmissionConfig::revoked), oldest first") {
  LoopRunner runner;
  swell::Config config = swell::test::fast_config();
  const std::vector<swell::NodeId> known{identity_from(60).id(), identity_from(61).id()};
  config.admission.revoked = known;
  std::vector<Agent> agents;
  agents.push_back(start_with(runner, 7, config, {}));
  const auto snap = agents[0].snapshot();
  REQUIRE(snap->revoked != nullptr);
  CHECK(*snap->revoked == known);
  CHECK(runner.stop_all(agents));
}
