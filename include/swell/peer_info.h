// PeerInfo: what a member announces about itself (the first user's record, plus the
// owner's key, a version and bounded opaque metadata).
//
//   swell::PeerInfo info;
//   info.id = "backend-7";
//   info.address = "10.0.3.7:3000";
//   info.metrics_port = 9090;
//   info.node_type = swell::NodeType::backend;
//   if (auto ok = swell::validate(info); !ok.ok()) std::cerr << ok.error().message;
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "swell/bytes.h"
#include "swell/node_id.h"
#include "swell/result.h"

namespace swell {

/// The role a member plays in the inference cluster.
enum class NodeType : std::uint8_t { proxy = 0, backend = 1, governator = 2 };

/// "proxy", "backend" or "governator".
std::string_view to_string(NodeType type);
/// Parses the names to_string produces; anything else is invalid_argument.
Result<NodeType> parse_node_type(std::string_view name);

/// What a member announces about itself. Fields the resolver reads come first, so a
/// scan over many records touches as few cache lines as possible.
struct PeerInfo {
  std::string id;                    ///< Stable member name, e.g. "backend-7"; printable, no spaces.
  std::string address;               ///< "host:port" (IPv6 as "[::1]:port") where the member serves.
  std::uint64_t last_updated_ms = 0;  ///< Milliseconds since the Unix epoch of the last change.
  std::uint16_t metrics_port = 0;     ///< Port of the member's metrics endpoint; 0 if none.
  NodeType node_type = NodeType::backend;  ///< The member's role.
  bool is_load_balancer = false;      ///< True when the member balances load for others.
  std::uint64_t version = 0;          ///< Owner's version/incarnation; a higher one supersedes.
  NodeId owner;                       ///< Key of the member that signs this record.
  Bytes metadata;                     ///< Opaque application data, at most the configured limit.

  /// Field-by-field equality.
  friend bool operator==(const PeerInfo&, const PeerInfo&) = default;
};

/// Bounds that validate() enforces.
struct PeerInfoLimits {
  std::size_t max_metadata_bytes = 512;  ///< Metadata cap; gossip carries it in every update.
  std::size_t max_id_bytes = 128;        ///< Id length cap.
  std::size_t max_address_bytes = 261;   ///< "host:port" length cap (253-byte DNS name + port).
};

/// Checks every field against limits; the error names the field and the fix.
Result<void> validate(const PeerInfo& info, const PeerInfoLimits& limits = {});

/// Checks that address is "host:port" with a port in 1..65535.
Result<void> validate_address(std::string_view address, std::size_t max_bytes = 261);

}  // namespace swell
