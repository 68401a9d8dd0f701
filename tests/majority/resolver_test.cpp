// The Resolver's rule, case by case, then against the reference restatement on random
// inputs and under shuffles (the shared workloads: workloads_test.cpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "reference_resolver.h"
#include "swell/resolver.h"
#include "workload_file.h"

using swell::NodeType;
using swell::PeerInfo;
using swell::ResolvedPeers;
using swell::ResolveIssue;
using swell::ResolveIssueKind;
using swell::Resolver;
using swell::Resolution;
using Views = std::vector<std::vector<PeerInfo>>;

namespace {

PeerInfo report(const std::string& id, const std::string& address, std::uint64_t ms, std::uint16_t port = 9090,
                NodeType type = NodeType::backend, bool load_balancer = false) {
  PeerInfo info;
  info.id = id;
  info.address = address;
  info.last_updated_ms = ms;
  info.metrics_port = port;
  info.node_type = type;
  info.is_load_balancer = load_balancer;
  return info;
}

ResolvedPeers resolve(const Views& views, swell::ResolverConfig config = {}) {
  Resolver resolver(std::move(config));
  auto result = resolver.resolve_copy(views);
  REQUIRE(result.ok());
  return std::move(result).value();
}

// A random cluster view set that exercises every rule: few addresses and timestamps (so
// groups and ties collide), duplicates, invalid entries, versions, owners and metadata.
Views random_views(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto below = [&](std::uint64_t n) { return rng() % n; };
  // Ids and addresses over 16 bytes, some differing only in the middle, take the paths
  // that the resolver's two-word comparison cannot decide alone.
  static const char* const kIds[] = {"a",       "b",       "backend-1",  "backend-10",
                                     "backend-2", "proxy-0", "governator-11",
                                     "a-very-long-shared-prefix-1", "a-very-long-shared-prefix-2",
                                     "a-very-long-shared-prefix-10", "long-id-0000-aaaa-end",
                                     "long-id-0000-bbbb-end"};
  static const char* const kAddresses[] = {"10.0.0.5:3000", "10.0.0.6:3000", "10.0.0.10:3000",
                                           "[::1]:3000", "node.example:80", "host-aaa.one.svc:3000",
                                           "host-aaa.two.svc:3000"};
  static const std::uint16_t kPorts[] = {9090, 10000, 909};
  const std::size_t peers = 1 + below(9);
  const std::size_t ids = 1 + below(std::size(kIds));
  Views views(peers);
  for (auto& view : views) {
    for (std::size_t n = 0; n < ids; ++n) {
      if (below(10) < 2) continue;  // this peer does not know the node
      const std::size_t copies = below(8) == 0 ? 2 + below(2) : 1;
      for (std::size_t c = 0; c < copies; ++c) {
        const std::size_t usual = n % 2 + (n >= 10 ? 5 : 0);  // the long ids mostly use long addresses
        PeerInfo info = report(kIds[n], kAddresses[below(3) == 0 ? below(std::size(kAddresses)) : usual],
                               1000 + 100 * below(3), kPorts[below(4) == 0 ? below(3) : 0],
                               static_cast<NodeType>(below(6) == 0 ? below(3) : n % 3), below(5) == 0);
        info.version = below(4) == 0 ? 1 : 0;
        if (below(6) == 0) {
          std::array<std::uint8_t, swell::NodeId::kSize> key{};
          key[0] = static_cast<std::uint8_t>(1 + below(2));
          info.owner = swell::NodeId(key);
        }
        if (below(6) == 0) info.metadata = {static_cast<std::uint8_t>(below(3))};
        switch (below(30)) {
          case 0: info.address = "no-port"; break;
          case 1: info.node_type = static_cast<NodeType>(7); break;
          case 2: info.metadata.assign(600, 1); break;
          case 3: info.id = "has space"; break;
          default: break;
        }
        view.push_back(std::move(info));
      }
    }
    std::shuffle(view.begin(), view.end(), rng);
  }
  return views;
}

Views shuffled(Views views, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::shuffle(views.begin(), views.end(), rng);
  for (auto& view : views) std::shuffle(view.begin(), view.end(), rng);
  return views;
}

}  // namespace

