#include <doctest/doctest.h>

#include "agent/member_query.h"
#include "snapshot_builder.h"

using namespace swell;
using namespace swell::agent;
using swell::test::id_with;
using swell::test::SnapshotBuilder;

namespace {

std::multimap<std::string, std::string> query(std::initializer_list<std::pair<const std::string, std::string>> kv) {
  return {kv};
}

std::vector<std::string> names_passing(const AgentSnapshot& s, const MemberFilter& f) {
  std::vector<std::string> out;
  for (const auto& m : *s.members) {
    if (f.matches(m)) out.push_back(m.announcement->info.id);
  }
  return out;
}

AgentSnapshot four_members() {
  return SnapshotBuilder()
      .add(id_with(0x10), "p1", MemberState::alive, NodeType::proxy)
      .add(id_with(0x20), "b1", MemberState::alive, NodeType::backend)
      .add(id_with(0x30), "b2", MemberState::dead, NodeType::backend)
      .add(id_with(0x40), "g1", MemberState::suspect, NodeType::governator)
      .build(id_with(0x10));
}

}  // namespace

TEST_CASE("member filters: state and node_type, each a comma-separated list, combined with and") {
  const AgentSnapshot s = four_members();
  auto f = [&](std::initializer_list<std::pair<const std::string, std::string>> kv) {
    auto parsed = parse_member_filter(query(kv));
    REQUIRE(parsed.ok());
    return names_passing(s, parsed.value());
  };
  CHECK(f({}) == std::vector<std::string>{"p1", "b1", "b2", "g1"});
  CHECK(f({{"state", "alive"}}) == std::vector<std::string>{"p1", "b1"});
  CHECK(f({{"state", "dead,suspect"}}) == std::vector<std::string>{"b2", "g1"});
  CHECK(f({{"node_type", "backend"}}) == std::vector<std::string>{"b1", "b2"});
  CHECK(f({{"node_type", "backend"}, {"state", "alive"}}) == std::vector<std::string>{"b1"});
  CHECK(f({{"state", "left"}}).empty());
}

TEST_CASE("member filters: an unknown filter or a bad value is an error naming it") {
  struct Case {
    const char* key;
    const char* value;
    const char* named;
  };
  const Case cases[] = {{"color", "red", "color"},       {"state", "zombie", "zombie"},
                        {"state", "alive,", "state"},     {"state", "", "state"},
                        {"node_type", "toaster", "toaster"}, {"node_type", "backend,,proxy", "node_type"}};
  for (const Case& c : cases) {
    CAPTURE(c.key);
    CAPTURE(c.value);
    auto parsed = parse_member_filter(query({{c.key, c.value}}));
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == ErrorCode::invalid_argument);
    CHECK(parsed.error().message.find(c.named) != std::string::npos);
  }
}

TEST_CASE("lookup_member: full id, short id, name; ambiguity and absence") {
  const AgentSnapshot s = SnapshotBuilder()
                              .add(id_with(0xab, 0x01), "same", MemberState::dead)
                              .add(id_with(0xab, 0x02), "same", MemberState::alive)
                              .add(id_with(0xcd), "cafebabe", MemberState::alive)
                              .build(id_with(0xcd));
  const NodeId one = id_with(0xab, 0x01);
  CHECK(lookup_member(s, one.to_hex()).found()->id == one);
  std::string upper = one.to_hex();
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(lookup_member(s, upper).found()->id == one);
  CHECK(lookup_member(s, one.short_hex()).found()->id == one);
  CHECK(lookup_member(s, id_with(0xcd).short_hex()).found()->id == id_with(0xcd));
  // An 8-hex-digit name that is nobody's id prefix is found by name.
  CHECK(lookup_member(s, "cafebabe").found()->id == id_with(0xcd));
  // Two members announce "same": no single answer, both returned.
  auto twice = lookup_member(s, "same");
  CHECK(twice.found() == nullptr);
  CHECK(twice.matches.size() == 2);
  CHECK(lookup_member(s, "nobody").matches.empty());
  CHECK(lookup_member(s, id_with(0xee).to_hex()).matches.empty());
  CHECK(lookup_member(s, "").matches.empty());
}

TEST_CASE("lookup_member: a name two live keys announce finds its owner, not the key that lost it") {
  AgentSnapshot s = SnapshotBuilder()
                        .add(id_with(0xab, 0x01), "backend-7", MemberState::alive)
                        .add(id_with(0xab, 0x02), "backend-7", MemberState::alive)
                        .build(id_with(0xab, 0x01));
  auto members = *s.members;
  members[0].name_lost_to = id_with(0xab, 0x02);  // a name_conflict settled for the second key
  s.members = std::make_shared<const std::vector<MemberSnapshot>>(std::move(members));
  REQUIRE(lookup_member(s, "backend-7").found() != nullptr);
  CHECK(lookup_member(s, "backend-7").found()->id == id_with(0xab, 0x02));
  // The loser is still a member, found by its id.
  CHECK(lookup_member(s, id_with(0xab, 0x01).to_hex()).found()->id == id_with(0xab, 0x01));
}
