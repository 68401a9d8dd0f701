#include "crypto/sealed_envelope.h"

#include <sodium.h>

#include <cstring>

namespace swell::crypto {

static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == wire::kTagSize, "the AEAD tag takes the MAC tag's place");
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == wire::kNonceSize);

NonceSequence::NonceSequence(std::uint64_t seed_a, std::uint64_t seed_b, const NodeId& self) {
  std::uint8_t input[16 + NodeId::kSize];
  std::memcpy(input, &seed_a, 8);
  std::memcpy(input + 8, &seed_b, 8);
  std::memcpy(input + 16, self.bytes().data(), NodeId::kSize);
  crypto_generichash(prefix_.data(), prefix_.size(), input, sizeof input, nullptr, 0);
}

std::array<std::uint8_t, wire::kNonceSize> NonceSequence::next() {
  std::array<std::uint8_t, wire::kNonceSize> nonce{};
  std::memcpy(nonce.data(), prefix_.data(), prefix_.size());
  const std::uint64_t n = counter_++;
  for (int i = 0; i < 8; ++i) nonce[prefix_.size() + i] = static_cast<std::uint8_t>(n >> (56 - 8 * i));
  return nonce;
}

void seal_envelope(const wire::DatagramBuilder& builder, const PairKey& key, Bytes& out, NonceSequence* nonces) {
  if (nonces == nullptr) {
    builder.finish(out);
    append_tag(key, out);
    return;
  }
  const auto nonce = nonces->next();
  const std::size_t at = builder.finish_encrypted(ByteView(nonce), out);
  const std::size_t length = out.size() - at;
  out.resize(out.size() + wire::kTagSize);
  // In place: the clear header is the associated data, the kind and body the message.
  unsigned long long tag_length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out.data() + at, out.data() + at + length, &tag_length,
                                                      out.data() + at, length, out.data(), at, nullptr, nonce.data(),
                                                      key.data());
}

void seal_unauthenticated(const wire::DatagramBuilder& builder, Bytes& out) {
  builder.finish(out);
  out.insert(out.end(), wire::kTagSize, 0);
}

Result<void> open_encrypted(const PairKey& key, const wire::DecodeLimits& limits, wire::EnvelopeView& env) {
  env.messages.clear();
  env.plaintext.resize(env.ciphertext.size());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(env.plaintext.data(), nullptr, env.ciphertext.data(),
                                                          env.ciphertext.size(), env.tag.data(),
                                                          env.authenticated.data(), env.authenticated.size(),
                                                          env.nonce.data(), key.data()) != 0) {
    env.plaintext.clear();
    return Error{ErrorCode::bad_mac, "encrypted envelope does not open under our key with its sender "
                                     "(tampered, or another cluster's key); dropped"};
  }
  return wire::decode_plaintext(limits, env);
}

}  // namespace swell::crypto
