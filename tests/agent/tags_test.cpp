#include <doctest/doctest.h>

#include <string>

#include "agent/tags.h"

using namespace swell;
using namespace swell::agent;

TEST_CASE("tags round-trip through metadata as a sorted JSON object") {
  Tags tags{{"zone", "eu-1"}, {"gpu", "h100"}, {"empty", ""}};
  const Bytes bytes = encode_tags(tags);
  CHECK(std::string(bytes.begin(), bytes.end()) == R"({"empty":"","gpu":"h100","zone":"eu-1"})");
  auto back = decode_tags(bytes);
  REQUIRE(back.has_value());
  CHECK(*back == tags);
  CHECK(encode_tags({}).empty());
  CHECK(decode_tags({})->empty());
}

TEST_CASE("metadata that is not tags decodes to nullopt") {
  for (std::string text : {"[1,2]", R"({"a":1})", "not json", "\xff\xfe"}) {
    Bytes bytes(text.begin(), text.end());
    CHECK_FALSE(decode_tags(bytes).has_value());
  }
}

TEST_CASE("parse_tag splits at the first '=' and checks the name") {
  auto t = parse_tag("url=http://x/?a=b");
  REQUIRE(t.ok());
  CHECK(t.value().first == "url");
  CHECK(t.value().second == "http://x/?a=b");
  CHECK(parse_tag("k=").ok());
  CHECK_FALSE(parse_tag("novalue").ok());
  CHECK(parse_tag("novalue").error().message.find("key=value") != std::string::npos);
  CHECK_FALSE(parse_tag("=v").ok());
  CHECK_FALSE(parse_tag("bad key=v").ok());
  CHECK_FALSE(parse_tag(std::string(65, 'k') + "=v").ok());
}
