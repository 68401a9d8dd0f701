// Admission on virtual time, in each mode: a key that is not admitted cannot join and
// everything it sends is dropped and counted; an expired certificate is refused, and a
// member whose certificate expires is removed; a revocation reaches all of 200 members
// within 2 s and the revoked member cannot come back (docs/security.md, "Admission").
#include <doctest/doctest.h>

#include <chrono>
#include <vector>

#include "cluster_ca.h"
#include "scenario_files.h"
#include "scenario_runner.h"
#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

std::uint64_t refused(const NodeStats& s) {
  return s.admission_refused_not_listed + s.admission_refused_expired + s.admission_refused_bad_certificate +
         s.admission_refused_revoked + s.admission_refused_wrong_type;
}

bool anyone_holds(const World& world, std::uint32_t members, std::uint32_t who) {
  for (std::uint32_t i = 0; i < members; ++i) {
    if (i == who || !world.is_up(i)) continue;
    const auto m = world.node(i).member(world.id(who));
    if (m && (m->state == MemberState::alive || m->state == MemberState::suspect)) return true;
  }
  return false;
}

std::vector<std::uint32_t> first(std::uint32_t n) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < n; ++i) out.push_back(i);
  return out;
}

TEST_CASE("allowlist: an unlisted key cannot join; its datagrams and streams are dropped and counted") {
  World world(31);
  // Members 0..7 list each other; member 8 runs the same settings but is on no list.
  const Config listed = allowlisted(world, 8, Config::lan());
  world.spawn(8, listed);
  Config outsider = listed;
  outsider.admission.allowed.push_back(world.future_id(8));
  const std::uint32_t intruder = world.spawn(1, outsider);
  world.join_all(0);
  world.run_for(60s);
  for (std::uint32_t i = 0; i < 8; ++i) {
    CHECK(world.sees_alive(i, first(8)));
    CHECK_FALSE(world.node(i).member(world.id(intruder)).has_value());
  }
  std::uint64_t not_listed = 0, dropped = 0, joins_refused = 0;
  for (std::uint32_t i = 0; i < 8; ++i) {
    not_listed += world.node(i).stats().admission_refused_not_listed;
    dropped += world.node(i).stats().dropped_not_admitted;
    joins_refused += world.node(i).stats().joins_refused;
  }
  CHECK(joins_refused >= 3);  // it kept retrying its seed
  CHECK(not_listed >= joins_refused);
  MESSAGE("allowlist: joins refused " << joins_refused << ", refusals " << not_listed << ", datagrams dropped "
                                      << dropped);
  // Now it is listed everywhere: it gets in at its next attempt.
  for (std::uint32_t i = 0; i < 8; ++i) world.set_allowlist(i, outsider.admission.allowed);
  world.run_for(60s);
  CHECK(world.sees_alive(0, first(9)));
  // And struck off again: removed at once everywhere, with the reason in the evidence.
  std::uint32_t removals = 0;
  world.observe([&](std::uint32_t, const MembershipEvent& e) {
    if (e.kind == MembershipEvent::Kind::failed && e.member == world.id(intruder) && e.evidence &&
        e.evidence->removed_for == AdmissionRefusal::not_listed) {
      ++removals;
    }
  });
  for (std::uint32_t i = 0; i < 8; ++i) world.set_allowlist(i, listed.admission.allowed);
  CHECK(removals == 8);
  std::uint64_t dropped_before = 0, dropped_after = 0;
  for (std::uint32_t i = 0; i < 8; ++i) dropped_before += world.node(i).stats().dropped_not_admitted;
  world.run_for(30s);
  CHECK_FALSE(anyone_holds(world, 8, intruder));
  // Struck off, it still probes its old peers: every one of those datagrams is dropped unread.
  for (std::uint32_t i = 0; i < 8; ++i) dropped_after += world.node(i).stats().dropped_not_admitted;
  CHECK(dropped_after > dropped_before);
  MESSAGE("datagrams from the struck-off key dropped in 30 s: " << dropped_after - dropped_before);
}

