// Keys, certificates and files for the admission tests of swell-agent: deterministic
// identities, and a CA that signs with the library's own encoders.
#pragma once

#include <array>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/certificate_auth.h"
#include "swell/identity.h"
#include "wire/node_certificate.h"

namespace swell::test {

/// The identity whose seed is 32 bytes of b (a distinct key per b).
inline Identity identity_of(std::uint8_t b) {
  std::array<std::uint8_t, Identity::kSeedSize> seed{};
  seed.fill(b);
  return std::move(Identity::from_seed(seed).value());
}

/// Writes bytes to path, replacing it.
inline void write_bytes(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

/// An encoded certificate of node by ca, in the cluster named label.
inline Bytes certificate_bytes(const Identity& ca, const NodeId& node, std::uint64_t expires_unix_ms,
                               std::optional<NodeType> type = std::nullopt, std::string_view label = {}) {
  return wire::encode_certificate(crypto::issue_certificate(ca, node, expires_unix_ms, type, label));
}

}  // namespace swell::test
