#include <doctest/doctest.h>

#include "fixtures/sample_messages.h"
#include "wire/messages.h"

using namespace swell;
using namespace swell::wire;

TEST_CASE("ping, ping-req, ack and nack bodies round-trip") {
  Bytes out;
  encode_ping(out);
  CHECK(decode_ping(out).ok());

  const Identity t = fixtures::identity(3);
  const PingReq req{t.id(), "[fd00::3]:7946"};
  out.clear();
  encode_ping_req(req, out);
  auto req_back = decode_ping_req(out);
  REQUIRE(req_back.ok());
  CHECK(req_back.value() == req);

  for (const std::uint64_t seq : {0ull, 1ull, 300ull, 0xffffffffffffffffull}) {
    out.clear();
    encode_ack(seq, out);
    REQUIRE(decode_ack(out).ok());
    CHECK(decode_ack(out).value() == seq);
    out.clear();
    encode_nack(seq, out);
    CHECK(decode_nack(out).value() == seq);
  }
}

TEST_CASE("push-pull state round-trips with every member status") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  PushPull state;
  state.join = true;
  state.digest.fill(0x5a);
  state.members.push_back({MemberStatus::alive, fixtures::signed_claim(a, fixtures::alive(a, 1)), std::nullopt});
  state.members.push_back({MemberStatus::suspect, fixtures::signed_claim(b, fixtures::alive(b, 4)),
                           fixtures::signed_claim(a, SuspectClaim{a.id(), b.id(), 4})});
  state.members.push_back({MemberStatus::dead, fixtures::signed_claim(b, fixtures::alive(b, 4)),
                           fixtures::signed_claim(a, DeadClaim{a.id(), b.id(), 4})});
  state.members.push_back({MemberStatus::left, fixtures::signed_claim(a, fixtures::alive(a, 2)),
                           fixtures::signed_claim(a, LeaveClaim{a.id(), 2})});
  state.summary.push_back({a.id().prefix64(), 1, MemberStatus::alive});
  state.summary.push_back({b.id().prefix64(), kMaxIncarnation, MemberStatus::left});
  state.wants = {0, b.id().prefix64(), ~std::uint64_t{0}};
  Bytes out;
  encode_push_pull(state, out);
  auto back = decode_push_pull(out, DecodeLimits{});
  REQUIRE_MESSAGE(back.ok(), back.error().message);
  CHECK(back.value() == state);
  auto view = decode_push_pull_view(out, DecodeLimits{});
  REQUIRE(view.ok());
  CHECK(view.value().summary_size() == 2);
  CHECK(view.value().summary_entry(1) == state.summary[1]);
  CHECK(view.value().wants_size() == 3);
  CHECK(view.value().want(2) == ~std::uint64_t{0});
}

TEST_CASE("push-pull summaries and wants are checked") {
  auto encoded = [](const PushPull& state) {
    Bytes out;
    encode_push_pull(state, out);
    return out;
  };
  SUBCASE("too many entries") {
    PushPull state;
    state.summary.resize(3);
    state.wants.resize(1);
    DecodeLimits limits;
    limits.max_members = 2;
    auto r = decode_push_pull(encoded(state), limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::oversized);
    state.summary.resize(1);
    state.wants.resize(3);
    r = decode_push_pull(encoded(state), limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::oversized);
  }
  SUBCASE("incarnation above 2^62") {
    PushPull state;
    state.summary.push_back({1, kMaxIncarnation + 1, MemberStatus::alive});
    const auto r = decode_push_pull(encoded(state), DecodeLimits{});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_field_type);
  }
  SUBCASE("a partial entry or an unknown status") {
    PushPull state;
    state.summary.push_back({1, 2, MemberStatus::alive});
    Bytes out = encoded(state);
    // The summary is the second-to-last field: [... digest, summary bin8 17 bytes, wants bin8 0].
    const std::size_t status_at = out.size() - 3;
    out[status_at] = 4;
    auto r = decode_push_pull(out, DecodeLimits{});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_field_type);
    state.summary.clear();
    state.wants.push_back(7);
    out = encoded(state);
    out[out.size() - 9] = 7;  // bin8 length 8 -> 7: the last byte becomes trailing garbage
    r = decode_push_pull(out, DecodeLimits{});
    CHECK_FALSE(r.ok());
  }
}

TEST_CASE("message body decode errors are typed") {
  const Identity a = fixtures::identity(1);
  SUBCASE("ping with a body") {
    const Bytes body{0x01};
    const auto r = decode_ping(body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_field_type);
  }
  SUBCASE("ack that is not an integer") {
    const Bytes body{0xc0};
    const auto r = decode_ack(body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_field_type);
  }
  SUBCASE("ping-req with a short target") {
    const Bytes body{0x92, 0xc4, 0x02, 0x01, 0x02, 0xa3, 'a', ':', '1'};
    const auto r = decode_ping_req(body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_field_type);
  }
  SUBCASE("push-pull over max_members") {
    PushPull state;
    for (int i = 0; i < 3; ++i) {
      state.members.push_back({MemberStatus::alive, fixtures::signed_claim(a, fixtures::alive(a, 1)), std::nullopt});
    }
    Bytes out;
    encode_push_pull(state, out);
    DecodeLimits limits;
    limits.max_members = 2;
    const auto r = decode_push_pull(out, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::oversized);
  }
  SUBCASE("push-pull record whose status and status claim disagree") {
    PushPull state;
    state.members.push_back({MemberStatus::dead, fixtures::signed_claim(a, fixtures::alive(a, 1)), std::nullopt});
    Bytes out;
    encode_push_pull(state, out);
    const auto r = decode_push_pull(out, DecodeLimits{});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_field_type);
  }
}
