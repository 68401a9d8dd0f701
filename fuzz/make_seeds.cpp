// swell-fuzz-seeds DIR: writes a small seed corpus for every fuzz target into
// DIR/<target>/, one file per valid encoding of a message kind. Everything is
// deterministic (fixture keys, Ed25519 signatures), so re-running it over fuzz/seeds
// reproduces the committed files byte for byte.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <limits>
#include <string>
#include <utility>

#include <msgpack.hpp>

#include "crypto/certificate_auth.h"
#include "crypto/datagram_auth.h"
#include "crypto/rotation_auth.h"
#include "fixed_peers.h"
#include "fixtures/sample_messages.h"
#include "wire/datagram_builder.h"
#include "wire/msgpack_writer.h"

namespace {

using namespace swell;
using namespace swell::wire;

/// Writes seed files under one root directory and remembers the first failure.
class SeedWriter {
 public:
  explicit SeedWriter(std::filesystem::path root) : root_(std::move(root)) {}

  void write(const std::string& target, const std::string& name, ByteView bytes) {
    const std::filesystem::path dir = root_ / target;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (ec || !out) {
      std::cerr << "swell-fuzz-seeds: cannot write " << (dir / name).string() << "\n";
      ok_ = false;
    }
    ++files_;
  }

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] int files() const { return files_; }

 private:
  std::filesystem::path root_;
  bool ok_ = true;
  int files_ = 0;
};

Bytes signed_body(const Identity& author, const Claim& claim) {
  Bytes body;
  encode_signed_claim(fixtures::signed_claim(author, claim), body);
  return body;
}

