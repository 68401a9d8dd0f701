#include "crypto/datagram_auth.h"

#include <sodium.h>

#include "wire/envelope.h"

namespace swell::crypto {

void append_tag(const MacKey& key, Bytes& datagram) {
  const std::size_t size = datagram.size();
  datagram.resize(size + wire::kTagSize);
  crypto_generichash(datagram.data() + size, wire::kTagSize, datagram.data(), size, key.data(), key.size());
}

bool verify_tag(const MacKey& key, ByteView message, ByteView tag) {
  if (tag.size() != wire::kTagSize) return false;
  std::uint8_t expected[wire::kTagSize];
  crypto_generichash(expected, sizeof expected, message.data(), message.size(), key.data(), key.size());
  return crypto_verify_16(expected, tag.data()) == 0;
}

}  // namespace swell::crypto
