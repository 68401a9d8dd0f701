// Key rotation on real loopback sockets: an agent moves to a new key while running; every
// member holds it under the new key with a rotated event and no failed one, in open and
// in ca mode (docs/security.md, "Key rotation").
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "crypto/certificate_auth.h"
#include "runtime/loop_runner.h"
#include "swell/agent.h"

using namespace std::chrono_literals;
using swell::Agent;
using swell::MembershipEvent;
using swell::test::identity_from;
using swell::test::loopback_options;

namespace {

// Polls every agent's event queue into events until done() or the deadline.
template <class Done>
bool wait_for(std::vector<Agent>& agents, std::vector<MembershipEvent>& events, Done done,
              std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    for (Agent& a : agents) {
      while (auto e = a.poll_event()) events.push_back(std::move(*e));
    }
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(20ms);  // a poll interval; the deadline decides the outcome
  }
}

std::vector<Agent> start_three(const std::function<swell::Config(std::uint8_t)>& config_of) {
  std::vector<Agent> agents;
  for (std::uint8_t n = 1; n <= 3; ++n) {
    auto o = loopback_options("rot" + std::to_string(n), "127.0.0.1", nullptr,
                              agents.empty() ? std::vector<std::string>{} : std::vector{agents[0].address()});
    o.identity.emplace(identity_from(n));
    o.config = config_of(n);
    auto a = Agent::start(std::move(o));
    REQUIRE_MESSAGE(a.ok(), (a.ok() ? "" : a.error().message));
    agents.push_back(std::move(a).value());
  }
  return agents;
}

bool holds_alive(const Agent& a, const swell::NodeId& who) {
  auto s = a.snapshot();
  const auto* m = s ? s->find(who) : nullptr;
  return m != nullptr && m->state == swell::MemberState::alive;
}

// Rotates agent 2 (index 1) to identity_from(22) with certificate, and checks the rest.
void rotate_and_check(std::vector<Agent>& agents, swell::Bytes certificate) {
  std::vector<MembershipEvent> events;
  REQUIRE(wait_for(agents, events, [&] { return swell::test::all_see_alive(agents, 3); }, 20s));
  events.clear();
  const swell::NodeId old_id = agents[1].id(), new_id = identity_from(22).id();
  REQUIRE(agents[1].rotate_key(identity_from(22), std::move(certificate)).ok());
  CHECK(agents[1].id() == new_id);
  auto moved = [&] {
    for (const Agent& a : agents) {
      auto s = a.snapshot();
      if (!holds_alive(a, new_id) || s->find(old_id) != nullptr || s->count(swell::MemberState::alive) != 3) return false;
    }
    return true;
  };
  CHECK(wait_for(agents, events, moved, 20s));
  // A few probe rounds more: nothing about either key may go wrong afterwards either.
  (void)wait_for(agents, events, [] { return false; }, 2s);
  int rotated = 0;
  for (const MembershipEvent& e : events) {
    if (e.member != old_id && e.member != new_id) continue;
    CHECK(e.kind != MembershipEvent::Kind::failed);
    CHECK(e.kind != MembershipEvent::Kind::joined);
    if (e.kind == MembershipEvent::Kind::rotated) {
      ++rotated;
      CHECK(e.previous == old_id);
      CHECK(e.member == new_id);
      REQUIRE(e.announcement);
      CHECK(e.announcement->info.id == "rot2");
    }
  }
  CHECK(rotated == 2);
  CHECK(agents[1].snapshot()->node.key_rotations == 1);
  CHECK(agents[0].snapshot()->node.rotations_applied == 1);
  CHECK(agents[1].snapshot()->self == new_id);
}

}  // namespace

TEST_CASE("open, on sockets: a running agent moves to a new key with no failed event") {
  std::vector<Agent> agents = start_three([](std::uint8_t) { return swell::test::fast_config(); });
  rotate_and_check(agents, {});
  // The same key again, or another member's, is refused.
  CHECK(agents[1].rotate_key(identity_from(22)).error().code == swell::ErrorCode::invalid_argument);
  CHECK(agents[1].rotate_key(identity_from(1)).error().code == swell::ErrorCode::invalid_argument);
  for (Agent& a : agents) CHECK(a.leave(2s).ok());
}

TEST_CASE("ca, on sockets: the new key presents its own certificate") {
  const swell::Identity ca = identity_from(200);
  const std::uint64_t in_a_day = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch() + 24h)
          .count());
  auto certificate_for = [&](const swell::NodeId& key) {
    return swell::wire::encode_certificate(swell::crypto::issue_certificate(ca, key, in_a_day, std::nullopt));
  };
  std::vector<Agent> agents = start_three([&](std::uint8_t n) {
    swell::Config c = swell::test::fast_config();
    c.admission.mode = swell::AdmissionMode::ca;
    c.admission.trusted_cas = {ca.id()};
    c.admission.certificate = certificate_for(identity_from(n).id());
    return c;
  });
  // Without a certificate for the new key the node refuses before sending anything.
  std::vector<MembershipEvent> events;
  REQUIRE(wait_for(agents, events, [&] { return swell::test::all_see_alive(agents, 3); }, 20s));
  CHECK(agents[1].rotate_key(identity_from(22)).error().code == swell::ErrorCode::invalid_argument);
  rotate_and_check(agents, certificate_for(identity_from(22).id()));
  for (Agent& a : agents) CHECK(a.leave(2s).ok());
}

TEST_CASE("allowlist, on sockets: the new key listed everywhere first takes over; unlisted it is refused") {
  std::vector<swell::NodeId> listed;
  for (std::uint8_t n = 1; n <= 3; ++n) listed.push_back(identity_from(n).id());
  std::vector<Agent> agents = start_three([&](std::uint8_t) {
    swell::Config c = swell::test::fast_config();
    c.admission.mode = swell::AdmissionMode::allowlist;
    c.admission.allowed = listed;
    return c;
  });
  std::vector<MembershipEvent> events;
  REQUIRE(wait_for(agents, events, [&] { return swell::test::all_see_alive(agents, 3); }, 20s));
  CHECK(agents[1].rotate_key(identity_from(22)).error().code == swell::ErrorCode::invalid_argument);
  listed.push_back(identity_from(22).id());
  for (Agent& a : agents) REQUIRE(a.set_allowlist(listed).ok());
  rotate_and_check(agents, {});
  for (Agent& a : agents) CHECK(a.leave(2s).ok());
}
