#include <doctest/doctest.h>

#include <cctype>
#include <string>

#include "agent/key_list.h"
#include "agent/temp_dir.h"
#include "admission_fixtures.h"

using namespace swell;
using namespace swell::agent;
using swell::test::TempDir;

TEST_CASE("a key list: one key a line, comments, blank lines, duplicates once") {
  const NodeId a = test::identity_of(1).id();
  const NodeId b = test::identity_of(2).id();
  std::string upper = b.to_hex();
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string text = "# backends\n\n" + a.to_hex() + "   # backend-1\r\n  " + upper + "\t\n" + a.to_hex() + "\n";
  auto keys = parse_key_list(text, "allow.txt");
  REQUIRE_MESSAGE(keys.ok(), keys.error().message);
  CHECK(keys.value() == std::vector<NodeId>{a, b});
  CHECK(parse_key_list("", "empty.txt").value().empty());
  CHECK(parse_key_list("# only a comment", "c.txt").value().empty());
  CHECK(parse_key_list(a.to_hex(), "no-newline.txt").value() == std::vector<NodeId>{a});
}

TEST_CASE("a bad line is named by file and line number, with how to write a key") {
  const std::string good = test::identity_of(1).id().to_hex();
  struct Case {
    std::string text;
    std::string where;
  };
  const Case cases[] = {
      {good + "\nnot-a-key\n", "allow.txt:2: \"not-a-key\""},
      {"\n\n\n" + good.substr(0, 63) + "\n", "allow.txt:4:"},
      {good + "00\n", "allow.txt:1:"},
      {good + " " + good + "\n", "allow.txt:1:"},
      {std::string(64, '0') + "\n", "allow.txt:1:"},  // the all-zero "none" id
      {std::string("\x01\x02garbage\n"), "allow.txt:1: \"??garbage\""},
  };
  for (const Case& c : cases) {
    auto keys = parse_key_list(c.text, "allow.txt");
    REQUIRE_FALSE(keys.ok());
    INFO(keys.error().message);
    CHECK(keys.error().code == ErrorCode::invalid_config);
    CHECK(keys.error().message.find(c.where) != std::string::npos);
    CHECK(keys.error().message.find("swell-agent id") != std::string::npos);
  }
}

TEST_CASE("read_key_list_file: missing, unreadable and oversized files are errors naming the path") {
  TempDir dir;
  auto missing = read_key_list_file(dir.at("nope.txt"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::io);
  CHECK(missing.error().message.find(dir.at("nope.txt")) != std::string::npos);
  auto directory = read_key_list_file(dir.path());
  CHECK_FALSE(directory.ok());
  const std::string big = dir.write("big.txt", std::string(kMaxKeyListBytes + 1, '#'));
  auto oversized = read_key_list_file(big);
  REQUIRE_FALSE(oversized.ok());
  CHECK(oversized.error().message.find("larger than") != std::string::npos);
  const NodeId a = test::identity_of(3).id();
  auto read = read_key_list_file(dir.write("ok.txt", a.to_hex() + "\n"));
  REQUIRE(read.ok());
  CHECK(read.value() == std::vector<NodeId>{a});
}

TEST_CASE("format_key_list writes what parse_key_list reads") {
  const std::vector<NodeId> keys{test::identity_of(4).id(), test::identity_of(5).id()};
  const std::string text = format_key_list(keys, {"header one", "header two"});
  CHECK(text.rfind("# header one\n# header two\n", 0) == 0);
  CHECK(parse_key_list(text, "x").value() == keys);
}
