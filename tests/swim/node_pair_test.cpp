// swell::Node instances wired together by hand through the public API (swell/node.h)
// only (tests/swim/wiring.h): joining, probing, suspicion and its evidence, refutation.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "swim/wiring.h"

namespace swell {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Kind;
using testing::start_cluster;
using testing::Wiring;

std::size_t count_kind(const std::vector<MembershipEvent>& events, Kind kind) {
  return static_cast<std::size_t>(
      std::count_if(events.begin(), events.end(), [&](const MembershipEvent& e) { return e.kind == kind; }));
}

TEST_CASE("two nodes join: each sees the other alive and reports it joined") {
  Wiring w(2, Config::local(), 1);
  CHECK(w.node(0).count(MemberState::alive) == 1);  // only itself before joining
  start_cluster(w, 2);
  CHECK(w.run_for(seconds(5), [&] { return w.all_alive(); }));
  for (std::size_t i : {0u, 1u}) {
    const std::size_t other = 1 - i;
    CAPTURE(i);
    CHECK(w.state(i, other) == MemberState::alive);
    CHECK(w.node(i).count(MemberState::alive) == 2);
    const auto joined = w.events_about(i, other, Kind::joined);
    REQUIRE(joined.size() == 1);
    REQUIRE(joined[0].announcement != nullptr);
    CHECK(joined[0].announcement->info.id == "node-" + std::to_string(other));
    CHECK(joined[0].announcement->swim_address == w.address(other));
    CHECK(joined[0].incarnation == 1);
  }
  // Nobody reports itself.
  CHECK(w.events_about(0, 0, Kind::joined).empty());
  CHECK(w.events_about(1, 1, Kind::joined).empty());
}

TEST_CASE("while every datagram is delivered, probes are acked and nobody is suspected") {
  for (const std::size_t n : {2u, 3u}) {
    CAPTURE(n);
    Wiring w(n, Config::local(), 7 + n);
    start_cluster(w, n);
    REQUIRE(w.run_for(seconds(5), [&] { return w.all_alive(); }));
    std::vector<std::uint64_t> probes_before;
    for (std::size_t i = 0; i < n; ++i) probes_before.push_back(w.node(i).stats().probes);
    w.run_for(seconds(60));  // 120 probe intervals of local()'s 500 ms
    CHECK(w.all_alive());
    for (std::size_t i = 0; i < n; ++i) {
      CAPTURE(i);
      const NodeStats& s = w.node(i).stats();
      CHECK(s.probes - probes_before[i] >= 100);
      CHECK(s.indirect_probes == 0);  // every direct ping was acked in time
      CHECK(s.datagrams_dropped == 0);
      CHECK(s.refutations == 0);
      CHECK(count_kind(w.events(i), Kind::suspected) == 0);
      CHECK(count_kind(w.events(i), Kind::failed) == 0);
      CHECK(w.node(i).local_health() == 0);
      CHECK(w.node(i).count(MemberState::alive) == n);
    }
  }
}

TEST_CASE("three nodes join through one seed and all learn of each other") {
  Wiring w(3, Config::local(), 3);
  start_cluster(w, 3);
  CHECK(w.run_for(seconds(10), [&] { return w.all_alive(); }));
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < 3; ++j) {
      if (i == j) continue;
      CAPTURE(i);
      CAPTURE(j);
      CHECK(w.events_about(i, j, Kind::joined).size() == 1);
    }
  }
}