TEST_CASE("a single peer's view is the answer, with no conflicts") {
  const Views views = {{report("b", "10.0.0.2:3000", 5), report("a", "10.0.0.1:3000", 7)}};
  const ResolvedPeers r = resolve(views);
  REQUIRE(r.peers.size() == 2);
  CHECK(r.peers[0] == views[0][1]);  // sorted by id
  CHECK(r.peers[1] == views[0][0]);
  CHECK(r.metrics.peers == 1);
  CHECK(r.metrics.threshold == 1);
  CHECK(r.metrics.nodes == 2);
  CHECK(r.metrics.conflicts == 0);
  CHECK(r.issues.empty());
}

TEST_CASE("a clear majority wins over a newer minority, and its newest record is returned") {
  const Views views = {{report("n", "10.0.0.1:3000", 100)},
                       {report("n", "10.0.0.1:3000", 120)},
                       {report("n", "10.0.0.1:3000", 110)},
                       {report("n", "10.0.0.2:3000", 900)},
                       {report("n", "10.0.0.2:3000", 900)}};
  const ResolvedPeers r = resolve(views);
  REQUIRE(r.peers.size() == 1);
  CHECK(r.peers[0] == views[1][0]);
  CHECK(r.metrics.threshold == 3);
  CHECK(r.metrics.conflicts == 1);
  CHECK(r.metrics.tie_breaks == 0);
  CHECK(r.metrics.ambiguous_majorities == 0);
}

TEST_CASE("a node every peer agrees on still counts as a conflict, as in the seed") {
  const Views views = {{report("n", "10.0.0.1:3000", 1)}, {report("n", "10.0.0.1:3000", 1)}};
  const ResolvedPeers r = resolve(views);
  CHECK(r.metrics.conflicts == 1);
  CHECK(r.metrics.tie_breaks == 0);
}

TEST_CASE("an exact split (even P) goes to the newer group, then to the smaller grouping key") {
  SUBCASE("newer group") {
    const Views views = {{report("n", "10.0.0.1:3000", 100)},
                         {report("n", "10.0.0.1:3000", 100)},
                         {report("n", "10.0.0.2:3000", 200)},
                         {report("n", "10.0.0.2:3000", 150)}};
    const ResolvedPeers r = resolve(views);
    CHECK(r.peers.at(0) == views[2][0]);
    CHECK(r.metrics.ambiguous_majorities == 1);
    CHECK(r.metrics.tie_breaks == 0);
  }
  SUBCASE("equal timestamps: the formatted key \"10.0.0.10:3000-...\" sorts before \"10.0.0.9:3000-...\"") {
    const Views views = {{report("n", "10.0.0.9:3000", 100)}, {report("n", "10.0.0.10:3000", 100)}};
    const ResolvedPeers r = resolve(views);
    CHECK(r.peers.at(0).address == "10.0.0.10:3000");
    CHECK(r.metrics.ambiguous_majorities == 1);
  }
  SUBCASE("equal timestamps and address: port 10000 sorts before 9090, as decimal text") {
    const Views views = {{report("n", "10.0.0.1:3000", 100, 9090)}, {report("n", "10.0.0.1:3000", 100, 10000)}};
    CHECK(resolve(views).peers.at(0).metrics_port == 10000);
  }
  SUBCASE("then node type name, then false before true") {
    const Views by_type = {{report("n", "10.0.0.1:3000", 100, 9090, NodeType::proxy)},
                           {report("n", "10.0.0.1:3000", 100, 9090, NodeType::governator)}};
    CHECK(resolve(by_type).peers.at(0).node_type == NodeType::governator);
    const Views by_flag = {{report("n", "10.0.0.1:3000", 100, 9090, NodeType::proxy, true)},
                           {report("n", "10.0.0.1:3000", 100, 9090, NodeType::proxy, false)}};
    CHECK_FALSE(resolve(by_flag).peers.at(0).is_load_balancer);
  }
}

