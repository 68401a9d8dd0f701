// The two members the envelope target and the seed generator agree on: the sender
// seals datagrams for the receiver under their pairwise key, so an unmutated seed
// passes the authenticator and the fuzzer reaches the decoders behind it.
#pragma once

#include "crypto/pairwise_key.h"
#include "fixtures/sample_messages.h"

namespace swell::fuzz {

/// Fixture seed of the member that sends every seed datagram.
inline constexpr std::uint8_t kSenderSeed = 1;
/// Fixture seed of the member that receives them.
inline constexpr std::uint8_t kReceiverSeed = 2;

/// The sender/receiver pairwise datagram key (the same from either side).
inline crypto::MacKey pairwise_key() {
  return crypto::derive_mac_key(fixtures::identity(kReceiverSeed), fixtures::identity(kSenderSeed).id()).value();
}

/// Their pairwise AEAD key (Config::encrypt), of the unnamed cluster.
inline crypto::PairKey aead_key() {
  return crypto::derive_pair_key(fixtures::identity(kReceiverSeed), fixtures::identity(kSenderSeed).id(),
                                 crypto::KeyScope{"", crypto::KeyPurpose::aead})
      .value();
}

}  // namespace swell::fuzz
