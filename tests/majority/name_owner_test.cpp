// NameOwner: the rule that picks one owner among keys claiming one name, and the
// losses NameOwnership reports as name_conflict events.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>

#include "majority/name_owner.h"

using namespace swell;
using namespace swell::majority;

namespace {

NodeId key(std::uint8_t first) {
  std::array<std::uint8_t, NodeId::kSize> raw{};
  raw[0] = first;
  raw[31] = 1;
  return NodeId(raw);
}

PeerInfo claim_of(std::uint8_t k, const std::string& name, std::uint64_t updated_ms, std::uint64_t version = 1) {
  PeerInfo info;
  info.id = name;
  info.address = "10.0.0." + std::to_string(k) + ":3000";
  info.last_updated_ms = updated_ms;
  info.version = version;
  info.owner = key(k);
  return info;
}

}  // namespace

TEST_CASE("only names two or more keys claim are contested, sorted by name then key") {
  const PeerInfo a = claim_of(3, "backend-7", 100), b = claim_of(1, "backend-7", 200), c = claim_of(2, "proxy-1", 100),
                 d = claim_of(4, "alpha", 5), e = claim_of(5, "alpha", 5);
  const std::vector<NameClaim> claims = {{&a}, {&c}, {&e}, {&b}, {&d}};
  const auto groups = contested_names(claims);
  REQUIRE(groups.size() == 2);
  CHECK(groups[0][0].info->id == "alpha");
  CHECK(groups[0][0].info->owner == key(4));
  CHECK(groups[0][1].info->owner == key(5));
  CHECK(groups[1][0].info->owner == key(1));
  CHECK(groups[1][1].info->owner == key(3));
  CHECK(contested_names(std::vector<NameClaim>{{&a}, {&c}}).empty());
}

TEST_CASE("the owner: most votes, then the newer announcement, then the report order") {
  const PeerInfo old_key = claim_of(1, "backend-7", 1000, 9), new_key = claim_of(2, "backend-7", 2000, 1);
  struct Case {
    std::size_t old_votes, new_votes;
    NodeId owner;
  };
  for (const Case& c : {Case{5, 5, key(2)},    // tie: the re-created key announced later
                        Case{7, 5, key(1)},    // most members hear the original only
                        Case{0, 0, key(2)},    // SWIM mode: no votes, announcement order
                        Case{3, 4, key(2)}}) {
    const std::vector<NameClaim> claims = {{&old_key, c.old_votes}, {&new_key, c.new_votes}};
    CHECK(choose_name_owner(claims).owner == c.owner);
  }
  // Same time: the higher version, then the smaller grouping key (address).
  const PeerInfo x = claim_of(5, "n", 10, 2), y = claim_of(6, "n", 10, 3), z = claim_of(7, "n", 10, 3);
  CHECK(choose_name_owner(std::vector<NameClaim>{{&x}, {&y}}).owner == key(6));
  CHECK(choose_name_owner(std::vector<NameClaim>{{&z}, {&y}}).owner == key(6));  // 10.0.0.6 < 10.0.0.7
}

TEST_CASE("the owner does not depend on the order of the claims") {
  std::vector<PeerInfo> infos;
  for (std::uint8_t k = 1; k <= 6; ++k) infos.push_back(claim_of(k, "n", 100 + k % 3, k % 2));
  std::vector<NameClaim> claims;
  for (std::size_t i = 0; i < infos.size(); ++i) claims.push_back({&infos[i], i % 2 == 0 ? 4u : 3u});
  const NodeId first = choose_name_owner(claims).owner;
  std::sort(claims.begin(), claims.end(), [](const NameClaim& a, const NameClaim& b) { return a.info->owner < b.info->owner; });
  do {
    CHECK(choose_name_owner(claims).owner == first);
  } while (std::next_permutation(claims.begin(), claims.end(), [](const NameClaim& a, const NameClaim& b) {
    return a.info->owner < b.info->owner;
  }));
}

TEST_CASE("a voter votes for a key unless its view lists the key unreachable") {
  ReachabilityView cannot_hear_1({key(1).prefix64()});
  const ReachabilityView hears_all;
  const std::vector<NameVoter> voters = {{key(1), &cannot_hear_1},  // its own view never counts against it
                                         {key(2), &cannot_hear_1},
                                         {key(3), &hears_all},
                                         {key(4), nullptr}};        // no view received: reachable
  CHECK(reachable_votes(key(1), voters) == 3);
  CHECK(reachable_votes(key(2), voters) == 4);
}

TEST_CASE("NameOwnership reports each loss once, again when the owner changes, and forgets settled names") {
  PeerInfo a = claim_of(1, "backend-7", 1000), b = claim_of(2, "backend-7", 2000);
  NameOwnership ownership;
  auto losses = ownership.settle(contested_names(std::vector<NameClaim>{{&a}, {&b}}));
  REQUIRE(losses.size() == 1);
  CHECK(losses[0].loser == key(1));
  CHECK(losses[0].owner == key(2));
  CHECK(losses[0].name == "backend-7");
  CHECK(ownership.lost_to(key(1)) == key(2));
  CHECK_FALSE(ownership.lost_to(key(2)).has_value());
  CHECK(ownership.owner_of("backend-7") == key(2));
  CHECK(ownership.settle(contested_names(std::vector<NameClaim>{{&b}, {&a}})).empty());  // no news

  a.last_updated_ms = 3000;  // the original announces again, later: the name follows it
  losses = ownership.settle(contested_names(std::vector<NameClaim>{{&a}, {&b}}));
  REQUIRE(losses.size() == 1);
  CHECK(losses[0].loser == key(2));
  CHECK(ownership.lost_to(key(1)) == std::nullopt);

  CHECK(ownership.settle(contested_names(std::vector<NameClaim>{{&a}})).empty());  // b failed: one claimant
  CHECK_FALSE(ownership.any());
  CHECK_FALSE(ownership.lost_to(key(2)).has_value());
  CHECK_FALSE(ownership.owner_of("backend-7").has_value());
}