TEST_CASE("ca: no certificate, another CA's, an expired one or the wrong role are refused, each counted") {
  World world(37);
  const ClusterCa ca(1), rogue(2);
  for (std::uint32_t i = 0; i < 8; ++i) world.spawn(1, ca.admit(world, i, Config::lan(), 1h));
  // 8: open settings (no certificate); 9: a certificate of an untrusted CA; 10: expired
  // before the start; 11 announces governator (World gives member i role i % 3) with a
  // certificate that allows only proxies.
  world.spawn(1, Config::lan());
  Config untrusted = rogue.admit(world, 9, Config::lan(), 1h);
  untrusted.admission.trusted_cas.push_back(ca.id());
  world.spawn(1, untrusted);
  world.spawn(1, ca.admit(world, 10, Config::lan(), Time{0}));
  world.spawn(1, ca.admit(world, 11, Config::lan(), 1h, NodeType::proxy));
  // 12's certificate runs out at 90 s, while it is a member.
  const std::uint32_t short_lived = world.spawn(1, ca.admit(world, 12, Config::lan(), 90s));
  REQUIRE(world.size() == 13);
  for (std::uint32_t i = 8; i < 12; ++i) REQUIRE(world.is_up(i));
  std::vector<Time> removed_at;
  world.observe([&](std::uint32_t, const MembershipEvent& e) {
    if (e.kind == MembershipEvent::Kind::failed && e.member == world.id(short_lived) && e.evidence &&
        e.evidence->removed_for == AdmissionRefusal::expired) {
      removed_at.push_back(e.at);
    }
  });
  world.join_all(0);
  world.run_for(60s);
  for (std::uint32_t i = 0; i < 8; ++i) CHECK(world.sees_alive(i, {0, 1, 2, 3, 4, 5, 6, 7, short_lived}));
  for (std::uint32_t outsider = 8; outsider < 12; ++outsider) CHECK_FALSE(anyone_holds(world, 8, outsider));
  NodeStats sum;
  for (std::uint32_t i = 0; i < 8; ++i) {
    const NodeStats& s = world.node(i).stats();
    sum.admission_refused_bad_certificate += s.admission_refused_bad_certificate;
    sum.admission_refused_expired += s.admission_refused_expired;
    sum.admission_refused_wrong_type += s.admission_refused_wrong_type;
    sum.dropped_not_admitted += s.dropped_not_admitted;
    sum.joins_refused += s.joins_refused;
  }
  CHECK(sum.admission_refused_bad_certificate >= 2);  // 8 and 9
  CHECK(sum.admission_refused_expired >= 1);          // 10
  CHECK(sum.admission_refused_wrong_type >= 1);       // 11
  CHECK(sum.joins_refused >= 4);
  MESSAGE("ca: bad certificate " << sum.admission_refused_bad_certificate << ", expired "
                                 << sum.admission_refused_expired << ", wrong type "
                                 << sum.admission_refused_wrong_type << ", joins refused " << sum.joins_refused
                                 << ", datagrams dropped " << sum.dropped_not_admitted);
  // The reap round (every minute) removes 12 once its certificate has run out.
  world.run_for(90s);
  CHECK(removed_at.size() == 8);
  for (const Time at : removed_at) CHECK(at >= Time(90s));
  for (const Time at : removed_at) CHECK(at <= Time(90s) + 61s);
  CHECK_FALSE(anyone_holds(world, 8, short_lived));
  // Restarted with a renewed certificate, it is let back in.
  world.reconfigure(short_lived, ca.admit(world, short_lived, Config::lan(), 1h));
  world.crash(short_lived);
  world.restart(short_lived, {0});
  world.run_for(30s);
  CHECK(world.sees_alive(0, {0, 1, 2, 3, 4, 5, 6, 7, short_lived}));
  CHECK(refused(world.node(0).stats()) > 0);
}

