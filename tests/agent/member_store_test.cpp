#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "agent/member_store.h"
#include "agent/temp_dir.h"

using namespace swell;
using namespace swell::agent;
using swell::test::TempDir;

namespace {

MemberSnapshot member(std::uint8_t n, MemberState state, std::string swim_address = "") {
  MemberSnapshot m;
  std::array<std::uint8_t, NodeId::kSize> raw{};
  raw[0] = n;
  m.id = NodeId(raw);
  m.state = state;
  m.incarnation = n;
  auto a = std::make_shared<Announcement>();
  a->info.id = "member-" + std::to_string(n);
  a->info.address = "10.0.0." + std::to_string(n) + ":3000";
  a->swim_address = swim_address.empty() ? "10.0.0." + std::to_string(n) + ":7946" : swim_address;
  m.announcement = std::move(a);
  return m;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("members round-trip: alive first, then suspect, never dead or left") {
  TempDir dir;
  std::vector<MemberSnapshot> members{member(5, MemberState::suspect), member(4, MemberState::alive),
                                      member(3, MemberState::dead),    member(2, MemberState::left),
                                      member(1, MemberState::alive)};
  MemberSnapshot no_announcement;
  no_announcement.state = MemberState::alive;
  members.push_back(no_announcement);  // nothing to dial: not kept
  REQUIRE(save_members(dir.path(), members).ok());
  std::string warning = "stale";
  const auto addresses = load_member_addresses(dir.path(), &warning);
  CHECK(warning.empty());
  CHECK(addresses == std::vector<std::string>{"10.0.0.1:7946", "10.0.0.4:7946", "10.0.0.5:7946"});
  const std::string text = read_file(dir.at("members.json"));
  for (const char* field : {"\"id\"", "\"name\"", "\"swim_address\"", "\"state\"", "\"incarnation\"", "member-4"}) {
    CHECK(text.find(field) != std::string::npos);
  }
  struct stat st {};
  REQUIRE(stat(dir.at("members.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("at most limit members are kept, alive ones before suspect ones") {
  TempDir dir;
  std::vector<MemberSnapshot> members{member(1, MemberState::suspect), member(2, MemberState::alive),
                                      member(3, MemberState::alive), member(4, MemberState::alive)};
  REQUIRE(save_members(dir.path(), members, 2).ok());
  CHECK(load_member_addresses(dir.path(), nullptr) == std::vector<std::string>{"10.0.0.2:7946", "10.0.0.3:7946"});
  REQUIRE(save_members(dir.path(), members, 4).ok());
  CHECK(load_member_addresses(dir.path(), nullptr).back() == "10.0.0.1:7946");
  REQUIRE(save_members(dir.path(), members, 0).ok());
  CHECK(load_member_addresses(dir.path(), nullptr).empty());
}

TEST_CASE("a save replaces the file whole and leaves no temp file") {
  TempDir dir;
  dir.write("members.json.tmp", "left over from a crash");
  REQUIRE(save_members(dir.path(), {member(1, MemberState::alive), member(2, MemberState::alive)}).ok());
  REQUIRE(save_members(dir.path(), {member(3, MemberState::alive)}).ok());
  CHECK(load_member_addresses(dir.path(), nullptr) == std::vector<std::string>{"10.0.0.3:7946"});
  CHECK_FALSE(std::filesystem::exists(dir.at("members.json.tmp")));
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    names.push_back(entry.path().filename().string());
  }
  CHECK(names == std::vector<std::string>{"members.json"});
}

TEST_CASE("a save into a missing directory fails with io, naming the path") {
  TempDir dir;
  auto ok = save_members(dir.at("missing"), {member(1, MemberState::alive)});
  REQUIRE_FALSE(ok.ok());
  CHECK(ok.error().code == ErrorCode::io);
  CHECK(ok.error().message.find(dir.at("missing")) != std::string::npos);
}

TEST_CASE("a missing, corrupt or oversized member file gives no addresses and a warning") {
  TempDir dir;
  std::string warning;
  SUBCASE("missing") {
    CHECK(load_member_addresses(dir.path(), &warning).empty());
    CHECK(warning.find("members.json") != std::string::npos);
  }
  SUBCASE("not JSON") {
    dir.write("members.json", "{\"members\": [\x01\xff garbage");
    CHECK(load_member_addresses(dir.path(), &warning).empty());
    CHECK(warning.find("corrupt") != std::string::npos);
  }
  SUBCASE("JSON of another shape") {
    for (const char* text : {"[]", "{\"members\": 5}", "null", "\"x\""}) {
      dir.write("members.json", text);
      warning.clear();
      CHECK(load_member_addresses(dir.path(), &warning).empty());
      CHECK_FALSE(warning.empty());
    }
  }
  SUBCASE("bad entries are skipped, good ones kept") {
    dir.write("members.json", R"({"members": [1, {"swim_address": 7}, {"swim_address": "nope"},
                                  {"swim_address": "10.0.0.8:7946"}, {"swim_address": "10.0.0.8:7946"}]})");
    CHECK(load_member_addresses(dir.path(), &warning) == std::vector<std::string>{"10.0.0.8:7946"});
    CHECK(warning.find("3 entries") != std::string::npos);
  }
  SUBCASE("oversized") {
    std::string big = "{\"members\": [";
    big += std::string(kMaxMembersFileBytes, ' ');
    big += "]}";
    dir.write("members.json", big);
    CHECK(load_member_addresses(dir.path(), &warning).empty());
    CHECK(warning.find("over") != std::string::npos);
  }
  SUBCASE("a directory in its place") {
    std::filesystem::create_directory(dir.at("members.json"));
    CHECK(load_member_addresses(dir.path(), &warning).empty());
    CHECK_FALSE(warning.empty());
  }
  SUBCASE("a null warning pointer is fine") { CHECK(load_member_addresses(dir.path(), nullptr).empty()); }
}
