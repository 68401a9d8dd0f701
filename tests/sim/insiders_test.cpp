// Insiders (docs/security.md): admitted members that lie with their own keys. One liar,
// or three colluding, cannot get an honest member declared failed; an accuser that keeps
// accusing is dropped and counted; replays and garbage change nothing; and a real crash
// is still detected. The Byzantine members are sim::ByzantineMember, driven by hand here
// and by the `byzantine` scenario action in sim/scenarios/insiders_*.toml.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <vector>

#include "byzantine.h"
#include "crypto/claim_auth.h"
#include "wire/claims.h"
#include "scenario_files.h"
#include "scenario_runner.h"
#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;
using Kind = MembershipEvent::Kind;

// A joined world of n members, liars among them, recording every event.
struct Fixture {
  World world{777};
  std::vector<ByzantineMember> liars;
  struct Logged {
    std::uint32_t observer, subject;
    Kind kind;
    Time at;
  };
  std::vector<Logged> events;

  Fixture(std::size_t n, const std::vector<std::uint32_t>& liar_indices, Misbehaviour what) {
    world.spawn(n, Config::lan());
    for (const std::uint32_t i : liar_indices) liars.emplace_back(i, what, "", 1000 + i);
    world.observe_datagrams([this](std::uint32_t to, std::uint32_t from, const Bytes& bytes) {
      for (ByzantineMember& liar : liars) liar.saw(to, from, bytes);
    });
    world.observe([this](std::uint32_t observer, const MembershipEvent& e) {
      if (auto subject = world.index_of(e.member)) events.push_back({observer, *subject, e.kind, world.now()});
    });
    world.join_all(0);
    world.run_for(15s);
    for (std::uint32_t i = 0; i < world.size(); ++i) REQUIRE(world.node(i).count(MemberState::alive) == n);
    events.clear();
  }
  bool liar(std::uint32_t i) const {
    for (const ByzantineMember& l : liars) {
      if (l.member() == i) return true;
    }
    return false;
  }
  // Every liar acts every `every` for `rounds` rounds.
  ByzantineRound lie(int rounds, Duration every) {
    ByzantineRound sent;
    for (int r = 0; r < rounds; ++r) {
      for (ByzantineMember& l : liars) sent += l.act(world);
      world.run_for(every);
    }
    return sent;
  }
  // Events of kind by honest observers about honest subjects.
  std::size_t honest(Kind kind) const {
    std::size_t count = 0;
    for (const Logged& e : events) count += e.kind == kind && !liar(e.observer) && !liar(e.subject);
    return count;
  }
  std::uint64_t dropped() const {
    std::uint64_t sum = 0;
    for (std::uint32_t i = 0; i < world.size(); ++i) sum += world.node(i).stats().accusations_dropped;
    return sum;
  }
};

TEST_CASE("one insider accusing everyone gets no honest member declared failed, and is then dropped") {
  Fixture f(12, {3}, Misbehaviour{.accuse = true});
  const ByzantineRound sent = f.lie(60, 2s);  // two minutes, a round every 2 s
  CHECK(sent.claims > 0);
  CHECK(f.honest(Kind::failed) == 0);
  for (std::uint32_t i = 0; i < f.world.size(); ++i) {
    for (std::uint32_t j = 0; j < f.world.size(); ++j) {
      if (i != j && i != 3 && j != 3) CHECK(f.world.node(i).member(f.world.id(j))->state != MemberState::dead);
    }
  }
  // Its first accusations were believed as suspicions and refuted; then it was silenced.
  CHECK(f.honest(Kind::suspected) > 0);
  CHECK(f.dropped() > 0);
  const std::size_t suspected_so_far = f.honest(Kind::suspected);
  f.lie(30, 2s);
  CHECK(f.honest(Kind::suspected) == suspected_so_far);  // still silenced while it keeps at it
}

TEST_CASE("three colluding insiders (three signers per lie) cannot condemn an honest member") {
  Fixture f(16, {13, 14, 15}, Misbehaviour{.accuse = true});
  f.lie(60, 2s);
  CHECK(f.honest(Kind::failed) == 0);
}

TEST_CASE("a real crash is still detected while three insiders lie") {
  Fixture f(16, {13, 14, 15}, Misbehaviour{.accuse = true, .replay = true, .forge = true, .garbage = true});
  f.lie(5, 2s);
  f.world.crash(4);
  f.lie(15, 2s);
  for (std::uint32_t i = 0; i < 13; ++i) {
    if (i != 4) CHECK(f.world.node(i).member(f.world.id(4))->state == MemberState::dead);
  }
  std::size_t failed_others = 0;
  for (const auto& e : f.events) failed_others += e.kind == Kind::failed && e.subject != 4 && !f.liar(e.subject);
  CHECK(failed_others == 0);
}

// Signs a claim as member i of the world.
Bytes signed_by(const World& world, std::uint32_t i, const wire::Claim& claim) {
  const Identity me = Identity::from_seed(world.identity_seed(i)).value();
  Bytes body;
  wire::encode_signed_claim(crypto::sign_claim(me, wire::encode_claim_payload(claim)), body);
  return body;
}

