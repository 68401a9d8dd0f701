// MemberTable: lookups by id and compact name through removals and growth.
#include <doctest/doctest.h>

#include <vector>

#include "swim/member_table.h"

namespace swell::swim {
namespace {

ClaimRef claim_about(std::uint32_t i) {
  auto* c = new StoredClaim{};
  std::array<std::uint8_t, NodeId::kSize> bytes{};
  for (std::size_t k = 0; k < bytes.size(); ++k) bytes[k] = static_cast<std::uint8_t>((i * 2654435761u) >> (k % 4 * 8));
  bytes[31] = static_cast<std::uint8_t>(i);
  c->subject = NodeId(bytes);
  c->kind = wire::MessageKind::alive;
  c->incarnation = i;
  return ClaimRef::take(c);
}

TEST_CASE("a member record stays 24 bytes") { CHECK(sizeof(Member) == 24); }

TEST_CASE("members are found by id and prefix through growth and removal") {
  MemberTable table(42);
  std::vector<ClaimRef> claims;
  for (std::uint32_t i = 0; i < 500; ++i) {
    claims.push_back(claim_about(i));
    CHECK(table.add(Member(claims.back(), Time(0))) == i);
  }
  CHECK(table.count(MemberState::alive) == 500);
  for (std::uint32_t i = 0; i < 500; i += 3) table.remove(*table.find(claims[i]->subject));
  for (std::uint32_t i = 0; i < 500; ++i) {
    const auto index = table.find(claims[i]->subject);
    CHECK(index.has_value() == (i % 3 != 0));
    if (index) {
      CHECK(table.at(*index).id() == claims[i]->subject);
      CHECK(table.find_prefix(claims[i]->subject.prefix64()) == index);
    }
  }
}

TEST_CASE("state changes keep counts and their time to the second, rounded down") {
  MemberTable table(1);
  ClaimRef c = claim_about(1);
  const auto i = table.add(Member(c, Time(2'500'000)));
  CHECK(table.at(i).state_since() == Time(2'000'000));
  table.set_state(i, MemberState::dead, Time(-1'500'000));
  CHECK(table.at(i).state_since() == Time(-2'000'000));
  CHECK(table.count(MemberState::dead) == 1);
  CHECK(table.count(MemberState::alive) == 0);
}

}  // namespace
}  // namespace swell::swim