TEST_CASE("with no group at the threshold, the newest report overall wins (a tie-break)") {
  const Views views = {{report("n", "10.0.0.1:3000", 100)}, {report("n", "10.0.0.1:3000", 100)},
                       {report("n", "10.0.0.2:3000", 300)}, {report("n", "10.0.0.3:3000", 200)},
                       {report("n", "10.0.0.3:3000", 200)}};
  SUBCASE("newest") {
    const ResolvedPeers r = resolve(views);
    CHECK(r.metrics.threshold == 3);
    CHECK(r.peers.at(0) == views[2][0]);
    CHECK(r.metrics.tie_breaks == 1);
    CHECK(r.metrics.conflicts == 1);
  }
  SUBCASE("equal newest timestamps: the smaller grouping key") {
    Views tied = views;
    tied[3][0].last_updated_ms = 300;
    CHECK(resolve(tied).peers.at(0).address == "10.0.0.2:3000");
    tied[3][0].address = "10.0.0.1:3001";
    CHECK(resolve(tied).peers.at(0).address == "10.0.0.1:3001");
  }
}

TEST_CASE("a peer listing an id twice counts once, with its newest report, and is reported") {
  // Counting peer 0's first report would give 10.0.0.1 a majority of 2; its newest names .2.
  const Views views = {{report("n", "10.0.0.1:3000", 100), report("m", "10.0.0.9:3000", 1),
                        report("n", "10.0.0.2:3000", 500)},
                       {report("n", "10.0.0.2:3000", 400)},
                       {report("n", "10.0.0.1:3000", 100)}};
  const ResolvedPeers r = resolve(views);
  REQUIRE(r.peers.size() == 2);
  CHECK(r.peers[1] == views[0][2]);
  CHECK(r.metrics.duplicate_reports == 1);
  CHECK(r.metrics.conflicts == 1);  // m has one report; n has three, one per peer
  REQUIRE(r.issues.size() == 1);
  CHECK(r.issues[0] == ResolveIssue{ResolveIssueKind::duplicate_report, 0, 2});

  SUBCASE("a single peer's duplicate is no conflict") {
    const Views one = {{report("n", "10.0.0.1:3000", 100), report("n", "10.0.0.1:3000", 300)}};
    const ResolvedPeers s = resolve(one);
    CHECK(s.peers.at(0) == one[0][1]);
    CHECK(s.metrics.conflicts == 0);
    CHECK(s.metrics.duplicate_reports == 1);
  }
}

TEST_CASE("invalid entries are skipped and reported, and never count toward a majority") {
  PeerInfo bad_address = report("n", "10.0.0.7", 999);
  PeerInfo bad_type = report("n", "10.0.0.7:3000", 999);
  bad_type.node_type = static_cast<NodeType>(9);
  PeerInfo big_metadata = report("n", "10.0.0.7:3000", 999);
  big_metadata.metadata.assign(513, 0);
  PeerInfo bad_id = report("", "10.0.0.1:3000", 5);
  const Views views = {{bad_address, report("n", "10.0.0.1:3000", 10)},
                       {bad_type, report("n", "10.0.0.1:3000", 10)},
                       {big_metadata},
                       {bad_id}};
  const ResolvedPeers r = resolve(views);
  REQUIRE(r.peers.size() == 1);
  CHECK(r.peers[0] == views[0][1]);
  CHECK(r.metrics.threshold == 2);
  CHECK(r.metrics.invalid_entries == 4);
  CHECK(r.metrics.nodes == 1);
  const std::vector<ResolveIssue> expected = {{ResolveIssueKind::invalid_peer_info, 0, 0},
                                              {ResolveIssueKind::invalid_peer_info, 1, 0},
                                              {ResolveIssueKind::invalid_peer_info, 2, 0},
                                              {ResolveIssueKind::invalid_peer_info, 3, 0}};
  CHECK(r.issues == expected);

  SUBCASE("limits come from the config") {
    swell::ResolverConfig config;
    config.limits.max_metadata_bytes = 1024;
    CHECK(resolve(views, config).metrics.invalid_entries == 3);
  }
  SUBCASE("an id whose only reports are invalid is not in the answer") {
    const Views only_bad = {{bad_address}, {bad_type}};
    const ResolvedPeers s = resolve(only_bad);
    CHECK(s.peers.empty());
    CHECK(s.metrics.nodes == 0);
    CHECK(s.metrics.invalid_entries == 2);
  }
  SUBCASE("a valid report after an invalid first one still counts") {
    const Views later = {{bad_address}, {report("n", "10.0.0.1:3000", 10)}, {report("n", "10.0.0.1:3000", 12)}};
    const ResolvedPeers s = resolve(later);
    REQUIRE(s.peers.size() == 1);
    CHECK(s.peers[0] == later[2][0]);
    CHECK(s.metrics.conflicts == 1);
  }
}

