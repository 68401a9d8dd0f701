#include "forgery.h"

#include "crypto/claim_auth.h"
#include "crypto/sealed_envelope.h"
#include "crypto/pairwise_key.h"
#include "wire/claims.h"
#include "world.h"

namespace swell::sim {

Result<Bytes> forge_alive_datagram(World& world, std::uint32_t attacker, std::uint32_t subject, std::uint32_t target,
                                   Forgery forgery, std::uint64_t seq, std::uint64_t incarnation_bump) {
  if (!world.is_up(attacker) || !world.is_up(target)) {
    return Error{ErrorCode::not_running, "forge: attacker and target must be up"};
  }
  auto identity = Identity::from_seed(world.identity_seed(attacker));
  if (!identity.ok()) return identity.error();
  const Identity& me = identity.value();

  // Start from what the target believes, so only the incarnation, the metadata and the
  // address differ: the most convincing lie.
  PeerInfo info;
  std::uint64_t incarnation = 0;
  if (const auto seen = world.node(target).member(world.id(subject)); seen && seen->announcement) {
    info = seen->announcement->info;
    incarnation = seen->incarnation;
  } else {
    info.id = "node-" + std::to_string(subject);
    info.address = "10.0.0.1:3000";
  }
  info.owner = world.id(subject);
  info.version = incarnation + incarnation_bump;
  info.metadata = {'f', 'o', 'r', 'g', 'e', 'd'};
  const wire::AliveClaim claim{info, world.address(attacker)};
  // sign_claim, not make_signed_claim: the attacker signs a claim it does not author.
  const wire::SignedClaim signed_claim = crypto::sign_claim(me, wire::encode_claim_payload(claim));

  Bytes body;
  wire::encode_signed_claim(signed_claim, body);
  wire::DatagramBuilder builder;
  const NodeId& sender = forgery == Forgery::resigned ? me.id() : world.id(subject);
  builder.begin(/*full_sender=*/true, sender, seq);
  if (!builder.add(wire::MessageKind::alive, body)) {
    return Error{ErrorCode::oversized, "forge: the claim does not fit a datagram"};
  }
  auto key = crypto::derive_mac_key(me, world.id(target));
  if (!key.ok()) return key.error();
  Bytes out;
  crypto::seal_envelope(builder, key.value(), out);
  return out;
}

}  // namespace swell::sim
