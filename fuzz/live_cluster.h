// The small simulated cluster fuzz_node_receive feeds datagrams into, and the record
// format of that target's inputs. swell-fuzz-node-seeds builds the same cluster (same
// seed, hence the same member ids and keys) to write seeds that authenticate.
//
//   auto world = swell::fuzz::build_cluster();   // 5 members joined through member 0
//   LiveParties parties(*world);                 // their keys, plus 3 outsiders
//   (void)world->inject(0, 1, datagram);         // as if member 1 had sent it
//
// Input format (every integer big-endian; a truncated record ends the input):
//
//   input   := record*                      at most kMaxRecords are read
//   record  := tag fields                   the record type is tag % kRecordTypes
//   raw              from len bytes         bytes as they are, from member 1 + from % 4
//   sealed           sender seq count {kind len body}*count
//                                           an envelope of those messages (kind % 12 + 1),
//                                           with sender's correct authenticator
//   signed_payload   signer sender seq kind len payload
//                                           payload signed by signer, as a message of
//                                           claim kind kClaimKinds[kind % 5], sealed
//   claim            signer sender seq kind subject incarnation
//                                           a well-formed claim signed by signer, sealed
//   advance          steps                  run the world for steps * kAdvanceStep
//   sealed_envelope  sender len envelope    envelope bytes, sender's authenticator appended
//
// sender and signer name a party (party_of: byte % 8); bit 3 of a sender byte names
// the sender by its 8-byte compact name instead of its full key. seq is a signed
// offset from the sender's highest sequence number member 0 has seen, plus one
// (0x80: UINT64_MAX). incarnation is a signed offset from the subject's incarnation in
// member 0's view (0x80: UINT64_MAX, 0x81: UINT64_MAX - 1). len is two bytes, clamped
// to the bytes left.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "crypto/pairwise_key.h"
#include "swell/config.h"
#include "swell/identity.h"
#include "wire/message_kind.h"
#include "world.h"

namespace swell::fuzz {

/// Seed of the World every cluster is built from: member ids never change.
inline constexpr std::uint64_t kClusterSeed = 0x5357454c4cull;
/// Members of the simulated cluster; member 0 is the one being fuzzed.
inline constexpr std::uint32_t kClusterMembers = 5;
/// Identities that are not members but can sign claims and seal datagrams.
inline constexpr std::uint32_t kOutsiders = 3;
/// Members and outsiders: every key the fuzzer can sign or seal with.
inline constexpr std::uint32_t kParties = kClusterMembers + kOutsiders;
/// Below kParties, so once every outsider has announced itself the table is full and
/// the last one reaches the refusal path (members_refused).
inline constexpr std::size_t kClusterMaxMembers = kParties - 1;
/// Virtual time the cluster runs before the first input, so every member knows the others.
inline constexpr Duration kWarmUp = std::chrono::seconds(10);
/// Virtual time after every delivered record.
inline constexpr Duration kRecordStep = std::chrono::milliseconds(20);
/// Virtual time after every input.
inline constexpr Duration kInputStep = std::chrono::milliseconds(50);
/// Unit of an advance record.
inline constexpr Duration kAdvanceStep = std::chrono::milliseconds(10);
/// Records read from one input; bounds the virtual time (and real time) one input costs.
inline constexpr std::size_t kMaxRecords = 64;

/// What a record does (tag % kRecordTypes).
enum class RecordType : std::uint8_t { raw, sealed, signed_payload, claim, advance, sealed_envelope };
/// Number of record types.
inline constexpr std::uint8_t kRecordTypes = 6;

/// The message kinds a signed claim travels as, in the order kind bytes select them.
inline constexpr std::array<wire::MessageKind, 5> kClaimKinds = {
    wire::MessageKind::alive, wire::MessageKind::suspect, wire::MessageKind::dead, wire::MessageKind::leave,
    wire::MessageKind::majority_view};

/// The party a sender or signer byte names: 0..3 are members 1..4, 4 is member 0
/// itself, 5..7 are the outsiders (parties kClusterMembers..kParties - 1).
inline std::uint32_t party_of(std::uint8_t byte) {
  const std::uint32_t k = byte % 8u;
  return k < 4 ? k + 1 : (k == 4 ? 0 : k);
}

/// The byte party_of maps to party (for writing seeds).
inline std::uint8_t byte_of_party(std::uint32_t party) {
  return static_cast<std::uint8_t>(party >= 1 && party <= 4 ? party - 1 : (party == 0 ? 4 : party));
}

/// The protocol settings of every member: LAN defaults with real pairwise keys, and a
/// member table small enough for the outsiders to fill.
inline Config cluster_config() {
  Config config = Config::lan();
  config.max_members = kClusterMaxMembers;
  return config;
}

/// A fresh cluster: kClusterMembers members joined through member 0, run for kWarmUp.
/// observer (if any) sees every datagram from the first join on.
inline std::unique_ptr<sim::World> build_cluster(sim::DatagramObserver observer = nullptr) {
  auto world = std::make_unique<sim::World>(kClusterSeed);
  world->spawn(kClusterMembers, cluster_config());
  if (observer) world->observe_datagrams(std::move(observer));
  world->join_all(0);
  world->run_for(kWarmUp);
  return world;
}

/// Every party's identity, and its pairwise key with member 0.
class LiveParties {
 public:
  /// Reads the members' seeds from world (any world built by build_cluster).
  explicit LiveParties(const sim::World& world) {
    for (std::uint32_t p = 0; p < kParties; ++p) {
      std::array<std::uint8_t, Identity::kSeedSize> seed{};
      if (p < kClusterMembers) {
        seed = world.identity_seed(p);
      } else {
        for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(0xa5 ^ (p * 31 + i));
      }
      identities_.push_back(std::move(Identity::from_seed(seed).value()));
      addresses_.push_back(p < kClusterMembers ? world.address(p) : "o" + std::to_string(p) + ".sim:7946");
    }
    for (std::uint32_t p = 0; p < kParties; ++p) {
      // Member 0 has no key with itself (derive_mac_key refuses): its "own" datagrams
      // get an all-zero key, and member 0 refuses its own name before the tag anyway.
      auto key = crypto::derive_mac_key(identities_[p], identities_[0].id());
      keys_.push_back(key.ok() ? key.value() : crypto::MacKey{});
    }
  }

  /// Party p's key pair.
  [[nodiscard]] const Identity& identity(std::uint32_t p) const { return identities_[p]; }
  /// Party p's id.
  [[nodiscard]] const NodeId& id(std::uint32_t p) const { return identities_[p].id(); }
  /// The datagram key between party p and member 0.
  [[nodiscard]] const crypto::MacKey& key(std::uint32_t p) const { return keys_[p]; }
  /// Party p's swim address: a member's own, or one no member has for an outsider.
  [[nodiscard]] const std::string& address(std::uint32_t p) const { return addresses_[p]; }

 private:
  std::vector<Identity> identities_;
  std::vector<crypto::MacKey> keys_;
  std::vector<std::string> addresses_;
};

}  // namespace swell::fuzz
