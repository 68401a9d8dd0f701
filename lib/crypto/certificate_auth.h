// Issuing and checking node certificates (wire::NodeCertificate) with a CA key pair:
// Ed25519 over wire::certificate_payload, which binds the cluster label.
//
//   wire::NodeCertificate cert = issue_certificate(ca, node.id(), expires_ms, NodeType::backend, "prod");
//   bool ok = certificate_signature_holds(cert, "prod");
#pragma once

#include <optional>
#include <string_view>

#include "swell/identity.h"
#include "wire/node_certificate.h"

namespace swell::crypto {

/// Signs a certificate admitting node until expires_unix_ms (and only as node_type, if
/// given) in the cluster named label.
wire::NodeCertificate issue_certificate(const Identity& ca, const NodeId& node, std::uint64_t expires_unix_ms,
                                        std::optional<NodeType> node_type, std::string_view label = {});
/// True if cert.signature is cert.ca's over the certificate in the cluster named label.
[[nodiscard]] bool certificate_signature_holds(const wire::NodeCertificate& cert, std::string_view label = {});

}  // namespace swell::crypto
