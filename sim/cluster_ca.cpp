#include "cluster_ca.h"

#include <algorithm>

#include "crypto/certificate_auth.h"
#include "crypto/claim_auth.h"

namespace swell::sim {
namespace {

Identity ca_identity(std::uint64_t seed) {
  std::array<std::uint8_t, Identity::kSeedSize> bytes{};
  // Distinct from member seeds: those come from World's mix of (seed, index).
  for (std::size_t b = 0; b < bytes.size(); ++b) bytes[b] = static_cast<std::uint8_t>((seed >> (8 * (b % 8))) ^ (0xca + b));
  auto identity = Identity::from_seed(bytes);
  // from_seed fails only without libsodium, which World needs as well.
  return std::move(identity.value());
}

}  // namespace

ClusterCa::ClusterCa(std::uint64_t seed) : identity_(ca_identity(seed)) {}

Config ClusterCa::admit(const World& world, std::uint32_t i, Config base, Time expires,
                        std::optional<NodeType> node_type) const {
  base.admission.mode = AdmissionMode::ca;
  if (std::find(base.admission.trusted_cas.begin(), base.admission.trusted_cas.end(), id()) ==
      base.admission.trusted_cas.end()) {
    base.admission.trusted_cas.push_back(id());
  }
  base.admission.unix_ms_at_time_zero = static_cast<std::int64_t>(World::kSimulatedEpochMs);
  base.admission.certificate = certificate(world.future_id(i), expires, node_type, base.cluster_label);
  return base;
}

Bytes ClusterCa::certificate(const NodeId& key, Time expires, std::optional<NodeType> node_type,
                             std::string_view label) const {
  const std::uint64_t expires_ms = World::kSimulatedEpochMs + static_cast<std::uint64_t>(expires.count() / 1000);
  return wire::encode_certificate(crypto::issue_certificate(identity_, key, expires_ms, node_type, label));
}

Bytes ClusterCa::revocation(const NodeId& key, std::string_view label) const {
  const wire::RevocationClaim claim{identity_.id(), key, World::kSimulatedEpochMs};
  Bytes body;
  auto signed_claim = crypto::make_signed_claim(identity_, claim, label);
  if (signed_claim.ok()) wire::encode_signed_claim(signed_claim.value(), body);
  return body;
}

Config allowlisted(const World& world, std::uint32_t count, Config base) {
  base.admission.mode = AdmissionMode::allowlist;
  for (std::uint32_t k = 0; k < count; ++k) base.admission.allowed.push_back(world.future_id(k));
  return base;
}

}  // namespace swell::sim