TEST_CASE("ca: a revocation reaches all of 200 members within 2 s, and the revoked member cannot come back") {
  World world(41, PairKeys::hashed);
  const ClusterCa ca(3);
  constexpr std::uint32_t kMembers = 200;
  for (std::uint32_t i = 0; i < kMembers; ++i) world.spawn(1, ca.admit(world, i, Config::lan(), 24h));
  world.join_all(0);
  world.run_for(60s);
  REQUIRE(world.sees_alive(0, first(kMembers)));
  constexpr std::uint32_t kRevoked = 57;
  Time latest{0};
  std::uint32_t removed = 0;
  world.observe([&](std::uint32_t, const MembershipEvent& e) {
    if (e.member != world.id(kRevoked)) return;
    if (e.kind == MembershipEvent::Kind::failed && e.evidence &&
        e.evidence->removed_for == AdmissionRefusal::revoked && e.evidence->declared_by == ca.id()) {
      ++removed;
      latest = std::max(latest, e.at);
    }
  });
  const Time revoked_at = world.now();
  REQUIRE(world.apply_revocation(3, ca.revocation(world.id(kRevoked))).ok());
  world.run_for(10s);
  CHECK(removed == kMembers - 1);  // everyone but the revoked member itself
  const Duration spread = latest - revoked_at;
  MESSAGE("revocation reached " << removed << " members in " << to_seconds(spread) << " s");
  CHECK(spread <= 2s);
  for (std::uint32_t i = 0; i < kMembers; ++i) {
    if (i != kRevoked) CHECK(world.node(i).stats().revocations_applied == 1);
  }
  // It restarts (same key, valid certificate, higher incarnation): nobody lets it in.
  world.crash(kRevoked);
  world.restart(kRevoked, {0, 1, 2});
  world.run_for(60s);
  CHECK_FALSE(anyone_holds(world, kMembers, kRevoked));
  std::uint64_t revoked_refusals = 0;
  for (std::uint32_t i = 0; i < kMembers; ++i) {
    if (i != kRevoked) revoked_refusals += world.node(i).stats().admission_refused_revoked;
  }
  CHECK(revoked_refusals > 0);
  MESSAGE("refusals of the revoked key after its restart: " << revoked_refusals);
}

TEST_CASE("scenario files with [admission]: outsiders kept out and counted, a rotation, a revocation") {
  for (const std::string name : {"admission_allowlist", "admission_ca"}) {
    const Scenario scenario = testing::scenario_file(name);
    const ScenarioReport report = run_scenario(scenario);
    INFO("reproduce: build/sim/swell-sim --scenario sim/scenarios/" << name << ".toml");
    for (const std::string& failure : report.failures) MESSAGE(failure);
    CHECK(report.ok);
    CHECK(report.json["checks_passed"].get<std::size_t>() == 8);
    const auto& stats = report.json["node_stats_of_up_members"];
    CHECK(stats["dropped_not_admitted"].get<std::uint64_t>() > 0);  // the outsider's datagrams
    CHECK(stats["joins_refused"].get<std::uint64_t>() > 0);
    CHECK(stats["rotations_applied"].get<std::uint64_t>() >= 17);
    CHECK(stats["revocations_applied"].get<std::uint64_t>() >= 17);
    MESSAGE(name << ": " << stats.dump());
  }
}

TEST_CASE("a revocation signed by a key that is no trusted CA changes nothing") {
  World world(43);
  const ClusterCa ca(4), rogue(5);
  for (std::uint32_t i = 0; i < 6; ++i) world.spawn(1, ca.admit(world, i, Config::lan(), 1h));
  world.join_all(0);
  world.run_for(30s);
  CHECK_FALSE(world.apply_revocation(0, rogue.revocation(world.id(2))).ok());
  world.run_for(10s);
  CHECK(world.sees_alive(1, first(6)));
}

}  // namespace
}  // namespace swell::sim
