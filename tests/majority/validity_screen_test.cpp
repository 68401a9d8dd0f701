// The quick validity screen never passes what validate() rejects, and passes the usual
// well-formed records (lib/majority/validity_screen.h).
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "majority/validity_screen.h"

using swell::NodeType;
using swell::PeerInfo;
using swell::PeerInfoLimits;
using swell::majority::screen_address;
using swell::majority::screen_peer_info;

namespace {

// Bytes that matter to the rules, and some that never should appear.
const std::string kAlphabet = std::string("aZ09.-_:[]/@ \t") + '\0' + "\x7f\x80\xff" + "fe" + "1:";

std::string random_string(std::mt19937_64& rng, std::size_t max_size) {
  std::string s(rng() % (max_size + 1), ' ');
  for (char& c : s) c = kAlphabet[rng() % kAlphabet.size()];
  return s;
}

// Mostly-plausible addresses: hosts of host bytes, ports around the limits, some noise.
std::string random_address(std::mt19937_64& rng) {
  static const char* const kHosts[] = {"10.0.0.5", "a", "node-7.svc", "x_y", "", "[::1]", "[fe80::1]", "a:b",
                                       "host name", "ü", "A.B.C"};
  static const char* const kPorts[] = {"3000", "0", "1", "65535", "65536", "99999", "00080", "123456", "", "3a",
                                       "-1", " 80"};
  std::string address = kHosts[rng() % std::size(kHosts)];
  if (rng() % 4 == 0) address += std::string(rng() % 20, 'h');  // hosts over 8 and 16 bytes
  if (rng() % 8 != 0) address += ':';
  address += kPorts[rng() % std::size(kPorts)];
  if (rng() % 10 == 0) address.insert(rng() % (address.size() + 1), 1, kAlphabet[rng() % kAlphabet.size()]);
  return address;
}

}  // namespace

TEST_CASE("the screen passes only addresses validate_address accepts") {
  std::mt19937_64 rng(17);
  std::size_t usual = 0;
  for (int i = 0; i < 200000; ++i) {
    const std::string address = i % 2 == 0 ? random_string(rng, 12) : random_address(rng);
    const std::size_t max_bytes = i % 5 == 0 ? rng() % 16 : 261;
    const bool accepted = swell::validate_address(address, max_bytes).ok();
    const bool screened = screen_address(address, max_bytes);
    if (screened && !accepted) FAIL("screen passed a rejected address: \"" << address << "\" max " << max_bytes);
    // What the screen is for: every valid address of the usual form, without IPv6
    // brackets, passes it.
    if (accepted && address.front() != '[') {
      ++usual;
      if (!screened) FAIL("screen turned down a usual valid address: \"" << address << "\"");
    }
  }
  CHECK(usual > 5000);
}

TEST_CASE("visible_ascii agrees with the id rule for every byte at every position") {
  for (std::size_t n = 1; n <= 20; ++n) {
    for (std::size_t at = 0; at < n; ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string id(n, 'a');
        id[at] = static_cast<char>(byte);
        const bool visible = byte > 0x20 && byte < 0x7f;
        if (swell::majority::visible_ascii(id) != visible) FAIL("length " << n << " byte " << byte << " at " << at);
      }
    }
  }
}

TEST_CASE("the screen agrees with validate_address at the edges of the port") {
  for (const char* address : {"a:000080", "a:00080", "a:65535", "a:65536", "a:0", "a:00000", "a:", ":80", "80",
                              "a:1", "a::80", "a:8 0", "[::1]:80", "a.b-c_d:80", "a/b:80", "host.ab:000080",
                              "host.ab:00080", "host.ab:65535", "host.ab:65536", "host.abc:0", "host.abc:00000",
                              "host.abc:", "12345678", "host:12345678", "host.abc:\xb0", "host.ab\xba:80",
                              "hosthost:1", "ho:st:80", "h:123456", "hostname:99999", "[fe80::1]:80"}) {
    CAPTURE(address);
    if (screen_address(address, 261)) CHECK(swell::validate_address(address).ok());
    if (swell::validate_address(address).ok() && address[0] != '[') CHECK(screen_address(address, 261));
  }
}

TEST_CASE("the screen passes only PeerInfo validate accepts, and the usual ones") {
  std::mt19937_64 rng(23);
  std::size_t usual = 0;
  for (int i = 0; i < 100000; ++i) {
    PeerInfo info;
    info.id = rng() % 3 == 0 ? random_string(rng, 10) : "backend-" + std::to_string(rng() % 1000);
    info.address = random_address(rng);
    info.node_type = static_cast<NodeType>(rng() % 4);
    info.metadata.assign(rng() % 4 == 0 ? 500 + rng() % 30 : 0, 1);
    PeerInfoLimits limits;
    if (i % 7 == 0) limits.max_id_bytes = rng() % 12;
    if (i % 11 == 0) limits.max_metadata_bytes = rng() % 520;
    const bool accepted = swell::validate(info, limits).ok();
    const bool screened = screen_peer_info(info, limits);
    if (screened && !accepted) FAIL("screen passed a rejected PeerInfo: id \"" << info.id << "\" address \"" << info.address << "\"");
    if (accepted && info.address.front() != '[') {
      ++usual;
      if (!screened) FAIL("screen turned down a usual valid PeerInfo: id \"" << info.id << "\"");
    }
  }
  CHECK(usual > 2000);

  PeerInfo common;
  common.id = "governator-11";
  common.address = "10.0.11.5:3000";
  CHECK(screen_peer_info(common, {}));
  common.address = "backend-7.inference.svc.cluster.local:80";
  CHECK(screen_peer_info(common, {}));
  common.address = "[::1]:3000";  // valid, but left to validate()
  CHECK_FALSE(screen_peer_info(common, {}));
  CHECK(swell::validate(common).ok());
  common.address = "a:1";
  CHECK(screen_peer_info(common, {}));
}
