// swell::Node instances wired together by hand through the public API (swell/node.h)
// only, as foca's can_join_with_another_client does: the test passes each datagram to
// the addressed node's receive(), runs each stream through handle_stream() and
// stream_response(), and moves time straight to the earliest next_tick(). No simulator,
// socket, clock or sleep; delivery is instant, and a link is cut by not delivering.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "swell/config.h"
#include "swell/events.h"
#include "swell/identity.h"
#include "swell/node.h"
#include "swell/rng.h"

namespace swell {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Kind = MembershipEvent::Kind;

/// A few nodes and the links between them; member i listens at "n<i>.test:7946".
class Wiring {
 public:
  Wiring(std::size_t n, const Config& config, std::uint64_t seed) : Wiring(std::vector<Config>(n, config), seed) {}
  /// Member i runs configs[i].
  Wiring(const std::vector<Config>& configs, std::uint64_t seed) {
    for (std::size_t i = 0; i < configs.size(); ++i) {
      const Config& config = configs[i];
      std::array<std::uint8_t, Identity::kSeedSize> key_seed{};
      key_seed[0] = static_cast<std::uint8_t>(i + 1);
      key_seed[1] = static_cast<std::uint8_t>(seed);
      auto identity = Identity::from_seed(key_seed);
      REQUIRE(identity.ok());
      PeerInfo info;
      info.id = "node-" + std::to_string(i);
      info.address = "10.0.0." + std::to_string(i + 1) + ":3000";
      info.metrics_port = 9090;
      const std::string address = "n" + std::to_string(i) + ".test:7946";
      auto node = Node::create(std::move(identity.value()), config, std::move(info), address,
                               Rng(seed * 1000 + i), now_);
      REQUIRE(node.ok());
      members_.push_back(Member{address, std::move(node.value()), {}});
    }
  }

  Node& node(std::size_t i) { return members_[i].node; }
  const NodeId& id(std::size_t i) { return members_[i].node.id(); }
  const std::string& address(std::size_t i) const { return members_[i].address; }
  Time now() const { return now_; }
  /// Every event member i emitted so far, in order.
  const std::vector<MembershipEvent>& events(std::size_t i) const { return members_[i].events; }

  /// Drops (true) or delivers again (false) everything from `from` to `to`.
  void cut(std::size_t from, std::size_t to, bool cut = true) {
    if (cut) cut_.insert({from, to});
    else cut_.erase({from, to});
  }
  /// Cuts (or restores) every link into and out of member i.
  void isolate(std::size_t i, bool isolated = true) {
    for (std::size_t j = 0; j < members_.size(); ++j) {
      if (j == i) continue;
      cut(i, j, isolated);
      cut(j, i, isolated);
    }
  }

  /// Delivers every output of every node, and what that causes, at the current time.
  void flush() {
    for (int round = 0;; ++round) {
      REQUIRE(round < 10000);  // the nodes would be answering each other forever
      bool any = false;
      for (std::size_t i = 0; i < members_.size(); ++i) {
        for (MembershipEvent& e : members_[i].node.drain_events()) members_[i].events.push_back(std::move(e));
        for (OutgoingDatagram& d : members_[i].node.drain_datagrams()) {
          any = true;
          const auto to = index_of(d.address);
          if (!to || !delivers(i, *to)) continue;
          (void)members_[*to].node.receive(members_[i].address, d.bytes, now_);
        }
        for (StreamRequest& s : members_[i].node.drain_streams()) {
          any = true;
          const auto to = index_of(s.address);
          if (!to) {
            members_[i].node.stream_failed(s.stream_id, now_);  // connection refused
            continue;
          }
          // A cut link loses the connection attempt: the caller's stream timeout acts.
          if (!delivers(i, *to) || !delivers(*to, i)) continue;
          auto reply = members_[*to].node.handle_stream(members_[i].address, s.bytes, now_);
          if (reply.ok()) {
            (void)members_[i].node.stream_response(s.stream_id, reply.value(), now_);
          } else {
            members_[i].node.stream_failed(s.stream_id, now_);
          }
        }
      }
      if (!any) break;
    }
    for (Member& m : members_) {
      for (MembershipEvent& e : m.node.drain_events()) m.events.push_back(std::move(e));
    }
  }

  /// The earliest deadline of any node.
  Time next_tick() const {
    Time next = kNever;
    for (const Member& m : members_) next = std::min(next, m.node.next_tick());
    return next;
  }

  /// Jumps to each earliest deadline in turn, up to `until`, ticking the nodes due.
  /// Stops early (returning true) once done() holds after a step.
  bool run_until(Time until, const std::function<bool()>& done = nullptr) {
    flush();
    if (done && done()) return true;
    for (;;) {
      const Time next = next_tick();
      if (next == kNever || next > until) break;
      now_ = std::max(now_, next);
      for (Member& m : members_) {
        if (m.node.next_tick() <= now_) m.node.tick(now_);
      }
      flush();
      if (done && done()) return true;
    }
    now_ = std::max(now_, until);
    return false;
  }
  bool run_for(Duration d, const std::function<bool()>& done = nullptr) { return run_until(now_ + d, done); }

  /// Member i's view of member j, if it knows it.
  std::optional<MemberState> state(std::size_t i, std::size_t j) const {
    const auto m = members_[i].node.member(members_[j].node.id());
    if (!m) return std::nullopt;
    return m->state;
  }
  /// Events member i emitted about member j of the given kind.
  std::vector<MembershipEvent> events_about(std::size_t i, std::size_t j, Kind kind) const {
    std::vector<MembershipEvent> out;
    for (const MembershipEvent& e : members_[i].events) {
      if (e.member == members_[j].node.id() && e.kind == kind) out.push_back(e);
    }
    return out;
  }
  /// True when every member sees every other alive.
  bool all_alive() const {
    for (std::size_t i = 0; i < members_.size(); ++i) {
      for (std::size_t j = 0; j < members_.size(); ++j) {
        if (i != j && state(i, j) != MemberState::alive) return false;
      }
    }
    return true;
  }

 private:
  struct Member {
    std::string address;
    Node node;
    std::vector<MembershipEvent> events;
  };
  std::optional<std::size_t> index_of(const std::string& address) const {
    for (std::size_t i = 0; i < members_.size(); ++i) {
      if (members_[i].address == address) return i;
    }
    return std::nullopt;
  }
  bool delivers(std::size_t from, std::size_t to) const { return cut_.count({from, to}) == 0; }

  std::vector<Member> members_;
  std::set<std::pair<std::size_t, std::size_t>> cut_;
  Time now_{0};
};

/// Node 0 starts the cluster; every other node joins through it.
void start_cluster(Wiring& w, std::size_t n) {
  REQUIRE(w.node(0).join({}, w.now()).ok());
  for (std::size_t i = 1; i < n; ++i) REQUIRE(w.node(i).join({w.address(0)}, w.now()).ok());
}

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
