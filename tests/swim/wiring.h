// Wiring: swell::Node instances wired together by hand through the public API
// (swell/node.h) only, as foca's can_join_with_another_client does. It passes each
// datagram to the addressed node's receive(), runs each stream through handle_stream()
// and stream_response(), and moves time straight to the earliest next_tick(). No
// simulator, socket, clock or sleep; delivery is instant, and a link is cut by not
// delivering.
//
//   swell::testing::Wiring w(3, swell::Config::local(), /*seed=*/1);
//   swell::testing::start_cluster(w, 3);
//   CHECK(w.run_for(std::chrono::seconds(5), [&] { return w.all_alive(); }));
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "swell/bytes.h"
#include "swell/config.h"
#include "swell/events.h"
#include "swell/identity.h"
#include "swell/node.h"
#include "swell/rng.h"

namespace swell::testing {

using Kind = MembershipEvent::Kind;
/// Sees one answered stream: (initiator, responder, request bytes, answer bytes).
using StreamObserver = std::function<void(std::size_t, std::size_t, ByteView, ByteView)>;

/// A few nodes and the links between them; member i listens at "n<i>.test:7946".
class Wiring {
 public:
  Wiring(std::size_t n, const Config& config, std::uint64_t seed) : Wiring(std::vector<Config>(n, config), seed) {}
  /// Member i runs configs[i].
  Wiring(const std::vector<Config>& configs, std::uint64_t seed) {
    for (std::size_t i = 0; i < configs.size(); ++i) {
      const Config& config = configs[i];
      std::array<std::uint8_t, Identity::kSeedSize> key_seed{};
      key_seed[0] = static_cast<std::uint8_t>(i + 1);
      key_seed[1] = static_cast<std::uint8_t>(seed);
      key_seed[2] = static_cast<std::uint8_t>((i + 1) >> 8);  // distinct keys beyond 255 members
      auto identity = Identity::from_seed(key_seed);
      REQUIRE(identity.ok());
      PeerInfo info;
      info.id = "node-" + std::to_string(i);
      info.address = "10.0.0." + std::to_string(i + 1) + ":3000";
      info.metrics_port = 9090;
      const std::string address = "n" + std::to_string(i) + ".test:7946";
      auto node = Node::create(std::move(identity.value()), config, std::move(info), address,
                               Rng(seed * 1000 + i), now_);
      REQUIRE(node.ok());
      members_.push_back(Member{address, std::move(node.value()), {}});
    }
  }

  Node& node(std::size_t i) { return members_[i].node; }
  const NodeId& id(std::size_t i) { return members_[i].node.id(); }
  const std::string& address(std::size_t i) const { return members_[i].address; }
  Time now() const { return now_; }
  /// Sees every stream that was answered: (initiator, responder, request, answer).
  void observe_streams(StreamObserver observer) { stream_observer_ = std::move(observer); }
  /// Every event member i emitted so far, in order.
  const std::vector<MembershipEvent>& events(std::size_t i) const { return members_[i].events; }

  /// Drops (true) or delivers again (false) everything from `from` to `to`.
  void cut(std::size_t from, std::size_t to, bool cut = true) {
    if (cut) cut_.insert({from, to});
    else cut_.erase({from, to});
  }
  /// Cuts (or restores) every link into and out of member i.
  void isolate(std::size_t i, bool isolated = true) {
    for (std::size_t j = 0; j < members_.size(); ++j) {
      if (j == i) continue;
      cut(i, j, isolated);
      cut(j, i, isolated);
    }
  }

