// Node::force_leave: an operator's verdict on a failed member, through the public API.
#include <doctest/doctest.h>

#include <chrono>

#include "swim/wiring.h"

namespace swell {
namespace {

using std::chrono::seconds;
using testing::Kind;
using testing::start_cluster;
using testing::Wiring;

// Four members; member 3 is cut off until the others hold it failed.
void fail_member_3(Wiring& w) {
  start_cluster(w, 4);
  REQUIRE(w.run_for(seconds(10), [&] { return w.all_alive(); }));
  w.isolate(3);
  REQUIRE(w.run_for(seconds(30), [&] {
    return w.state(0, 3) == MemberState::dead && w.state(1, 3) == MemberState::dead &&
           w.state(2, 3) == MemberState::dead;
  }));
}

}  // namespace

TEST_CASE("a force-left failed member becomes left at every member that holds it failed") {
  Wiring w(4, Config::local(), 5);
  fail_member_3(w);
  REQUIRE(w.node(0).force_leave(w.id(3), w.now()).ok());
  CHECK(w.state(0, 3) == MemberState::left);
  CHECK(w.run_for(seconds(10), [&] {
    return w.state(1, 3) == MemberState::left && w.state(2, 3) == MemberState::left;
  }));
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(w.events_about(i, 3, Kind::left).size() == 1);
  }
  // Again: a no-op.
  CHECK(w.node(0).force_leave(w.id(3), w.now()).ok());
  CHECK(w.events_about(0, 3, Kind::left).size() == 1);
  // The member was only cut off: back, it outbids the verdict and is let in again.
  w.isolate(3, false);
  CHECK(w.run_for(seconds(60), [&] { return w.all_alive(); }));
}

TEST_CASE("force-leave refuses live members, itself and strangers") {
  Wiring w(4, Config::local(), 6);
  start_cluster(w, 4);
  REQUIRE(w.run_for(seconds(10), [&] { return w.all_alive(); }));
  auto alive = w.node(0).force_leave(w.id(1), w.now());
  REQUIRE_FALSE(alive.ok());
  CHECK(alive.error().code == ErrorCode::invalid_argument);
  CHECK(alive.error().message.find("only a failed member") != std::string::npos);
  CHECK(w.node(0).force_leave(w.id(0), w.now()).error().code == ErrorCode::invalid_argument);
  std::array<std::uint8_t, NodeId::kSize> raw{};
  raw[0] = 0x42;
  CHECK(w.node(0).force_leave(NodeId(raw), w.now()).error().code == ErrorCode::unknown_member);

}

TEST_CASE("force-leave before joining is wrong_state") {
  Wiring w(2, Config::local(), 7);
  CHECK(w.node(0).force_leave(w.id(1), w.now()).error().code == ErrorCode::wrong_state);
}

TEST_CASE("join once joined exchanges tables with the new seeds: two clusters merge") {
  Wiring w(4, Config::local(), 8);
  REQUIRE(w.node(0).join({}, w.now()).ok());
  REQUIRE(w.node(1).join({w.address(0)}, w.now()).ok());
  REQUIRE(w.node(2).join({}, w.now()).ok());
  REQUIRE(w.node(3).join({w.address(2)}, w.now()).ok());
  REQUIRE(w.run_for(seconds(5), [&] {
    return w.state(0, 1) == MemberState::alive && w.state(2, 3) == MemberState::alive;
  }));
  CHECK_FALSE(w.state(0, 2).has_value());
  REQUIRE(w.node(0).join({w.address(2)}, w.now()).ok());
  CHECK(w.run_for(seconds(30), [&] { return w.all_alive(); }));
  CHECK(w.node(1).join({"not an address"}, w.now()).error().code == ErrorCode::invalid_argument);
}

}  // namespace swell
