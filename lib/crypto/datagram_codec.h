// Sealing and opening whole datagrams: the envelope codec plus the pairwise tag.
//
//   builder.begin(false, me, seq); builder.add(MessageKind::ping, ping_body);
//   seal_datagram(builder, key_with_peer, out);                       // send out
//   auto ok = open_datagram(bytes, limits, [&](const SenderName& s) { return key_for(s); }, env);
#pragma once

#include "crypto/datagram_auth.h"
#include "wire/datagram_builder.h"
#include "wire/envelope.h"

namespace swell::crypto {

/// Finishes builder into out and appends the authenticator under key.
void seal_datagram(const wire::DatagramBuilder& builder, const MacKey& key, Bytes& out);

/// Splits bytes, asks key_for(sender) for the pairwise key (nullptr: sender unknown),
/// and checks the authenticator. On success out holds the verified envelope.
template <class KeyLookup>
Result<void> open_datagram(ByteView bytes, std::size_t max_bytes, const wire::DecodeLimits& limits, KeyLookup&& key_for,
                           wire::EnvelopeView& out) {
  if (auto split = wire::decode_envelope(bytes, max_bytes, limits, out); !split.ok()) return split;
  const MacKey* key = key_for(out.sender);
  if (key == nullptr) {
    out.messages.clear();
    return Error{ErrorCode::unknown_sender, "datagram names a sender this member does not know by its compact name"};
  }
  if (!verify_tag(*key, out.authenticated, out.tag)) {
    out.messages.clear();
    return Error{ErrorCode::bad_mac, "datagram authenticator does not verify; dropped"};
  }
  return success();
}

}  // namespace swell::crypto