  /// Delivers every output of every node, and what that causes, at the current time.
  void flush() {
    for (int round = 0;; ++round) {
      REQUIRE(round < 10000);  // the nodes would be answering each other forever
      bool any = false;
      for (std::size_t i = 0; i < members_.size(); ++i) {
        for (MembershipEvent& e : members_[i].node.drain_events()) members_[i].events.push_back(std::move(e));
        for (OutgoingDatagram& d : members_[i].node.drain_datagrams()) {
          any = true;
          const auto to = index_of(d.address);
          if (!to || !delivers(i, *to)) continue;
          (void)members_[*to].node.receive(members_[i].address, d.bytes, now_);
        }
        for (StreamRequest& s : members_[i].node.drain_streams()) {
          any = true;
          const auto to = index_of(s.address);
          if (!to) {
            members_[i].node.stream_failed(s.stream_id, now_);  // connection refused
            continue;
          }
          // A cut link loses the connection attempt: the caller's stream timeout acts.
          if (!delivers(i, *to) || !delivers(*to, i)) continue;
          auto reply = members_[*to].node.handle_stream(members_[i].address, s.bytes, now_);
          if (reply.ok()) {
            if (stream_observer_) stream_observer_(i, *to, s.bytes, reply.value());
            (void)members_[i].node.stream_response(s.stream_id, reply.value(), now_);
          } else {
            members_[i].node.stream_failed(s.stream_id, now_);
          }
        }
      }
      if (!any) break;
    }
    for (Member& m : members_) {
      for (MembershipEvent& e : m.node.drain_events()) m.events.push_back(std::move(e));
    }
  }

  /// The earliest deadline of any node.
  Time next_tick() const {
    Time next = kNever;
    for (const Member& m : members_) next = std::min(next, m.node.next_tick());
    return next;
  }

  /// Jumps to each earliest deadline in turn, up to `until`, ticking the nodes due.
  /// Stops early (returning true) once done() holds after a step.
  bool run_until(Time until, const std::function<bool()>& done = nullptr) {
    flush();
    if (done && done()) return true;
    for (;;) {
      const Time next = next_tick();
      if (next == kNever || next > until) break;
      now_ = std::max(now_, next);
      for (Member& m : members_) {
        if (m.node.next_tick() <= now_) m.node.tick(now_);
      }
      flush();
      if (done && done()) return true;
    }
    now_ = std::max(now_, until);
    return false;
  }
  bool run_for(Duration d, const std::function<bool()>& done = nullptr) { return run_until(now_ + d, done); }

  /// Member i's view of member j, if it knows it.
  std::optional<MemberState> state(std::size_t i, std::size_t j) const {
    const auto m = members_[i].node.member(members_[j].node.id());
    if (!m) return std::nullopt;
    return m->state;
  }
  /// Events member i emitted about member j of the given kind.
  std::vector<MembershipEvent> events_about(std::size_t i, std::size_t j, Kind kind) const {
    std::vector<MembershipEvent> out;
    for (const MembershipEvent& e : members_[i].events) {
      if (e.member == members_[j].node.id() && e.kind == kind) out.push_back(e);
    }
    return out;
  }
  /// True when every member sees every other alive.
  bool all_alive() const {
    for (std::size_t i = 0; i < members_.size(); ++i) {
      for (std::size_t j = 0; j < members_.size(); ++j) {
        if (i != j && state(i, j) != MemberState::alive) return false;
      }
    }
    return true;
  }

 private:
  struct Member {
    std::string address;
    Node node;
    std::vector<MembershipEvent> events;
  };
  std::optional<std::size_t> index_of(const std::string& address) const {
    for (std::size_t i = 0; i < members_.size(); ++i) {
      if (members_[i].address == address) return i;
    }
    return std::nullopt;
  }
  bool delivers(std::size_t from, std::size_t to) const { return cut_.count({from, to}) == 0; }

  std::vector<Member> members_;
  std::set<std::pair<std::size_t, std::size_t>> cut_;
  StreamObserver stream_observer_;
  Time now_{0};
};

/// Node 0 starts the cluster; every other node joins through it.
inline void start_cluster(Wiring& w, std::size_t n) {
  REQUIRE(w.node(0).join({}, w.now()).ok());
  for (std::size_t i = 1; i < n; ++i) REQUIRE(w.node(i).join({w.address(0)}, w.now()).ok());
}

}  // namespace swell::testing
