// Sealing and opening envelopes, the one authentication path for datagrams and
// stream messages alike: the envelope codec plus the pairwise tag.
//
//   builder.begin(false, me, seq); builder.add(MessageKind::ping, ping_body);
//   seal_envelope(builder, key_with_peer, out);                                  // send out
//   auto opened = open_envelope(bytes, max_bytes, limits, key_for, env);
//   if (opened.ok()) use(opened.value().sender, env.messages);
#pragma once

#include <algorithm>

#include "crypto/datagram_auth.h"
#include "wire/datagram_builder.h"
#include "wire/envelope.h"

namespace swell::crypto {

/// What a key lookup found for an envelope's sender name.
struct SenderKey {
  NodeId id;                    ///< The sender's full id (a compact name resolved).
  const MacKey* key = nullptr;  ///< Our pairwise key with it; nullptr: sender unknown.
};

/// Who sent an envelope that opened, and whether its tag proved it.
struct OpenedEnvelope {
  NodeId sender;               ///< The sender, as the key lookup resolved it.
  bool authenticated = true;   ///< False only for an all-zero tag accepted by ZeroTag::accept.
};

/// Whether an all-zero tag is accepted unverified. Only a join request to a seed
/// whose key the joiner cannot know yet carries one, and everything in it is signed.
enum class ZeroTag : std::uint8_t { reject, accept };

/// Finishes builder into out and appends the authenticator under key.
void seal_envelope(const wire::DatagramBuilder& builder, const MacKey& key, Bytes& out);
/// Finishes builder into out with an all-zero tag (a join request to an unknown seed).
void seal_unauthenticated(const wire::DatagramBuilder& builder, Bytes& out);

/// Splits bytes, asks key_for(const wire::SenderName&) -> SenderKey for the sender's
/// pairwise key, and checks the authenticator. Errors: those of decode_envelope,
/// unknown_sender (no key), bad_mac (the tag does not verify); out.messages is empty
/// after any error.
template <class KeyLookup>
Result<OpenedEnvelope> open_envelope(ByteView bytes, std::size_t max_bytes, const wire::DecodeLimits& limits,
                                     KeyLookup&& key_for, wire::EnvelopeView& out, ZeroTag zero_tag = ZeroTag::reject) {
  if (auto split = wire::decode_envelope(bytes, max_bytes, limits, out); !split.ok()) return split.error();
  const SenderKey found = key_for(out.sender);
  if (found.key == nullptr) {
    out.messages.clear();
    return Error{ErrorCode::unknown_sender, "envelope names a sender this member has no key for; dropped"};
  }
  if (zero_tag == ZeroTag::accept &&
      std::all_of(out.tag.begin(), out.tag.end(), [](std::uint8_t b) { return b == 0; })) {
    return OpenedEnvelope{found.id, false};
  }
  if (!verify_tag(*found.key, out.authenticated, out.tag)) {
    out.messages.clear();
    return Error{ErrorCode::bad_mac, "envelope authenticator does not verify; dropped"};
  }
  return OpenedEnvelope{found.id, true};
}

}  // namespace swell::crypto