TEST_CASE("a first view that lists an id twice is resolved like any other view") {
  // The first view's ids are taken as distinct until shown otherwise; each way of showing
  // it (a later lookup, the final sort) must end in the same answer as the reference.
  const PeerInfo older = report("n", "10.0.0.1:3000", 100);
  const PeerInfo newer = report("n", "10.0.0.2:3000", 300);
  const PeerInfo other = report("m", "10.0.0.9:3000", 5);
  const std::vector<Views> cases = {
      {{older, other, newer}, {newer}, {older}},         // later views follow the first one's order
      {{older, other, newer}, {other, newer}, {older}},  // a later view needs a lookup
      {{older, newer}},                                  // a single view
      {{newer, older}, {}, {older, other}},
  };
  for (const Views& views : cases) {
    const swell::reference::Answer expected = swell::reference::resolve(views);
    const ResolvedPeers got = resolve(views);
    CHECK(got.peers == expected.winners);
    CHECK(got.metrics == expected.metrics);
    CHECK(got.metrics.duplicate_reports == 1);
  }
}

TEST_CASE("no peer views is an error value; empty views are an empty answer") {
  Resolver resolver;
  Resolution resolution;
  const Views none;
  const auto status = resolver.resolve(none, resolution);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code == swell::ErrorCode::no_peer_views);
  CHECK(status.error().message.find("no peer views") != std::string::npos);
  CHECK(resolution.winners().empty());
  CHECK_FALSE(resolver.resolve_copy(none).ok());

  const Views empty(3);
  REQUIRE(resolver.resolve(empty, resolution).ok());
  CHECK(resolution.winners().empty());
  CHECK(resolution.metrics().peers == 3);
  CHECK(resolution.metrics().nodes == 0);
}

TEST_CASE("winners point into the caller's views; borrowed spans give the same answer") {
  const Views views = random_views(3);
  Resolver resolver;
  Resolution owned;
  REQUIRE(resolver.resolve(views, owned).ok());
  for (const PeerInfo* winner : owned.winners()) {
    const bool inside = std::any_of(views.begin(), views.end(), [&](const std::vector<PeerInfo>& view) {
      return !view.empty() && winner >= view.data() && winner < view.data() + view.size();
    });
    CHECK(inside);
  }
  std::vector<std::span<const PeerInfo>> spans(views.begin(), views.end());
  Resolution borrowed;
  REQUIRE(resolver.resolve(std::span<const std::span<const PeerInfo>>(spans), borrowed).ok());
  CHECK(std::equal(owned.winners().begin(), owned.winners().end(), borrowed.winners().begin(),
                   borrowed.winners().end()));
  CHECK(owned.metrics() == borrowed.metrics());
}

TEST_CASE("the Resolver matches the reference restatement of the rule on random inputs") {
  Resolver resolver;  // one resolver throughout: leftovers of a bigger input must not leak
  swell::ResolveMetrics seen;  // totals, to show every rule was exercised
  for (std::uint64_t seed = 1; seed <= 3000; ++seed) {
    CAPTURE(seed);
    const Views views = random_views(seed);
    const swell::reference::Answer expected = swell::reference::resolve(views);
    auto got = resolver.resolve_copy(views);
    REQUIRE(got.ok());
    REQUIRE(got.value().metrics == expected.metrics);
    REQUIRE(got.value().peers == expected.winners);
    REQUIRE(got.value().issues.size() == expected.metrics.duplicate_reports + expected.metrics.invalid_entries);
    seen.conflicts += expected.metrics.conflicts;
    seen.tie_breaks += expected.metrics.tie_breaks;
    seen.ambiguous_majorities += expected.metrics.ambiguous_majorities;
    seen.duplicate_reports += expected.metrics.duplicate_reports;
    seen.invalid_entries += expected.metrics.invalid_entries;
  }
  MESSAGE("conflicts " << seen.conflicts << ", tie-breaks " << seen.tie_breaks << ", ambiguous "
                       << seen.ambiguous_majorities << ", duplicates " << seen.duplicate_reports << ", invalid "
                       << seen.invalid_entries);
  CHECK(seen.tie_breaks > 100);
  CHECK(seen.ambiguous_majorities > 100);
  CHECK(seen.duplicate_reports > 100);
  CHECK(seen.invalid_entries > 100);
}

