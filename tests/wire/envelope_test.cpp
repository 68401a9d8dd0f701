#include <doctest/doctest.h>

#include <msgpack.hpp>

#include "fixtures/sample_messages.h"
#include "wire/datagram_builder.h"
#include "wire/envelope.h"
#include "wire/messages.h"

using namespace swell;
using namespace swell::wire;

namespace {

// A finished envelope with a dummy tag, as decode_envelope sees datagrams.
Bytes with_dummy_tag(const DatagramBuilder& builder) {
  Bytes out;
  builder.finish(out);
  out.insert(out.end(), kTagSize, 0xee);
  return out;
}

}  // namespace

TEST_CASE("a single-message envelope carries the message kind itself") {
  const Identity a = fixtures::identity(1);
  DatagramBuilder builder;
  builder.begin(true, a.id(), 77);
  Bytes body;
  encode_ping(body);
  REQUIRE(builder.add(MessageKind::ping, body));
  const Bytes datagram = with_dummy_tag(builder);
  CHECK(datagram.size() == builder.size());
  EnvelopeView env;
  REQUIRE(decode_envelope(datagram, 1400, DecodeLimits{}, env).ok());
  CHECK(env.kind == MessageKind::ping);
  CHECK(env.sender.full);
  CHECK(env.sender.id == a.id());
  CHECK(env.seq == 77);
  REQUIRE(env.messages.size() == 1);
  CHECK(env.messages[0].kind == MessageKind::ping);
  CHECK(decode_ping(env.messages[0].body).ok());
  // The envelope is plain msgpack that msgpack-c accepts.
  const auto handle = msgpack::unpack(reinterpret_cast<const char*>(env.authenticated.data()), env.authenticated.size());
  CHECK(handle.get().via.array.size == 5);
}

TEST_CASE("a compound envelope carries several messages, each decodable") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  DatagramBuilder builder;
  builder.begin(false, a.id(), 300);
  Bytes ping, ack, claim;
  encode_ping(ping);
  encode_ack(299, ack);
  encode_signed_claim(fixtures::signed_claim(b, fixtures::alive(b, 3)), claim);
  REQUIRE(builder.add(MessageKind::ping, ping));
  REQUIRE(builder.add(MessageKind::ack, ack));
  REQUIRE(builder.add(MessageKind::alive, claim));
  const Bytes datagram = with_dummy_tag(builder);
  CHECK(datagram.size() == builder.size());
  EnvelopeView env;
  REQUIRE(decode_envelope(datagram, 1400, DecodeLimits{}, env).ok());
  CHECK(env.kind == MessageKind::compound);
  CHECK_FALSE(env.sender.full);
  CHECK(env.sender.prefix == a.id().prefix64());
  REQUIRE(env.messages.size() == 3);
  CHECK(env.messages[1].kind == MessageKind::ack);
  CHECK(decode_ack(env.messages[1].body).value() == 299);
  auto signed_view = decode_signed_claim(env.messages[2].body);
  REQUIRE(signed_view.ok());
  CHECK(crypto::verify_claim(signed_view.value(), DecodeLimits{}).ok());
}

TEST_CASE("the builder packs messages up to the budget and never past it") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  Bytes claim;
  encode_signed_claim(fixtures::signed_claim(b, fixtures::alive(b, 3)), claim);
  for (const std::size_t budget : {64u, 200u, 512u, 1400u, 9000u}) {
    DatagramBuilder builder(budget);
    builder.begin(true, a.id(), 1);
    Bytes ping;
    encode_ping(ping);
    REQUIRE(builder.add(MessageKind::ping, ping));
    std::size_t added = 0;
    while (builder.add(MessageKind::alive, claim)) ++added;
    CHECK(builder.size() <= budget);
    // One more claim would not have fitted.
    CHECK(builder.size() + claim.size() + 2 > budget);
    const Bytes datagram = with_dummy_tag(builder);
    CHECK(datagram.size() == builder.size());
    EnvelopeView env;
    REQUIRE(decode_envelope(datagram, budget, DecodeLimits{}, env).ok());
    CHECK(env.messages.size() == added + 1);
  }
}

TEST_CASE("every envelope decode error is typed") {
  const Identity a = fixtures::identity(1);
  DatagramBuilder builder;
  builder.begin(true, a.id(), 5);
  Bytes ack;
  encode_ack(4, ack);
  REQUIRE(builder.add(MessageKind::ack, ack));
  const Bytes good = with_dummy_tag(builder);
  EnvelopeView env;
  const DecodeLimits limits;
  auto code_of = [&](const Bytes& bytes, std::size_t max = 1400) {
    auto r = decode_envelope(bytes, max, limits, env);
    REQUIRE_FALSE(r.ok());
    CHECK(env.messages.empty());
    return r.error().code;
  };
  SUBCASE("empty") { CHECK(code_of({}) == ErrorCode::truncated); }
  SUBCASE("only a tag") { CHECK(code_of(Bytes(kTagSize, 0)) == ErrorCode::truncated); }
  SUBCASE("cut short") {
    for (std::size_t n = kTagSize + 1; n < good.size(); ++n) {
      Bytes cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
      auto r = decode_envelope(cut, 1400, limits, env);
      CHECK_FALSE(r.ok());
    }
  }
  SUBCASE("oversized") { CHECK(code_of(good, good.size() - 1) == ErrorCode::oversized); }
  SUBCASE("unknown version") {
    Bytes bad = good;
    bad[1] = 2;
    CHECK(code_of(bad) == ErrorCode::unknown_version);
  }
  SUBCASE("unknown kind") {
    Bytes bad = good;
    bad[2] = 99;
    CHECK(code_of(bad) == ErrorCode::unknown_kind);
  }
  SUBCASE("bad field type: envelope is not an array") {
    Bytes bad = good;
    bad[0] = 0x85;  // a map
    CHECK(code_of(bad) == ErrorCode::bad_field_type);
  }
  SUBCASE("bad field type: sender of the wrong size") {
    Bytes bad = good;
    bad[4] = 31;  // bin8 length 32 -> 31; the rest no longer lines up
    CHECK_FALSE(decode_envelope(bad, 1400, limits, env).ok());
  }
  SUBCASE("malformed: trailing bytes inside the authenticated part") {
    Bytes bad(good.begin(), good.end() - kTagSize);
    bad.push_back(0x00);
    bad.insert(bad.end(), kTagSize, 0xee);
    CHECK(code_of(bad) == ErrorCode::malformed);
  }
  SUBCASE("compound: empty, nested, too many") {
    const Bytes empty_compound{0x95, 0x01, 0x0b, 0xc4, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x01, 0x90};
    Bytes e = empty_compound;
    e.insert(e.end(), kTagSize, 0);
    CHECK(code_of(e) == ErrorCode::bad_field_type);
    Bytes nested{0x95, 0x01, 0x0b, 0xc4, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x01, 0x91, 0x92, 0x0b, 0xc0};
    nested.insert(nested.end(), kTagSize, 0);
    CHECK(code_of(nested) == ErrorCode::bad_field_type);
    DecodeLimits two;
    two.max_messages = 2;
    DatagramBuilder many;
    many.begin(true, a.id(), 1);
    for (int i = 0; i < 3; ++i) REQUIRE(many.add(MessageKind::ack, ack));
    auto r = decode_envelope(with_dummy_tag(many), 1400, two, env);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::oversized);
  }
}
