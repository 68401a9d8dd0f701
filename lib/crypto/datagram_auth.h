// The point-to-point authenticator on every datagram: a 16-byte keyed BLAKE2b over
// the whole envelope, under the pairwise key of sender and receiver.
#pragma once

#include "crypto/pairwise_key.h"
#include "swell/bytes.h"

namespace swell::crypto {

/// Appends the 16-byte tag over all of datagram's current bytes.
void append_tag(const MacKey& key, Bytes& datagram);
/// True when tag authenticates message under key (constant-time comparison).
[[nodiscard]] bool verify_tag(const MacKey& key, ByteView message, ByteView tag);

}  // namespace swell::crypto
