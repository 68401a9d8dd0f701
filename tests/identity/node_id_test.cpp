#include <doctest/doctest.h>

#include "swell/node_id.h"

using swell::NodeId;

TEST_CASE("NodeId prints 64 lowercase hex digits and an 8-digit short form") {
  std::array<std::uint8_t, 32> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 0xa0);
  const NodeId id(bytes);
  const std::string hex = id.to_hex();
  CHECK(hex.size() == 64);
  CHECK(hex.substr(0, 8) == "a0a7aeb5");
  CHECK(id.short_hex() == "a0a7aeb5");
  CHECK(id.prefix64() == 0xa0a7aeb5bcc3cad1ull);
  auto parsed = NodeId::from_hex(hex);
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == id);
}

TEST_CASE("NodeId::from_hex accepts upper case and rejects bad input with a reason") {
  const std::string upper(64, 'A');
  REQUIRE(NodeId::from_hex(upper).ok());
  CHECK(NodeId::from_hex(upper).value().to_hex() == std::string(64, 'a'));
  auto short_input = NodeId::from_hex("abcd");
  REQUIRE_FALSE(short_input.ok());
  CHECK(short_input.error().code == swell::ErrorCode::invalid_argument);
  CHECK(short_input.error().message.find("64 hex digits") != std::string::npos);
  std::string bad(64, '0');
  bad[10] = 'g';
  auto non_hex = NodeId::from_hex(bad);
  REQUIRE_FALSE(non_hex.ok());
  CHECK(non_hex.error().message.find("position 10") != std::string::npos);
}

TEST_CASE("NodeId orders bytewise and the zero id means none") {
  std::array<std::uint8_t, 32> a{}, b{};
  b[31] = 1;
  CHECK(NodeId(a) < NodeId(b));
  CHECK(NodeId(a).is_zero());
  CHECK_FALSE(NodeId(b).is_zero());
  CHECK_FALSE(NodeId::from_bytes(b.data(), 31).ok());
}
