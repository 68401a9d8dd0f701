#include "crypto/certificate_auth.h"

namespace swell::crypto {

wire::NodeCertificate issue_certificate(const Identity& ca, const NodeId& node, std::uint64_t expires_unix_ms,
                                        std::optional<NodeType> node_type, std::string_view label) {
  wire::NodeCertificate cert{ca.id(), node, expires_unix_ms, node_type, {}};
  const Bytes payload = wire::certificate_payload(cert, label);
  cert.signature = ca.sign(payload);
  return cert;
}

bool certificate_signature_holds(const wire::NodeCertificate& cert, std::string_view label) {
  const Bytes payload = wire::certificate_payload(cert, label);
  return verify_signature(cert.ca, payload, cert.signature);
}

}  // namespace swell::crypto