Bytes with_prefix(std::uint8_t first, ByteView rest) {
  Bytes out{first};
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

/// Every kind of msgpack value, including those swell never emits, for raw_value().
Bytes every_msgpack_type() {
  Bytes out;
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_array(3);
  packer.pack_map(2);
  packer.pack_nil();
  packer.pack_true();
  packer.pack_false();
  packer.pack_int8(-5);
  packer.pack_array(20);
  for (const std::uint64_t v : {0ull, 0x7full, 0xffull, 0xffffull, 0xffffffffull, ~0ull}) packer.pack_uint64(v);
  const std::int64_t negatives[] = {-1, -100, -30000, -2000000000, std::numeric_limits<std::int64_t>::min()};
  for (const std::int64_t v : negatives) packer.pack_int64(v);
  packer.pack_float(1.5f);
  packer.pack_double(-2.25);
  pack_str(packer, std::string(40, 's'));
  pack_str(packer, std::string(300, 'S'));
  pack_bin(packer, Bytes(3, 0xb1));
  pack_bin(packer, Bytes(260, 0xb2));
  packer.pack_ext(1, 7);
  packer.pack_ext_body("x", 1);
  packer.pack_ext(16, 8);
  packer.pack_ext_body("0123456789abcdef", 16);
  packer.pack_ext(3, 9);
  packer.pack_ext_body("abc", 3);
  packer.pack_map(16);
  for (int i = 0; i < 16; ++i) {
    packer.pack_uint8(static_cast<std::uint8_t>(i));
    packer.pack_array(0);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: swell-fuzz-seeds DIR   (writes DIR/<target>/..., e.g. swell-fuzz-seeds fuzz/seeds)\n";
    return 2;
  }
  SeedWriter seeds(argv[1]);

  const Identity a = fixtures::identity(fuzz::kSenderSeed);
  const Identity b = fixtures::identity(fuzz::kReceiverSeed);
  const Identity c = fixtures::identity(3);
  const Identity d = fixtures::identity(4);

  // Claims and their payloads, one of each kind.
  AliveClaim alive_v6 = fixtures::alive(a, 11);
  alive_v6.swim_address = "[::1]:7946";
  alive_v6.info.node_type = NodeType::governator;
  alive_v6.info.is_load_balancer = true;
  alive_v6.info.metadata.clear();
  const std::pair<const char*, std::pair<const Identity*, Claim>> claims[] = {
      {"alive", {&a, fixtures::alive(a, 3)}},
      {"alive_ipv6", {&a, alive_v6}},
      {"suspect", {&a, SuspectClaim{a.id(), b.id(), 5}}},
      {"dead", {&a, DeadClaim{a.id(), c.id(), 7}}},
      {"leave", {&b, LeaveClaim{b.id(), 9}}},
      {"majority_view", {&a, MajorityViewClaim{a.id(), 4, {fixtures::peer_info(a, 3), fixtures::peer_info(b, 5, 0),
                                                         fixtures::peer_info(c, 1, 32)}}}},
      {"majority_view_empty", {&d, MajorityViewClaim{d.id(), 0, {}}}},
  };
  for (const auto& [name, entry] : claims) {
    seeds.write("claim_payload", name, encode_claim_payload(entry.second));
    seeds.write("signed_claim", name, signed_body(*entry.first, entry.second));
  }
  // Admission's formats, for the claim-payload target only: an alive claim with a
  // certificate (13 fields) and a revocation (kind 20).
  AliveClaim certified = fixtures::alive(b, 2);
  certified.certificate = encode_certificate(crypto::issue_certificate(d, b.id(), 1'800'000'000'000, NodeType::proxy));
  seeds.write("claim_payload", "alive_certificate", encode_claim_payload(certified));
  seeds.write("claim_payload", "revocation", encode_claim_payload(RevocationClaim{d.id(), c.id(), 1'764'000'000'000}));
  // Key rotation (kind 21): the successor's signed alive claim nested inside.
  Bytes successor_alive = signed_body(c, fixtures::alive(c, 4));
  seeds.write("claim_payload", "rotation",
              encode_claim_payload(RotationClaim{a.id(), c.id(), 3, successor_alive,
                                                 crypto::sign_rotation_consent(c, a.id(), {})}));

  // Push-pull states: every member status, and an empty one.
  const SignedClaim alive_a = fixtures::signed_claim(a, fixtures::alive(a, 3));
  const SignedClaim alive_b = fixtures::signed_claim(b, fixtures::alive(b, 2));
  const SignedClaim alive_c = fixtures::signed_claim(c, fixtures::alive(c, 7));
  const SignedClaim alive_d = fixtures::signed_claim(d, fixtures::alive(d, 1));
  PushPull all_statuses{true, {}};
  all_statuses.members.push_back({MemberStatus::alive, alive_a, std::nullopt});
  all_statuses.members.push_back(
      {MemberStatus::suspect, alive_b, fixtures::signed_claim(a, SuspectClaim{a.id(), b.id(), 2})});
  all_statuses.members.push_back({MemberStatus::dead, alive_c, fixtures::signed_claim(a, DeadClaim{a.id(), c.id(), 7})});
  all_statuses.members.push_back({MemberStatus::left, alive_d, fixtures::signed_claim(d, LeaveClaim{d.id(), 1})});
  PushPull small{false, {{MemberStatus::alive, alive_a, std::nullopt},
                         {MemberStatus::suspect, alive_b, fixtures::signed_claim(a, SuspectClaim{a.id(), b.id(), 2})}}};
  PushPull summary{false, {}};
  summary.summary = {{a.id().prefix64(), 3, MemberStatus::alive}, {c.id().prefix64(), 7, MemberStatus::dead}};
  summary.wants = {b.id().prefix64(), d.id().prefix64()};
  Bytes push_pull_all, push_pull_small, push_pull_empty, push_pull_summary;
  encode_push_pull(summary, push_pull_summary);
  seeds.write("push_pull", "summary_and_wants", push_pull_summary);
  encode_push_pull(all_statuses, push_pull_all);
  encode_push_pull(small, push_pull_small);
  encode_push_pull(PushPull{false, {}}, push_pull_empty);
  seeds.write("push_pull", "all_statuses", push_pull_all);
  seeds.write("push_pull", "two_members", push_pull_small);
  seeds.write("push_pull", "empty", push_pull_empty);

  // Unsigned message bodies, prefixed with the selector fuzz_message_bodies reads.
  Bytes ping, ping_req, ping_req_v6, ack, ack_max, nack;
  encode_ping(ping);
  encode_ping_req(PingReq{c.id(), "10.0.0.3:7946"}, ping_req);
  encode_ping_req(PingReq{d.id(), "[fe80::1]:65535"}, ping_req_v6);
  encode_ack(299, ack);
  encode_ack(std::numeric_limits<std::uint64_t>::max(), ack_max);
  encode_nack(0x1234, nack);
  seeds.write("message_bodies", "ping", with_prefix(0, ping));
  seeds.write("message_bodies", "ping_req", with_prefix(1, ping_req));
  seeds.write("message_bodies", "ping_req_ipv6", with_prefix(1, ping_req_v6));
  seeds.write("message_bodies", "ack", with_prefix(2, ack));
  seeds.write("message_bodies", "ack_max", with_prefix(2, ack_max));
  seeds.write("message_bodies", "nack", with_prefix(3, nack));

  // Envelopes from a to b: each kind alone with the full sender name, and compounds with
  // the compact name. Each both as a sealed datagram (.datagram: a valid tag under the
  // pairwise key) and bare (.envelope: fuzz_envelope seals it itself).
  const crypto::MacKey key = fuzz::pairwise_key();
  DatagramBuilder builder;
  auto write_envelope = [&](const std::string& name) {
    Bytes envelope;
    builder.finish(envelope);
    seeds.write("envelope", name + ".envelope", envelope);
    crypto::append_tag(key, envelope);
    seeds.write("envelope", name + ".datagram", envelope);
  };
  const std::pair<MessageKind, Bytes> singles[] = {
      {MessageKind::ping, ping},
      {MessageKind::ping_req, ping_req},
      {MessageKind::ack, ack},
      {MessageKind::nack, nack},
      {MessageKind::suspect, signed_body(a, SuspectClaim{a.id(), b.id(), 5})},
      {MessageKind::alive, signed_body(a, fixtures::alive(a, 3))},
      {MessageKind::dead, signed_body(a, DeadClaim{a.id(), c.id(), 7})},
      {MessageKind::leave, signed_body(b, LeaveClaim{b.id(), 9})},
      {MessageKind::majority_view, signed_body(a, MajorityViewClaim{a.id(), 4, {fixtures::peer_info(b, 5, 0)}})},
      {MessageKind::push_pull_request, push_pull_small},
      {MessageKind::push_pull_response, push_pull_empty},
  };
  std::uint64_t seq = 1;
  for (const auto& [kind, body] : singles) {
    builder.begin(/*full_sender=*/true, a.id(), seq++);
    if (!builder.add(kind, body)) {
      std::cerr << "swell-fuzz-seeds: " << to_string(kind) << " does not fit a datagram\n";
      return 1;
    }
    write_envelope(std::string(to_string(kind)));
  }
  builder.begin(/*full_sender=*/false, a.id(), 300);
  for (const MessageKind kind : {MessageKind::ping, MessageKind::ack, MessageKind::alive, MessageKind::suspect}) {
    for (const auto& [k, body] : singles) {
      if (k == kind) (void)builder.add(k, body);
    }
  }
  write_envelope("compound_ping_ack_alive_suspect");
  builder.begin(/*full_sender=*/false, a.id(), 70000);
  for (const MessageKind kind : {MessageKind::ping_req, MessageKind::nack, MessageKind::leave, MessageKind::dead}) {
    for (const auto& [k, body] : singles) {
      if (k == kind) (void)builder.add(k, body);
    }
  }
  write_envelope("compound_ping_req_nack_leave_dead");

  // MsgpackReader programs: [n][n program bytes][msgpack]. A program byte is
  // (argument << 4) | op, ops numbered as in fuzz_msgpack_reader.cpp.
  auto program = [](std::initializer_list<std::uint8_t> ops, ByteView msgpack) {
    Bytes out{static_cast<std::uint8_t>(ops.size())};
    out.insert(out.end(), ops.begin(), ops.end());
    out.insert(out.end(), msgpack.begin(), msgpack.end());
    return out;
  };
  Bytes ping_envelope;
  builder.begin(true, a.id(), 9);
  (void)builder.add(MessageKind::ping, ping);
  builder.finish(ping_envelope);
  const Bytes alive_payload = encode_claim_payload(fixtures::alive(a, 3));
  const Bytes every_type = every_msgpack_type();
  // array_of(5) uint uint bin_of(32) uint raw_value expect_end: the envelope decoder's reads.
  seeds.write("msgpack_reader", "envelope_reads", program({0x51, 0x03, 0x03, 0xf7, 0x03, 0x0a, 0x0b}, ping_envelope));
  // array_between(3, 15) uint_at_most(15) bin_of(32) uint str str str uint_at_most(0xffff)
  // uint_at_most(15) boolean uint bin expect_end: the alive claim decoder's reads.
  seeds.write("msgpack_reader", "alive_reads",
              program({0xf2, 0x14, 0xf7, 0x03, 0x08, 0x08, 0x08, 0x44, 0x14, 0x05, 0x03, 0x06, 0x0b}, alive_payload));
  // array_of(2) boolean array nil_if_present ...: the push-pull decoder's first reads.
  seeds.write("msgpack_reader", "push_pull_reads", program({0x21, 0x05, 0x00, 0x31, 0x03, 0x0a, 0x09, 0x0a}, push_pull_small));
  seeds.write("msgpack_reader", "skip_every_type", program({}, every_type));
  // The every-type value read field by field: array, skip the map, array(20), six uints,
  // skip five negative ints and two floats, two strs, two bins, skip three exts and a map16.
  seeds.write("msgpack_reader", "each_read",
              program({0x00, 0x0a, 0x00, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
                       0x0a, 0x08, 0x08, 0x06, 0x06, 0x0a, 0x0a, 0x0a, 0x0a, 0x0b},
                      every_type));

  if (!seeds.ok()) return 1;
  std::cout << "swell-fuzz-seeds: wrote " << seeds.files() << " files under " << argv[1] << "\n";
  return 0;
}
