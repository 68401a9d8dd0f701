// Claims: statements third parties must be able to verify, so each carries its
// author's Ed25519 signature and is gossiped byte-for-byte unchanged. This file is
// the unsigned payload codec; lib/crypto signs and verifies.
//
//   Bytes payload = encode_claim_payload(SuspectClaim{me, target, incarnation});
//   SignedClaim claim = crypto::sign_claim(identity, std::move(payload));
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "swell/identity.h"
#include "swell/peer_info.h"
#include "wire/decode_limits.h"
#include "wire/message_kind.h"
#include "wire/node_certificate.h"

namespace swell::wire {

/// The highest incarnation a claim may carry. Far beyond any real member's (one step per
/// refutation or update), and low enough that outbidding it never wraps the counter.
inline constexpr std::uint64_t kMaxIncarnation = std::uint64_t{1} << 62;

/// A member announces itself: join, refutation, or a PeerInfo update. The author is
/// info.owner and the incarnation is info.version.
struct AliveClaim {
  PeerInfo info;              ///< What the member announces; owner and version are the claim's.
  std::string swim_address;   ///< host:port where the member speaks swell (UDP and TCP).
  /// The owner's key in X25519 form (x25519_public_key of its id): signed with the rest,
  /// it spares each peer the conversion, the larger half of a pair key's cost.
  X25519PublicKey agreement_key{};
  /// The owner's CA certificate (wire::encode_certificate) in a cluster that admits by
  /// CA, else empty. Signed with the rest, so it travels wherever the claim does.
  Bytes certificate{};
  friend bool operator==(const AliveClaim&, const AliveClaim&) = default;
};

/// author suspects subject at the subject's incarnation.
struct SuspectClaim {
  NodeId author;               ///< Who suspects (signs).
  NodeId subject;              ///< Who is suspected.
  std::uint64_t incarnation;   ///< The subject's incarnation the suspicion is about.
  friend bool operator==(const SuspectClaim&, const SuspectClaim&) = default;
};

/// author declares subject failed at the subject's incarnation.
struct DeadClaim {
  NodeId author;               ///< Who declares (signs).
  NodeId subject;              ///< Who is declared failed.
  std::uint64_t incarnation;   ///< The subject's incarnation the verdict is about.
  /// A hold-down verdict: the subject answers, but too little to keep (it loses most of
  /// what it sends, or answers too late). Receivers check it themselves before
  /// accepting it, and then let it back only through probation.
  bool degraded = false;
  /// An operator's force-leave: the subject, already failed, is to be held as left (no
  /// more reconnect attempts). Receivers apply it only to a member they hold failed.
  bool retired = false;
  friend bool operator==(const DeadClaim&, const DeadClaim&) = default;
};

/// subject leaves the cluster gracefully; only the subject signs it.
struct LeaveClaim {
  NodeId subject;              ///< Who leaves (signs).
  std::uint64_t incarnation;   ///< The leaver's incarnation at the time.
  friend bool operator==(const LeaveClaim&, const LeaveClaim&) = default;
};

/// author's view of every member's PeerInfo, for the majority-rule mode.
struct MajorityViewClaim {
  NodeId author;               ///< Whose view (signs).
  std::uint64_t epoch;         ///< Increases with every view the author publishes.
  std::vector<PeerInfo> view;  ///< One record per member the author knows.
  friend bool operator==(const MajorityViewClaim&, const MajorityViewClaim&) = default;
};

/// A cluster CA (the author, who signs) revokes subject's key: every member removes it
/// and refuses it from then on.
struct RevocationClaim {
  NodeId author;                     ///< The CA key (signs); members honour only CAs they trust.
  NodeId subject;                    ///< The revoked node key.
  std::uint64_t issued_unix_ms = 0;  ///< When the CA issued it (informative; revocations never expire).
  friend bool operator==(const RevocationClaim&, const RevocationClaim&) = default;
};

/// A member moves from its key (the author, who signs) to a new one, its successor: every
/// receiver swaps the keys at once, so the member's membership continues with no failed
/// event, and the old key is refused from then on (docs/security.md, "Key rotation").
struct RotationClaim {
  NodeId author;                  ///< The retiring key (signs).
  NodeId successor;               ///< The new key.
  std::uint64_t incarnation = 0;  ///< The retiring key's incarnation at the time.
  /// The successor's first alive claim, signed by it (encode_signed_claim): it travels
  /// inside, so no receiver meets the successor before it knows whose successor it is.
  Bytes successor_alive;
  /// The successor's signature of crypto::rotation_consent_message(author, successor):
  /// a key cannot be named anyone's successor without its holder's consent.
  Signature consent{};
  friend bool operator==(const RotationClaim&, const RotationClaim&) = default;
};

/// Any claim.
using Claim = std::variant<AliveClaim, SuspectClaim, DeadClaim, LeaveClaim, MajorityViewClaim, RevocationClaim,
                           RotationClaim>;

/// A claim with its signature, as queued and gossiped: the payload bytes never change.
struct SignedClaim {
  Bytes payload;        ///< msgpack claim payload, exactly as signed.
  Signature signature;  ///< Author's Ed25519 signature over the domain tag and payload.
  friend bool operator==(const SignedClaim&, const SignedClaim&) = default;
};

/// A signed claim borrowed from a received buffer.
struct SignedClaimView {
  ByteView payload;     ///< msgpack claim payload.
  ByteView signature;   ///< 64 bytes.
};

/// The kind a claim travels as.
MessageKind kind_of(const Claim& claim);
/// The member whose signature the claim needs.
const NodeId& author_of(const Claim& claim);

/// Encodes the unsigned payload: [kind, author, ...fields] (docs/wire.md).
Bytes encode_claim_payload(const Claim& claim);
/// Decodes a payload; the signature is not checked here.
Result<Claim> decode_claim_payload(ByteView payload, const DecodeLimits& limits);

/// Encodes a signed claim as the body of its message: [payload bin, signature bin].
void encode_signed_claim(const SignedClaim& claim, Bytes& out);
/// Splits a message body into payload and signature without copying.
Result<SignedClaimView> decode_signed_claim(ByteView body);

}  // namespace swell::wire
