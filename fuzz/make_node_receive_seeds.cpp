// swell-fuzz-node-seeds DIR: writes the seed corpus of fuzz_node_receive into
// DIR/node_receive/. Each seed is a short sequence of records (format in
// live_cluster.h) that member 0 of the fuzzed cluster accepts: a datagram captured
// from member 1, each message kind sealed with a party's key, signed payloads and
// well-formed claims. The cluster is the target's (same seed), so everything is
// deterministic and re-running it reproduces the committed files byte for byte.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "crypto/claim_auth.h"
#include "live_cluster.h"
#include "wire/claims.h"
#include "wire/datagram_builder.h"
#include "wire/envelope.h"
#include "wire/messages.h"

namespace {

using namespace swell;
using namespace swell::fuzz;

/// Builds one seed: a sequence of records.
class SeedInput {
 public:
  /// A datagram as it is, from member 1.
  SeedInput& raw(ByteView datagram) {
    tag(RecordType::raw);
    bytes_.push_back(0);
    sized(datagram);
    return *this;
  }
  /// Messages sealed by sender (a party), with the next fresh sequence number.
  SeedInput& sealed(std::uint32_t sender, const std::vector<std::pair<wire::MessageKind, Bytes>>& messages,
                    bool compact = false) {
    tag(RecordType::sealed);
    bytes_.push_back(static_cast<std::uint8_t>(byte_of_party(sender) | (compact ? 8 : 0)));
    bytes_.push_back(0);
    bytes_.push_back(static_cast<std::uint8_t>(messages.size()));
    for (const auto& [kind, body] : messages) {
      bytes_.push_back(static_cast<std::uint8_t>(static_cast<std::uint8_t>(kind) - 1));
      sized(body);
    }
    return *this;
  }
  /// payload signed by signer, as a message of claim kind kClaimKinds[kind_index].
  SeedInput& signed_payload(std::uint32_t signer, std::uint32_t sender, std::uint8_t kind_index, ByteView payload) {
    tag(RecordType::signed_payload);
    bytes_.push_back(byte_of_party(signer));
    bytes_.push_back(byte_of_party(sender));
    bytes_.push_back(0);
    bytes_.push_back(kind_index);
    sized(payload);
    return *this;
  }
  /// A well-formed claim of kind kClaimKinds[kind_index] by signer about subject.
  SeedInput& claim(std::uint32_t signer, std::uint32_t sender, std::uint8_t kind_index, std::uint32_t subject,
                   std::uint8_t incarnation_offset) {
    tag(RecordType::claim);
    bytes_.push_back(byte_of_party(signer));
    bytes_.push_back(byte_of_party(sender));
    bytes_.push_back(0);
    bytes_.push_back(kind_index);
    bytes_.push_back(byte_of_party(subject));
    bytes_.push_back(incarnation_offset);
    return *this;
  }
  /// Lets steps * kAdvanceStep of virtual time pass.
  SeedInput& advance(std::uint8_t steps) {
    tag(RecordType::advance);
    bytes_.push_back(steps);
    return *this;
  }
  /// An envelope (no authenticator) the target seals with sender's key.
  SeedInput& sealed_envelope(std::uint32_t sender, ByteView envelope) {
    tag(RecordType::sealed_envelope);
    bytes_.push_back(byte_of_party(sender));
    sized(envelope);
    return *this;
  }

  [[nodiscard]] const Bytes& bytes() const { return bytes_; }