TEST_CASE("replayed suspect and dead claims for an incarnation already refuted change nothing") {
  Fixture f(10, {2}, Misbehaviour{});
  const NodeId victim = f.world.id(5), liar = f.world.id(2);
  const std::uint64_t inc = f.world.node(0).member(victim)->incarnation;
  const std::vector<Bytes> lie = {signed_by(f.world, 2, wire::SuspectClaim{liar, victim, inc}),
                                  signed_by(f.world, 2, wire::DeadClaim{liar, victim, inc})};
  for (std::uint32_t t = 0; t < f.world.size(); ++t) {
    if (t != 2) (void)f.liars.front().send_claims(f.world, t, lie);
  }
  f.world.run_for(10s);
  // One liar's word: a suspicion, refuted; never a verdict.
  CHECK(f.honest(Kind::failed) == 0);
  CHECK(f.honest(Kind::suspected) > 0);
  const std::uint64_t refuted = f.world.node(0).member(victim)->incarnation;
  CHECK(refuted > inc);
  const std::size_t suspected = f.honest(Kind::suspected);
  const std::uint64_t dropped = f.dropped();
  // The same claims again, and a verdict for an older incarnation still.
  std::vector<Bytes> replay = lie;
  replay.push_back(signed_by(f.world, 2, wire::DeadClaim{liar, victim, inc - 1}));
  for (int round = 0; round < 3; ++round) {
    for (std::uint32_t t = 0; t < f.world.size(); ++t) {
      if (t != 2) (void)f.liars.front().send_claims(f.world, t, replay);
    }
    f.world.run_for(5s);
  }
  CHECK(f.honest(Kind::suspected) == suspected);
  CHECK(f.honest(Kind::failed) == 0);
  CHECK(f.dropped() == dropped);  // ignored as old, not for the accuser's budget
  for (std::uint32_t i = 0; i < f.world.size(); ++i) {
    if (i != 5) CHECK(f.world.node(i).member(victim)->incarnation == refuted);
  }
}

TEST_CASE("a replaying insider (claims it saw, refuted ones among them) changes nothing") {
  Fixture f(10, {2}, Misbehaviour{.replay = true});
  f.world.run_for(30s);  // it collects claims from gossip and push-pull
  REQUIRE(f.liars.front().kept() > 0);
  f.lie(30, 2s);
  CHECK(f.honest(Kind::failed) == 0);
  CHECK(f.honest(Kind::suspected) == 0);
}

TEST_CASE("forged claims and garbage datagrams and streams are rejected and change nothing") {
  Fixture f(8, {2}, Misbehaviour{.forge = true, .garbage = true});
  f.world.run_for(5s);
  const auto before = f.world.node(0).members();
  const std::uint64_t rejected_before = f.world.node(0).stats().claims_rejected;
  const ByzantineRound sent = f.lie(10, 2s);
  CHECK(sent.streams > 0);
  CHECK(sent.stream_errors == sent.streams);  // every garbage stream refused
  CHECK(f.world.node(0).stats().claims_rejected > rejected_before);
  CHECK(f.world.node(0).stats().streams_rejected > 0);
  CHECK(f.events.empty());  // nobody suspected, failed or updated
  const auto after = f.world.node(0).members();
  REQUIRE(after.size() == before.size());
  for (std::size_t k = 0; k < after.size(); ++k) {
    CHECK(after[k].id == before[k].id);
    CHECK(after[k].state == before[k].state);
    CHECK(after[k].incarnation == before[k].incarnation);
  }
}

// The scenario files, plus what expect_events cannot say: a bound per (observer,
// subject) pair of honest members, from the transcript.
void run_insiders(const std::string& name, const std::vector<std::uint32_t>& liars) {
  const Scenario scenario = testing::scenario_file(name);
  const ScenarioReport report = run_scenario(scenario);
  INFO("reproduce: build/sim/swell-sim --scenario sim/scenarios/" << name << ".toml --transcript");
  for (const std::string& failure : report.failures) MESSAGE(failure);
  CHECK(report.ok);
  auto is_liar = [&](std::uint32_t i) { return std::find(liars.begin(), liars.end(), i) != liars.end(); };
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> suspected;
  int failed_honest = 0;
  for (const auto& e : report.json["transcript"]) {
    const auto observer = e[1].get<std::uint32_t>(), subject = e[3].get<std::uint32_t>();
    if (is_liar(observer) || is_liar(subject) || subject == 10) continue;
    const std::string kind = e[2];
    if (kind == "suspected") ++suspected[{observer, subject}];
    if (kind == "failed") ++failed_honest;
  }
  int most = 0;
  for (const auto& [pair, n] : suspected) most = std::max(most, n);
  CHECK(failed_honest == 0);
  // A member raised as suspect on a lie refutes it; the liars are silenced after their
  // first rounds, so each honest pair sees at most a couple of suspicions.
  CHECK(most <= 3);
  CHECK(report.json["node_stats_of_up_members"]["accusations_dropped"].get<std::uint64_t>() > 0);
}

TEST_CASE("scenario: one Byzantine member of 50 for 60 s: no honest member failed or flapping") {
  run_insiders("insiders_one", {49});
}

TEST_CASE("scenario: three colluding Byzantine members of 50: no honest member failed or flapping") {
  run_insiders("insiders_three", {47, 48, 49});
}

}  // namespace
}  // namespace swell::sim
