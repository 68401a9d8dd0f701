// ModeDecision: the selector's signed, epoch-numbered order that moves the whole
// cluster into a failure-detection mode (docs/majority.md, "Selector"). It is relayed
// member to member, so it carries its author's Ed25519 signature, under its own domain
// tag so that it can never pass for a claim.
//
//   Bytes payload = wire::encode_mode_decision_payload({me, 4, 0});
//   Bytes body = wire::encode_signed_mode_decision(payload, identity.sign(wire::mode_decision_message(payload, config.cluster_label)));
//   auto got = wire::decode_signed_mode_decision(body);  // then verify_signature(...)
#pragma once

#include <string_view>

#include <cstdint>

#include "swell/bytes.h"
#include "swell/identity.h"
#include "swell/node_id.h"
#include "swell/result.h"

namespace swell::wire {

/// "From epoch `epoch` on, the cluster runs `mode`", by `author`.
struct ModeDecision {
  NodeId author;           ///< Who decided (the lowest-id live member it knew); signs.
  std::uint64_t epoch = 0; ///< Increases with every decision; the higher one wins.
  std::uint8_t mode = 0;   ///< 0: SWIM, 1: majority (majority::Mode).
  friend bool operator==(const ModeDecision&, const ModeDecision&) = default;
};

/// A decision as received: decoded, with the bytes its signature covers.
struct SignedModeDecision {
  ModeDecision decision;  ///< What it says.
  ByteView payload;       ///< The signed payload (aliases the body).
  Signature signature{};  ///< Ed25519 over mode_decision_message(payload).
};

/// [author bin32, epoch uint, mode uint].
Bytes encode_mode_decision_payload(const ModeDecision& decision);
/// The bytes signed: a domain tag, the cluster label (when not the unnamed cluster:
/// its length byte and bytes, as claims bind it), then the payload.
Bytes mode_decision_message(ByteView payload, std::string_view cluster_label);
/// [payload bin, signature bin64].
Bytes encode_signed_mode_decision(ByteView payload, const Signature& signature);
/// Splits and decodes a body; the signature is not checked here. Errors: truncated,
/// bad_field_type (a mode other than 0 or 1, an epoch of 2^62 or more), malformed.
Result<SignedModeDecision> decode_signed_mode_decision(ByteView body);
/// Decodes and checks the author's signature under cluster_label. Errors: those
/// above, bad_signature (also a decision signed under another label).
Result<ModeDecision> verify_mode_decision(ByteView body, std::string_view cluster_label);

}  // namespace swell::wire
