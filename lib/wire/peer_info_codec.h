// PeerInfo on the wire: the full nine-field record (majority views) and the decoder
// shared with alive claims, which carry owner and version in their own fields.
#pragma once

#include "swell/peer_info.h"
#include "wire/decode_limits.h"
#include "wire/msgpack_reader.h"
#include "wire/msgpack_writer.h"

namespace swell::wire {

/// Packs [id, address, metrics_port, node_type, is_load_balancer, last_updated_ms,
/// version, owner, metadata].
void pack_peer_info(Packer& packer, const PeerInfo& info);
/// Reads what pack_peer_info wrote and validates it against limits.
PeerInfo read_peer_info(MsgpackReader& reader, const PeerInfoLimits& limits);

/// Packs the six announced fields (id .. last_updated_ms) followed by metadata.
void pack_announced_fields(Packer& packer, const PeerInfo& info);
/// Reads the six announced fields into info (metadata is read by the caller).
void read_announced_fields(MsgpackReader& reader, PeerInfo& info);
/// Reads a metadata bin and checks its size against limits.
void read_metadata(MsgpackReader& reader, PeerInfo& info, const PeerInfoLimits& limits);
/// Runs validate() and records any failure on reader.
void check_peer_info(MsgpackReader& reader, const PeerInfo& info, const PeerInfoLimits& limits);
/// Reads a 32-byte bin as a NodeId.
NodeId read_node_id(MsgpackReader& reader, const char* what);
/// Packs a NodeId as a 32-byte bin.
void pack_node_id(Packer& packer, const NodeId& id);

}  // namespace swell::wire
