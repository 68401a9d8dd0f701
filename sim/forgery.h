// Forgery: datagrams a malicious member could build with nothing but its own key, for
// tests and scenarios that check the core rejects them. The attacker is a real member
// of the World; its identity comes from World::identity_seed.
//
//   auto bytes = swell::sim::forge_alive_datagram(world, /*attacker=*/2, /*subject=*/5,
//                                                 /*target=*/0, Forgery::resigned, seq);
//   (void)world.inject(0, 2, bytes.value());     // member 0 must reject the claim
#pragma once

#include <cstdint>

#include "swell/bytes.h"
#include "swell/result.h"

namespace swell::sim {

class World;

/// How a forged datagram lies.
enum class Forgery : std::uint8_t {
  /// From the attacker, correctly MACed with its pairwise key, carrying an alive claim
  /// for the subject that the attacker signed itself (the signature cannot verify).
  resigned,
  /// Names the subject as its sender; the attacker can only MAC it with its own key.
  spoofed_sender,
};

/// Builds a datagram in which attacker tells target that subject is alive at an
/// incarnation incarnation_bump above target's current view of it (with metadata
/// "forged" and the attacker's address, to hijack its traffic). seq is the envelope's
/// sequence number. Fails only if a member is crashed or a key cannot be derived.
Result<Bytes> forge_alive_datagram(World& world, std::uint32_t attacker, std::uint32_t subject, std::uint32_t target,
                                   Forgery forgery, std::uint64_t seq, std::uint64_t incarnation_bump = 1);

}  // namespace swell::sim