TEST_CASE("a node that stops talking is suspected, then failed, with evidence naming the accuser") {
  for (const std::size_t n : {2u, 3u}) {
    CAPTURE(n);
    Wiring w(n, Config::local(), 21 + n);
    start_cluster(w, n);
    REQUIRE(w.run_for(seconds(10), [&] { return w.all_alive(); }));
    w.run_for(seconds(5));
    const std::size_t victim = n - 1;
    const Time cut_at = w.now();
    std::vector<std::uint64_t> indirect_before;
    for (std::size_t i = 0; i < n; ++i) indirect_before.push_back(w.node(i).stats().indirect_probes);
    w.isolate(victim);
    auto all_failed = [&] {
      for (std::size_t i = 0; i < victim; ++i) {
        if (w.state(i, victim) != MemberState::dead) return false;
      }
      return true;
    };
    // local(): a 500 ms probe interval, so a suspicion of at most 2 * 0.5 s, a final
    // check and a verdict within a few seconds.
    CHECK(w.run_for(seconds(30), all_failed));
    auto survivor_named = [&](const NodeId& id) -> std::optional<std::size_t> {
      for (std::size_t j = 0; j < victim; ++j) {
        if (w.id(j) == id) return j;
      }
      return std::nullopt;
    };
    for (std::size_t i = 0; i < victim; ++i) {
      CAPTURE(i);
      const auto suspected = w.events_about(i, victim, Kind::suspected);
      const auto failed = w.events_about(i, victim, Kind::failed);
      REQUIRE(suspected.size() == 1);
      CHECK(suspected[0].at >= cut_at);
      REQUIRE(failed.size() == 1);
      CHECK(failed[0].at > suspected[0].at);  // suspected first, failed after
      REQUIRE(failed[0].evidence.has_value());
      const FailureEvidence& e = *failed[0].evidence;
      // The accuser is a survivor that suspected no later than this node, and raised
      // the suspicion itself, on its own failed probe (it names itself).
      CHECK(e.suspected_at == suspected[0].at);
      const auto accuser = survivor_named(e.first_suspected_by);
      REQUIRE(accuser.has_value());
      CHECK(w.events_about(*accuser, victim, Kind::suspected).at(0).at <= suspected[0].at);
      const auto accusers_failed = w.events_about(*accuser, victim, Kind::failed);
      REQUIRE(accusers_failed.size() == 1);
      REQUIRE(accusers_failed[0].evidence.has_value());
      CHECK(accusers_failed[0].evidence->first_suspected_by == w.id(*accuser));
      CHECK(accusers_failed[0].evidence->probed_by_us);
      // Declared by this node after its own timeout, or by the other survivor, whose
      // verdict this one accepted (then no timeout of its own was used).
      bool declarer_is_a_member = false;
      for (std::size_t j = 0; j < victim; ++j) declarer_is_a_member |= e.declared_by == w.id(j);
      CHECK(declarer_is_a_member);
      if (e.declared_by == w.id(i)) {
        CHECK(e.timeout_used == failed[0].at - e.suspected_at);
        CHECK(e.timeout_used >= milliseconds(500));  // local(): the minimum suspicion timeout
      } else {
        CHECK(e.timeout_used == Duration(0));
      }
      // With a third member, the failed direct probe asked it to try (ping-req).
      if (n == 3) CHECK(w.node(i).stats().indirect_probes > indirect_before[i]);
      CHECK(e.local_health >= 0);
      CHECK(w.events_about(i, victim, Kind::recovered).empty());
    }
    // The survivors still see each other alive.
    for (std::size_t i = 0; i < victim; ++i) {
      for (std::size_t j = 0; j < victim; ++j) {
        if (i != j) CHECK(w.state(i, j) == MemberState::alive);
      }
    }
  }
}

TEST_CASE("a suspected node that can still talk refutes with a higher incarnation and recovers") {
  for (const std::size_t n : {2u, 3u}) {
    CAPTURE(n);
    const std::size_t subject = n - 1;
    // The subject's own probes take long to conclude (a 9 s timeout, pings resent
    // within it), so losing its datagrams for a moment makes the others suspect it
    // without it suspecting anyone: only one side of the story to check.
    std::vector<Config> configs(n, Config::local());
    configs[subject].probe_interval = seconds(10);
    configs[subject].probe_timeout = seconds(9);
    Wiring w(configs, 40 + n);
    start_cluster(w, n);
    REQUIRE(w.run_for(seconds(10), [&] { return w.all_alive(); }));
    w.run_for(seconds(5));
    // Everything the subject sends is lost (its acks included); it still hears.
    for (std::size_t i = 0; i < subject; ++i) w.cut(subject, i);
    auto suspected_by_all = [&] {
      for (std::size_t i = 0; i < subject; ++i) {
        if (w.state(i, subject) != MemberState::suspect) return false;
      }
      return true;
    };
    REQUIRE(w.run_for(seconds(10), suspected_by_all));
    // It heard of the suspicion (the accuser tells it directly) and refuted at once.
    CHECK(w.node(subject).stats().refutations >= 1);
    CHECK(w.node(subject).member(w.id(subject))->incarnation >= 2);
    // Lifeguard: being suspected hints that the subject itself is the slow one.
    CHECK(w.node(subject).local_health() >= 1);
    // Its datagrams get through again: the refutation reaches the others.
    for (std::size_t i = 0; i < subject; ++i) w.cut(subject, i, false);
    CHECK(w.run_for(seconds(10), [&] { return w.all_alive(); }));
    const std::uint64_t incarnation = w.node(subject).member(w.id(subject))->incarnation;
    for (std::size_t i = 0; i < subject; ++i) {
      CAPTURE(i);
      const auto m = w.node(i).member(w.id(subject));
      REQUIRE(m.has_value());
      CHECK(m->state == MemberState::alive);
      CHECK(m->incarnation == incarnation);
      const auto suspected = w.events_about(i, subject, Kind::suspected);
      const auto recovered = w.events_about(i, subject, Kind::recovered);
      REQUIRE(suspected.size() == 1);
      CHECK(suspected[0].incarnation == 1);
      REQUIRE(recovered.size() == 1);
      CHECK(recovered[0].at >= suspected[0].at);
      CHECK(recovered[0].incarnation == incarnation);
      CHECK(w.events_about(i, subject, Kind::failed).empty());
      CHECK(w.node(i).stats().refutations == 0);  // nobody else was accused
    }
    CHECK(count_kind(w.events(subject), Kind::suspected) == 0);
    CHECK(count_kind(w.events(subject), Kind::failed) == 0);
  }
}

}  // namespace
}  // namespace swell
