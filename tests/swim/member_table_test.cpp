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

TEST_CASE("replace puts another member at an index: found by its id, the old one gone, digest kept") {
  MemberTable table(7);
  std::vector<ClaimRef> claims;
  for (std::uint32_t i = 0; i < 40; ++i) {
    claims.push_back(claim_about(i));
    table.add(Member(claims.back(), Time(0)));
  }
  table.set_state(0, MemberState::suspect, Time(0));
  const ClaimRef successor = claim_about(1000);
  table.replace(0, Member(successor, Time(0)));
  CHECK(table.find(successor->subject) == 0u);
  CHECK_FALSE(table.find(claims[0]->subject).has_value());
  CHECK(table.find_prefix(successor->subject.prefix64()) == 0u);
  CHECK(table.size() == 40);
  CHECK(table.count(MemberState::alive) == 40);
  CHECK(table.count(MemberState::suspect) == 0);
  CHECK(table.digest() == table.recompute_digest());
  for (std::uint32_t i = 1; i < 40; ++i) CHECK(table.find(claims[i]->subject) == i);
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

TEST_CASE("the digest kept on every change equals one computed from scratch") {
  MemberTable a(3), b(4);
  std::vector<ClaimRef> claims;
  for (std::uint32_t i = 0; i < 64; ++i) claims.push_back(claim_about(i));
  // The same members, added in opposite orders, with the same changes applied.
  for (std::uint32_t i = 0; i < 64; ++i) a.add(Member(claims[i], Time(0)));
  for (std::uint32_t i = 64; i-- > 0;) b.add(Member(claims[i], Time(0)));
  CHECK(a.digest() == b.digest());
  CHECK(a.digest() == a.recompute_digest());
  for (MemberTable* t : {&a, &b}) {
    t->raise_incarnation(*t->find(claims[5]->subject), 9);
    t->raise_incarnation(*t->find(claims[5]->subject), 7);  // lower: no change
    t->set_state(*t->find(claims[6]->subject), MemberState::dead, Time(1));
    t->remove(*t->find(claims[7]->subject));
    CHECK(t->digest() == t->recompute_digest());
  }
  CHECK(a.digest() == b.digest());
  CHECK(a.at(*a.find(claims[5]->subject)).incarnation == 9);
  // Suspect counts as alive; any other change shows.
  const auto before = a.digest();
  a.set_state(*a.find(claims[8]->subject), MemberState::suspect, Time(2));
  CHECK(a.digest() == before);
  a.set_state(*a.find(claims[8]->subject), MemberState::left, Time(3));
  CHECK(a.digest() != before);
  CHECK(a.digest() == a.recompute_digest());
}

}  // namespace
}  // namespace swell::swim