 private:
  void tag(RecordType type) { bytes_.push_back(static_cast<std::uint8_t>(type)); }
  void sized(ByteView body) {
    bytes_.push_back(static_cast<std::uint8_t>(body.size() >> 8));
    bytes_.push_back(static_cast<std::uint8_t>(body.size()));
    bytes_.insert(bytes_.end(), body.begin(), body.end());
  }
  Bytes bytes_;
};

// Claim kinds by their index in kClaimKinds.
constexpr std::uint8_t kAlive = 0, kSuspect = 1, kDead = 2, kLeave = 3, kMajorityView = 4;

Bytes signed_body(const Identity& author, const wire::Claim& claim) {
  Bytes body;
  wire::encode_signed_claim(crypto::make_signed_claim(author, claim).value(), body);
  return body;
}

bool write(const std::filesystem::path& dir, const std::string& name, const SeedInput& seed) {
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(seed.bytes().data()), static_cast<std::streamsize>(seed.bytes().size()));
  if (!out) std::cerr << "swell-fuzz-node-seeds: cannot write " << (dir / name).string() << "\n";
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: swell-fuzz-node-seeds DIR   (writes DIR/node_receive/)\n";
    return 2;
  }
  // The last datagram member 1 sent member 0 during the warm-up, as the wire carried it.
  Bytes captured;
  auto world = build_cluster([&captured](std::uint32_t to, std::uint32_t from, const Bytes& bytes) {
    if (to == 0 && from == 1) captured = bytes;
  });
  const LiveParties parties(*world);
  if (captured.empty()) {
    std::cerr << "swell-fuzz-node-seeds: member 1 sent member 0 nothing during the warm-up\n";
    return 1;
  }

  Bytes ping, ack, nack, ping_req, ping_req_stranger;
  wire::encode_ping(ping);
  wire::encode_ack(12345, ack);
  wire::encode_nack(12345, nack);
  wire::encode_ping_req(wire::PingReq{parties.id(3), parties.address(3)}, ping_req);
  wire::encode_ping_req(wire::PingReq{parties.id(6), parties.address(6)}, ping_req_stranger);
  PeerInfo info2 = world->node(2).member(parties.id(2))->announcement->info;
  info2.version += 1;
  const Bytes alive2 = signed_body(parties.identity(2), wire::AliveClaim{info2, parties.address(2), x25519_public_key(parties.id(2)).value()});
  const Bytes suspect3 = signed_body(parties.identity(1), wire::SuspectClaim{parties.id(1), parties.id(3), 1});
  const Bytes dead3 = signed_body(parties.identity(1), wire::DeadClaim{parties.id(1), parties.id(3), 1});
  const Bytes leave4 = signed_body(parties.identity(4), wire::LeaveClaim{parties.id(4), 1});

  const std::filesystem::path dir = std::filesystem::path(argv[1]) / "node_receive";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  bool ok = !ec;
  ok &= write(dir, "raw-captured", SeedInput().raw(captured));
  ok &= write(dir, "sealed-ping", SeedInput().sealed(1, {{wire::MessageKind::ping, ping}}, /*compact=*/true));
  ok &= write(dir, "sealed-ping-from-stranger", SeedInput().sealed(5, {{wire::MessageKind::ping, ping}}));
  ok &= write(dir, "sealed-ack", SeedInput().sealed(2, {{wire::MessageKind::ack, ack}}));
  ok &= write(dir, "sealed-nack", SeedInput().sealed(3, {{wire::MessageKind::nack, nack}}));
  ok &= write(dir, "sealed-ping-req", SeedInput().sealed(1, {{wire::MessageKind::ping_req, ping_req}}));
  ok &= write(dir, "sealed-ping-req-stranger",
              SeedInput().sealed(2, {{wire::MessageKind::ping_req, ping_req_stranger}}).advance(50));
  ok &= write(dir, "sealed-alive", SeedInput().sealed(1, {{wire::MessageKind::alive, alive2}}));
  ok &= write(dir, "sealed-compound",
              SeedInput().sealed(1, {{wire::MessageKind::ping, ping},
                                     {wire::MessageKind::suspect, suspect3},
                                     {wire::MessageKind::ack, ack}}));
  ok &= write(dir, "sealed-dead-leave",
              SeedInput().sealed(4, {{wire::MessageKind::dead, dead3}, {wire::MessageKind::leave, leave4}}));
  ok &= write(dir, "signed-payload-suspect",
              SeedInput().signed_payload(1, 1, kSuspect,
                                         wire::encode_claim_payload(wire::SuspectClaim{parties.id(1), parties.id(2), 1})));
  PeerInfo outsider;
  outsider.id = "outsider-5";
  outsider.address = "10.9.9.5:3000";
  outsider.owner = parties.id(5);
  outsider.version = 1;
  ok &= write(dir, "signed-payload-alive-outsider",
              SeedInput().signed_payload(5, 5, kAlive,
                                         wire::encode_claim_payload(wire::AliveClaim{outsider, parties.address(5), x25519_public_key(parties.id(5)).value()})));
  ok &= write(dir, "claim-suspect-member0", SeedInput().claim(1, 1, kSuspect, 0, 0).advance(100));
  ok &= write(dir, "claim-suspect-then-dead",
              SeedInput().claim(1, 1, kSuspect, 2, 0).advance(255).claim(3, 3, kDead, 2, 0).advance(255));
  ok &= write(dir, "claim-leave", SeedInput().claim(4, 4, kLeave, 4, 0).advance(100));
  ok &= write(dir, "claim-alive-outsiders",
              SeedInput().claim(5, 5, kAlive, 5, 1).claim(6, 6, kAlive, 6, 1).claim(7, 7, kAlive, 7, 1).advance(200));
  ok &= write(dir, "claim-majority-view", SeedInput().claim(2, 2, kMajorityView, 2, 1));
  // Member 1 suspects member 0 at incarnation UINT64_MAX: member 0's refutation must
  // not wrap its incarnation to 0 (kRefutationNeverWraps in fuzz_node_receive.cpp).
  ok &= write(dir, "regression-refute-wraps", SeedInput().claim(1, 1, kSuspect, 0, 0x80));
  // A push-pull kind, or an undecodable ping-req, in an accepted datagram: the drop
  // counters must still add up (kDropCountersAgree in fuzz_node_receive.cpp). Apart,
  // since the two miscounts cancel out.
  ok &= write(dir, "regression-drop-counters-push-pull",
              SeedInput().sealed(1, {{wire::MessageKind::push_pull_request, ping}}));
  ok &= write(dir, "regression-drop-counters-ping-req", SeedInput().sealed(1, {{wire::MessageKind::ping_req, ping}}));

  wire::DatagramBuilder builder(cluster_config().max_datagram_bytes);
  builder.begin(/*full_sender=*/false, parties.id(1), 1u << 20);
  builder.add(wire::MessageKind::ping, ping);
  builder.add(wire::MessageKind::alive, alive2);
  Bytes envelope;
  builder.finish(envelope);
  ok &= write(dir, "sealed-envelope", SeedInput().sealed_envelope(1, envelope));

  if (!ok) return 1;
  std::cout << "swell-fuzz-node-seeds: wrote " << dir.string() << "\n";
  return 0;
}
