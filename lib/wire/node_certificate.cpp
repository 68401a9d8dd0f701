#include "wire/node_certificate.h"

#include "wire/msgpack_reader.h"
#include "wire/msgpack_writer.h"
#include "wire/peer_info_codec.h"

namespace swell::wire {
namespace {

// On the wire, "any node_type" is 255: far above the three roles, so new roles fit below.
constexpr std::uint8_t kAnyNodeType = 255;

void pack_fields(Packer& packer, const NodeCertificate& cert) {
  pack_node_id(packer, cert.ca);
  pack_node_id(packer, cert.node);
  packer.pack_uint64(cert.expires_unix_ms);
  packer.pack_uint8(cert.node_type ? static_cast<std::uint8_t>(*cert.node_type) : kAnyNodeType);
}

}  // namespace

Bytes certificate_payload(const NodeCertificate& cert, std::string_view label) {
  // Domain-separated from claims ("swell-claim-v1") so a CA signature over a certificate
  // can never be presented as a claim of the CA, nor the reverse.
  static constexpr char kDomain[] = "swell-node-cert-v1";
  Bytes out(kDomain, kDomain + sizeof(kDomain));  // with its NUL
  out.push_back(static_cast<std::uint8_t>(label.size()));
  out.insert(out.end(), label.begin(), label.end());
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_array(4);
  pack_fields(packer, cert);
  return out;
}

Bytes encode_certificate(const NodeCertificate& cert) {
  Bytes out;
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_array(5);
  pack_fields(packer, cert);
  pack_bin(packer, ByteView(cert.signature));
  return out;
}

Result<NodeCertificate> decode_certificate(ByteView bytes) {
  MsgpackReader reader(bytes);
  reader.array_of(5, "certificate");
  NodeCertificate cert;
  cert.ca = read_node_id(reader, "certificate ca");
  cert.node = read_node_id(reader, "certificate node");
  cert.expires_unix_ms = reader.uint("certificate expires_unix_ms");
  const std::uint64_t type = reader.uint_at_most(kAnyNodeType, "certificate node_type");
  const ByteView signature = reader.bin_of(cert.signature.size(), "certificate signature");
  reader.expect_end("certificate");
  if (!reader.ok()) return reader.error();
  if (type != kAnyNodeType) {
    if (type > static_cast<std::uint8_t>(NodeType::governator)) {
      return Error{ErrorCode::invalid_argument, "certificate node_type " + std::to_string(type) +
                                                    " is no role this build knows (0..2, or 255 for any)"};
    }
    cert.node_type = static_cast<NodeType>(type);
  }
  std::copy(signature.begin(), signature.end(), cert.signature.begin());
  return cert;
}

}  // namespace swell::wire