TEST_CASE("the answer does not depend on the order of peers or entries") {
  Resolver resolver;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    const Views views = random_views(seed);
    auto first = resolver.resolve_copy(views);
    REQUIRE(first.ok());
    for (std::uint64_t shuffle = 1; shuffle <= 5; ++shuffle) {
      auto again = resolver.resolve_copy(shuffled(views, seed * 31 + shuffle));
      REQUIRE(again.ok());
      REQUIRE(again.value().peers == first.value().peers);
      REQUIRE(again.value().metrics == first.value().metrics);
    }
  }
}

TEST_CASE("the health signal is off by default and, when set, breaks only ties") {
  // Prefers addresses ending in ".2:3000".
  const swell::HealthScore prefer_two = [](const PeerInfo& c) -> std::int64_t {
    return c.address.find(".2:3000") != std::string::npos ? 10 : 0;
  };
  swell::ResolverConfig with_health;
  with_health.health = prefer_two;

  SUBCASE("exact split") {
    const Views split = {{report("n", "10.0.0.1:3000", 200)}, {report("n", "10.0.0.2:3000", 100)}};
    CHECK(resolve(split).peers.at(0).address == "10.0.0.1:3000");
    CHECK(resolve(split, with_health).peers.at(0).address == "10.0.0.2:3000");
  }
  SUBCASE("no majority") {
    const Views none = {{report("n", "10.0.0.1:3000", 300)},
                        {report("n", "10.0.0.2:3000", 100)},
                        {report("n", "10.0.0.3:3000", 200)}};
    CHECK(resolve(none).peers.at(0).address == "10.0.0.1:3000");
    const ResolvedPeers r = resolve(none, with_health);
    CHECK(r.peers.at(0).address == "10.0.0.2:3000");
    CHECK(r.metrics.tie_breaks == 1);
  }
  SUBCASE("a clear majority is never overruled") {
    const Views clear = {{report("n", "10.0.0.1:3000", 1)},
                         {report("n", "10.0.0.1:3000", 1)},
                         {report("n", "10.0.0.2:3000", 9)}};
    CHECK(resolve(clear, with_health).peers.at(0).address == "10.0.0.1:3000");
  }
  SUBCASE("a throwing signal counts as least healthy and never escapes") {
    swell::ResolverConfig throwing;
    throwing.health = [](const PeerInfo& c) -> std::int64_t {
      if (c.address.find(".1:3000") != std::string::npos) throw std::runtime_error("metrics endpoint down");
      return 0;
    };
    const Views split = {{report("n", "10.0.0.1:3000", 200)}, {report("n", "10.0.0.2:3000", 100)}};
    CHECK(resolve(split, throwing).peers.at(0).address == "10.0.0.2:3000");
  }
  SUBCASE("matches the reference on random inputs") {
    const swell::HealthScore by_port = [](const PeerInfo& c) -> std::int64_t { return c.metrics_port % 7; };
    swell::ResolverConfig config;
    config.health = by_port;
    Resolver resolver(config);
    for (std::uint64_t seed = 1; seed <= 500; ++seed) {
      CAPTURE(seed);
      const Views views = random_views(seed);
      auto got = resolver.resolve_copy(views);
      REQUIRE(got.ok());
      REQUIRE(got.value().peers == swell::reference::resolve(views, {}, by_port).winners);
    }
  }
}

TEST_CASE("a Resolver moved from, or reused after bigger inputs, still answers correctly") {
  Resolver first;
  Resolver second(std::move(first));
  const Views small = random_views(11);
  const Views big = swell::workload::parse_workload(
                        "0 a 10.0.0.1:1 1 proxy 0 5\n1 a 10.0.0.1:1 1 proxy 0 6\n2 b 10.0.0.2:1 1 backend 0 5\n")
                        .value();
  for (int round = 0; round < 3; ++round) {
    REQUIRE(second.resolve_copy(big).value().peers == swell::reference::resolve(big).winners);
    REQUIRE(second.resolve_copy(small).value().peers == swell::reference::resolve(small).winners);
  }
  auto after_move = first.resolve_copy(small);  // NOLINT(bugprone-use-after-move): documented as usable
  REQUIRE(after_move.ok());
  CHECK(after_move.value().peers == swell::reference::resolve(small).winners);
}
