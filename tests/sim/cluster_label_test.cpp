// Cluster labels and encryption on virtual time: two clusters with different names that
// share seeds and a network never merge, and every attempt to cross is dropped and
// counted; an encrypted cluster converges and puts no PeerInfo on the wire in clear.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "world.h"

namespace swell::sim {
namespace {

using namespace std::chrono_literals;

Config labelled(const char* label) {
  Config config = Config::lan();
  config.cluster_label = label;
  return config;
}

TEST_CASE("two 10-member clusters with different labels seeded through each other never merge") {
  World world(7);
  const std::uint32_t a0 = world.spawn(10, labelled("alpha"));
  const std::uint32_t b0 = world.spawn(10, labelled("beta"));
  REQUIRE(world.size() == 20);
  // Every member is given a seed of the other cluster first, then one of its own, and
  // the first member of each cluster starts from the other cluster's first member.
  for (std::uint32_t k = 0; k < 10; ++k) {
    world.join(a0 + k, k == 0 ? std::vector<std::uint32_t>{b0} : std::vector<std::uint32_t>{b0 + k, a0});
    world.join(b0 + k, k == 0 ? std::vector<std::uint32_t>{a0} : std::vector<std::uint32_t>{a0 + k, b0});
  }
  world.run_for(120s);

  std::uint64_t refused = 0, bad_mac = 0;
  for (std::uint32_t i = 0; i < 20; ++i) {
    const std::uint32_t own = i < 10 ? a0 : b0;
    const std::uint32_t other = i < 10 ? b0 : a0;
    const auto members = world.node(i).members();
    CHECK(members.size() == 10);  // itself and its nine cluster mates, nobody else
    for (std::uint32_t k = 0; k < 10; ++k) {
      CHECK(world.node(i).member(world.id(own + k)).has_value());
      CHECK_FALSE(world.node(i).member(world.id(other + k)).has_value());
    }
    refused += world.node(i).stats().joins_refused;
    bad_mac += world.node(i).stats().dropped_bad_mac;
  }
  CHECK(world.sees_alive(a0, {a0, a0 + 1, a0 + 2, a0 + 3, a0 + 4, a0 + 5, a0 + 6, a0 + 7, a0 + 8, a0 + 9}));
  CHECK(world.sees_alive(b0, {b0, b0 + 1, b0 + 2, b0 + 3, b0 + 4, b0 + 5, b0 + 6, b0 + 7, b0 + 8, b0 + 9}));
  // Every member tried the other cluster's seed first and was refused there.
  CHECK(refused >= 20);
  MESSAGE("joins refused " << refused << ", datagrams dropped for a bad authenticator " << bad_mac);
}

TEST_CASE("a member of the unnamed cluster and a labelled one do not merge either") {
  World world(9);
  const std::uint32_t a0 = world.spawn(3, Config::lan());
  const std::uint32_t b0 = world.spawn(3, labelled("named"));
  world.join(a0, {});
  world.join(a0 + 1, {b0, a0});
  world.join(a0 + 2, {a0});
  world.join(b0, {a0});
  world.join(b0 + 1, {a0 + 1, b0});
  world.join(b0 + 2, {b0});
  world.run_for(60s);
  for (std::uint32_t i = 0; i < 6; ++i) CHECK(world.node(i).members().size() == 3);
  CHECK(world.node(a0).stats().joins_refused >= 1);
}

TEST_CASE("a shared cache of another label is refused") {
  Config config = labelled("alpha");
  auto id = Identity::generate();
  REQUIRE(id.ok());
  PeerInfo info;
  info.id = "n";
  info.address = "10.0.0.1:3000";
  swim::SharedCaches other{std::make_shared<swim::ClaimCache>(16, "beta"), nullptr};
  auto node = swim::NodeFactory::create(std::move(id.value()), config, info, "n.sim:7946", Rng(1), Time{0}, other);
  REQUIRE_FALSE(node.ok());
  CHECK(node.error().code == ErrorCode::invalid_argument);
}

bool contains(const Bytes& haystack, const std::string& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

TEST_CASE("an encrypted cluster converges, and no datagram carries a PeerInfo field in clear") {
  World world(11);
  Config config = labelled("secret");
  config.encrypt = true;
  world.spawn(8, config);
  std::uint64_t datagrams = 0, leaks = 0;
  world.observe_sends([&](std::uint32_t, std::uint32_t, const Bytes& bytes, bool) {
    ++datagrams;
    // World::make_node names members node-<i> with addresses 10.0.0.<i+1>:3000.
    for (const char* field : {"node-", "10.0.0.", ":3000", ".sim:7946"}) leaks += contains(bytes, field);
  });
  world.join_all(0);
  world.run_for(30s);
  for (std::uint32_t i = 0; i < 8; ++i) CHECK(world.sees_alive(i, {0, 1, 2, 3, 4, 5, 6, 7}));
  CHECK(datagrams > 100);
  CHECK(leaks == 0);
  for (std::uint32_t i = 0; i < 8; ++i) CHECK(world.node(i).stats().datagrams_dropped == 0);
}

TEST_CASE("members with different encrypt settings drop each other's traffic, counted, and never crash") {
  World world(13);
  Config encrypted = Config::lan();
  encrypted.encrypt = true;
  const std::uint32_t a0 = world.spawn(4, Config::lan());
  const std::uint32_t b0 = world.spawn(4, encrypted);
  for (std::uint32_t k = 0; k < 4; ++k) {
    world.join(a0 + k, k == 0 ? std::vector<std::uint32_t>{} : std::vector<std::uint32_t>{b0, a0});
    world.join(b0 + k, k == 0 ? std::vector<std::uint32_t>{a0} : std::vector<std::uint32_t>{a0, b0});
  }
  world.run_for(60s);
  std::uint64_t wrong = 0;
  for (std::uint32_t i = 0; i < 8; ++i) {
    REQUIRE(world.is_up(i));
    wrong += world.node(i).stats().dropped_wrong_protection;
  }
  CHECK(wrong > 0);
  // Each side still sees its own members alive.
  CHECK(world.sees_alive(a0, {a0, a0 + 1, a0 + 2, a0 + 3}));
  CHECK(world.sees_alive(b0 + 1, {b0 + 1, b0 + 2, b0 + 3}));
}

}  // namespace
}  // namespace swell::sim
