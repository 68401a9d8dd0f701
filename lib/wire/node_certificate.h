// NodeCertificate: a cluster CA's statement that a node key may join until a time,
// optionally only as one node_type (docs/security.md, "Admission"). This file is the
// codec; lib/crypto/certificate_auth signs and verifies.
//
//   NodeCertificate cert{ca.id(), node.id(), expires_unix_ms, NodeType::backend};
//   cert.signature = ca.sign(certificate_payload(cert, label));
//   Bytes wire = encode_certificate(cert);   // carried in the node's alive claims
#pragma once

#include <cstdint>
#include <optional>

#include "swell/identity.h"
#include "swell/peer_info.h"
#include "swell/result.h"

namespace swell::wire {

/// A CA-signed admission of one node key; see the file comment.
struct NodeCertificate {
  NodeId ca;                           ///< The CA key that signed it.
  NodeId node;                         ///< The node key admitted.
  std::uint64_t expires_unix_ms = 0;   ///< Refused from this Unix time (ms) on.
  std::optional<NodeType> node_type;   ///< The only node_type it may announce; none: any.
  Signature signature{};               ///< The CA's Ed25519 signature over certificate_payload.
  friend bool operator==(const NodeCertificate&, const NodeCertificate&) = default;
};

/// The bytes the CA signs: a domain tag, the cluster label, then [ca, node, expires, type]
/// (type 255 = any), so a certificate of one cluster never verifies in another.
Bytes certificate_payload(const NodeCertificate& cert, std::string_view label);
/// Encodes [ca bin32, node bin32, expires uint, type uint (255 any), signature bin64].
Bytes encode_certificate(const NodeCertificate& cert);
/// Decodes a certificate; the signature is not checked here. Errors: the reader's
/// (truncated, bad_field_type), invalid_argument for an unknown node_type number.
Result<NodeCertificate> decode_certificate(ByteView bytes);

}  // namespace swell::wire
