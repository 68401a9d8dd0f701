// ClusterCa: a cluster CA for simulated members (docs/simulator.md, "Admission"): it
// issues certificates for the ids World members will have, and signs revocations.
//
//   sim::ClusterCa ca(7);
//   world.spawn(1, ca.admit(world, 0, Config::lan(), std::chrono::hours(1)));
//   world.apply_revocation(0, ca.revocation(world.id(5)));
#pragma once

#include <cstdint>
#include <optional>

#include "swell/config.h"
#include "swell/identity.h"
#include "world.h"

namespace swell::sim {

/// A CA key pair made from a seed, and what it signs; see the file comment.
class ClusterCa {
 public:
  /// The CA whose key derives from seed (deterministic, like every World key).
  explicit ClusterCa(std::uint64_t seed);
  /// The CA's public key (what members list in admission.trusted_cas).
  [[nodiscard]] const NodeId& id() const { return identity_.id(); }
  /// base in ca mode for member i of world: trusting this CA (plus base's trusted CAs),
  /// with a certificate for world.future_id(i) valid until virtual time `expires`,
  /// optionally only for node_type; the simulated wall clock (World::kSimulatedEpochMs
  /// at virtual time 0) judges expiry.
  [[nodiscard]] Config admit(const World& world, std::uint32_t i, Config base, Time expires,
                             std::optional<NodeType> node_type = std::nullopt) const;
  /// An encoded certificate for key, valid until virtual time `expires` (a rotated key's).
  [[nodiscard]] Bytes certificate(const NodeId& key, Time expires, std::optional<NodeType> node_type = std::nullopt,
                                  std::string_view label = {}) const;
  /// A signed revocation of key, as Node::apply_revocation takes it.
  [[nodiscard]] Bytes revocation(const NodeId& key, std::string_view label = {}) const;

 private:
  Identity identity_;
};

/// base in allowlist mode listing world.future_id(k) for every k in [0, count).
Config allowlisted(const World& world, std::uint32_t count, Config base);

}  // namespace swell::sim
