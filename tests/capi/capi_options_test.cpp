// swell_agent_options: defaults, the size rules (older, newer, garbage), and each bad
// field's status and message.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "capi_fixtures.h"

namespace {

std::string last_message() { return swell_last_error_message(); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Starts with o; on success frees the agent at once and returns SWELL_OK.
swell_status start_and_free(const swell_agent_options& o) {
  swell_agent* agent = nullptr;
  const swell_status s = swell_agent_start(&o, &agent);
  if (s == SWELL_OK) {
    CHECK(agent != nullptr);
  } else {
    CHECK(agent == nullptr);
  }
  swell_agent_free(agent);
  return s;
}

// Stores an int that is no enumerator into a C enum field, as a C caller may.
template <class Enum>
void store_raw(Enum& field, int value) {
  std::memcpy(&field, &value, sizeof value);
}

}  // namespace

TEST_CASE("swell_agent_options_init sets the documented defaults") {
  swell_agent_options o;
  std::memset(&o, 0xAB, sizeof o);
  swell_agent_options_init(&o);
  CHECK(o.size == sizeof o);
  CHECK(o.key_file == nullptr);
  CHECK(o.generate_identity == 0);
  CHECK(o.preset == SWELL_PRESET_LAN);
  CHECK(o.id == nullptr);
  CHECK(o.node_type == SWELL_NODE_BACKEND);
  CHECK(std::string(o.bind_address) == "0.0.0.0:7946");
  CHECK(o.advertise_address == nullptr);
  CHECK(o.seed_count == 0);
  CHECK(!o.on_event);
  CHECK(o.event_queue_capacity == 4096);
}

TEST_CASE("options->size: 0 and absurd sizes are SWELL_EINVAL") {
  swell_agent_options o = capi_test::loopback_options("n");
  o.size = 0;
  CHECK(start_and_free(o) == SWELL_EINVAL);
  CHECK(contains(last_message(), "options->size is 0"));
  o.size = 1u << 20;
  CHECK(start_and_free(o) == SWELL_EINVAL);
  CHECK(contains(last_message(), "options->size is 1048576"));
}

TEST_CASE("options->size: an older caller's smaller struct is read only as far as it reaches") {
  swell_agent_options o = capi_test::loopback_options("old");
  // Past this size lie seeds and seed_count: set so that reading them would fail.
  o.size = offsetof(swell_agent_options, seeds);
  o.seeds = nullptr;
  o.seed_count = 3;
  CHECK(start_and_free(o) == SWELL_OK);
  // A size that stops inside bind_address: that field is not read either, so the
  // default 0.0.0.0 bind needs an advertise address, which is past the size too.
  o.size = offsetof(swell_agent_options, bind_address) + 1;
  CHECK(start_and_free(o) == SWELL_EINVAL);
  CHECK(contains(last_message(), "advertise"));
}

TEST_CASE("options->size: a newer caller's larger struct is accepted while its extra fields are zero") {
  struct NewerOptions {
    swell_agent_options known;
    std::uint64_t future_field;
  };
  NewerOptions newer;
  std::memset(&newer, 0, sizeof newer);
  newer.known = capi_test::loopback_options("new");
  newer.known.size = sizeof newer;
  CHECK(start_and_free(newer.known) == SWELL_OK);
  newer.future_field = 1;
  CHECK(start_and_free(newer.known) == SWELL_EINVAL);
  CHECK(contains(last_message(), "newer swell.h"));
}

TEST_CASE("each bad option gives its status and a message naming it") {
  SUBCASE("missing id") {
    swell_agent_options o = capi_test::loopback_options(nullptr);
    CHECK(start_and_free(o) == SWELL_EINVAL);
    CHECK(contains(last_message(), "options->id is NULL"));
  }
  SUBCASE("empty id") {
    swell_agent_options o = capi_test::loopback_options("");
    CHECK(start_and_free(o) == SWELL_EPEER_INFO);
    CHECK(contains(last_message(), "id"));
  }
  SUBCASE("a bind address that is not host:port") {
    swell_agent_options o = capi_test::loopback_options("n");
    o.bind_address = "nowhere";
    CHECK(start_and_free(o) == SWELL_EINVAL);
    CHECK(contains(last_message(), "nowhere"));
  }
  SUBCASE("a bind address that is not local") {
    swell_agent_options o = capi_test::loopback_options("n");
    o.bind_address = "192.0.2.1:0";  // TEST-NET-1: never an address of this host
    CHECK(start_and_free(o) == SWELL_EIO);
  }
  SUBCASE("a PeerInfo address that is not host:port") {
    swell_agent_options o = capi_test::loopback_options("n");
    o.address = "no port";
    CHECK(start_and_free(o) == SWELL_EPEER_INFO);
    CHECK(contains(last_message(), "address"));
  }
  SUBCASE("a seed that is not host:port, and a NULL seed") {
    swell_agent_options o = capi_test::loopback_options("n");
    const char* seeds[] = {"127.0.0.1:7946", nullptr};
    o.seeds = seeds;
    o.seed_count = 2;
    CHECK(start_and_free(o) == SWELL_EINVAL);
    CHECK(contains(last_message(), "options->seeds[1] is NULL"));
    o.seeds = nullptr;
    CHECK(start_and_free(o) == SWELL_EINVAL);
    CHECK(contains(last_message(), "options->seeds is NULL"));
    seeds[1] = "seed-without-port";
    o.seeds = seeds;
    CHECK(start_and_free(o) == SWELL_EINVAL);
  }
  SUBCASE("a preset and a node type that are no enumerator") {
    swell_agent_options o = capi_test::loopback_options("n");
    store_raw(o.preset, 99);
    CHECK(start_and_free(o) == SWELL_EINVAL);
    CHECK(contains(last_message(), "options->preset is 99"));
    o.preset = SWELL_PRESET_LOCAL;
    store_raw(o.node_type, -4);
    CHECK(start_and_free(o) == SWELL_EINVAL);
    CHECK(contains(last_message(), "options->node_type is -4"));
  }
  SUBCASE("metadata: NULL with a length, and over the limit") {
    swell_agent_options o = capi_test::loopback_options("n");
    o.metadata_len = 3;
    CHECK(start_and_free(o) == SWELL_EINVAL);
    CHECK(contains(last_message(), "options->metadata is NULL"));
    const std::vector<std::uint8_t> big(513, 'x');
    o.metadata = big.data();
    o.metadata_len = big.size();
    CHECK(start_and_free(o) == SWELL_EPEER_INFO);
    CHECK(contains(last_message(), "513"));
  }
  SUBCASE("identity: neither, both, and a key file that does not exist") {
    swell_agent_options o = capi_test::loopback_options("n");
    o.generate_identity = 0;
    CHECK(start_and_free(o) == SWELL_EINVAL);
    CHECK(contains(last_message(), "options->key_file is NULL"));
    o.key_file = "/nonexistent/swell-capi-test.key";
    CHECK(start_and_free(o) == SWELL_EKEY_MISSING);
    o.generate_identity = 1;
    CHECK(start_and_free(o) == SWELL_EINVAL);
    CHECK(contains(last_message(), "choose one"));
  }
  SUBCASE("0.0.0.0 without an advertise address") {
    swell_agent_options o = capi_test::loopback_options("n");
    o.bind_address = "0.0.0.0:0";
    CHECK(start_and_free(o) == SWELL_EINVAL);
  }
}
