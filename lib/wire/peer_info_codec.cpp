#include "wire/peer_info_codec.h"

#include <algorithm>

namespace swell::wire {

void pack_node_id(Packer& packer, const NodeId& id) { pack_bin(packer, ByteView(id.bytes())); }

NodeId read_node_id(MsgpackReader& reader, const char* what) {
  const ByteView bytes = reader.bin_of(NodeId::kSize, what);
  if (!reader.ok()) return {};
  std::array<std::uint8_t, NodeId::kSize> raw{};
  std::copy_n(bytes.begin(), NodeId::kSize, raw.begin());
  return NodeId(raw);
}

void pack_announced_fields(Packer& packer, const PeerInfo& info) {
  pack_str(packer, info.id);
  pack_str(packer, info.address);
  packer.pack_uint16(info.metrics_port);
  packer.pack_uint8(static_cast<std::uint8_t>(info.node_type));
  if (info.is_load_balancer) packer.pack_true(); else packer.pack_false();
  packer.pack_uint64(info.last_updated_ms);
}

void read_announced_fields(MsgpackReader& reader, PeerInfo& info) {
  // Lengths are checked before the copy: a str longer than the limit is refused
  // without allocating for it.
  const std::string_view id = reader.str("PeerInfo id");
  const std::string_view address = reader.str("PeerInfo address");
  info.metrics_port = static_cast<std::uint16_t>(reader.uint_at_most(0xffff, "PeerInfo metrics_port"));
  info.node_type = static_cast<NodeType>(
      reader.uint_at_most(static_cast<std::uint8_t>(NodeType::governator), "PeerInfo node_type"));
  info.is_load_balancer = reader.boolean("PeerInfo is_load_balancer");
  info.last_updated_ms = reader.uint("PeerInfo last_updated_ms");
  if (!reader.ok()) return;
  info.id.assign(id);
  info.address.assign(address);
}

void read_metadata(MsgpackReader& reader, PeerInfo& info, const PeerInfoLimits& limits) {
  const ByteView metadata = reader.bin("PeerInfo metadata");
  if (!reader.ok()) return;
  if (metadata.size() > limits.max_metadata_bytes) {
    reader.fail(ErrorCode::oversized, "PeerInfo metadata of " + std::to_string(metadata.size()) +
                                          " bytes exceeds max_metadata_bytes " +
                                          std::to_string(limits.max_metadata_bytes));
    return;
  }
  info.metadata.assign(metadata.begin(), metadata.end());
}

void check_peer_info(MsgpackReader& reader, const PeerInfo& info, const PeerInfoLimits& limits) {
  if (!reader.ok()) return;
  if (auto valid = validate(info, limits); !valid.ok()) reader.fail(valid.error().code, valid.error().message);
}

void pack_peer_info(Packer& packer, const PeerInfo& info) {
  packer.pack_array(9);
  pack_announced_fields(packer, info);
  packer.pack_uint64(info.version);
  pack_node_id(packer, info.owner);
  pack_bin(packer, info.metadata);
}

PeerInfo read_peer_info(MsgpackReader& reader, const PeerInfoLimits& limits) {
  PeerInfo info;
  reader.array_of(9, "PeerInfo");
  read_announced_fields(reader, info);
  info.version = reader.uint("PeerInfo version");
  info.owner = read_node_id(reader, "PeerInfo owner");
  read_metadata(reader, info, limits);
  check_peer_info(reader, info, limits);
  return info;
}

}  // namespace swell::wire
