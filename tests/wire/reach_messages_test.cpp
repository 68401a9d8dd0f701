// Majority mode's heartbeat and reach-view bodies.
#include <doctest/doctest.h>

#include "wire/reach_messages.h"

using namespace swell;
using namespace swell::wire;

TEST_CASE("heartbeat and reach-view bodies round-trip") {
  for (const Heartbeat hb : {Heartbeat{0, false, 0}, Heartbeat{0xffffffffffffffffull, true, 7}}) {
    Bytes out;
    encode_heartbeat(hb, out);
    auto back = decode_heartbeat(out);
    REQUIRE(back.ok());
    CHECK(back.value() == hb);
  }
  Bytes quiet;
  encode_heartbeat(Heartbeat{0, false, 1}, quiet);
  CHECK(quiet.size() == 4);  // a quiet cluster's heartbeat body
  const ReachView view{42, {1, 0x0102030405060708ull, 0xffffffffffffffffull}};
  Bytes out;
  encode_reach_view(view, out);
  auto back = decode_reach_view(out, DecodeLimits{});
  REQUIRE(back.ok());
  CHECK(back.value() == view);
}

TEST_CASE("bad heartbeat and reach-view bodies are errors, never crashes") {
  Bytes out;
  encode_reach_view(ReachView{1, {1, 2, 3}}, out);
  for (std::size_t cut = 0; cut < out.size(); ++cut) {
    CHECK_FALSE(decode_reach_view(ByteView(out).first(cut), DecodeLimits{}).ok());
  }
  DecodeLimits tight;
  tight.max_view_entries = 2;
  CHECK(decode_reach_view(out, tight).error().code == ErrorCode::oversized);
  const Bytes odd = {0x92, 0x01, 0xc4, 0x03, 1, 2, 3};  // [1, bin(3 bytes)]
  CHECK(decode_reach_view(odd, DecodeLimits{}).error().code == ErrorCode::bad_field_type);
  const Bytes nil = {0xc0};
  CHECK_FALSE(decode_heartbeat(nil).ok());
  const Bytes trailing = {0x93, 0x00, 0xc2, 0x00, 0x00};
  CHECK_FALSE(decode_heartbeat(trailing).ok());
}
