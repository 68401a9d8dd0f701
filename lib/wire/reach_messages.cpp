#include "wire/reach_messages.h"

#include "wire/msgpack_reader.h"
#include "wire/msgpack_writer.h"

namespace swell::wire {

void encode_heartbeat(const Heartbeat& heartbeat, Bytes& out) {
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_array(3);
  packer.pack_uint64(heartbeat.view_digest);
  if (heartbeat.wants_view) packer.pack_true();
  else packer.pack_false();
  packer.pack_uint64(heartbeat.mode_epoch);
}

Result<Heartbeat> decode_heartbeat(ByteView body) {
  MsgpackReader reader(body);
  reader.array_of(3, "heartbeat");
  Heartbeat heartbeat;
  heartbeat.view_digest = reader.uint("heartbeat digest");
  heartbeat.wants_view = reader.boolean("heartbeat wants_view");
  heartbeat.mode_epoch = reader.uint("heartbeat mode_epoch");
  reader.expect_end("heartbeat");
  if (!reader.ok()) return reader.error();
  return heartbeat;
}

void encode_reach_view(const ReachView& view, Bytes& out) {
  Bytes packed;
  packed.reserve(8 * view.unreachable.size());
  for (const std::uint64_t prefix : view.unreachable) {
    for (int shift = 56; shift >= 0; shift -= 8) packed.push_back(static_cast<std::uint8_t>(prefix >> shift));
  }
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_array(2);
  packer.pack_uint64(view.view_digest);
  pack_bin(packer, packed);
}

Result<ReachView> decode_reach_view(ByteView body, const DecodeLimits& limits) {
  MsgpackReader reader(body);
  reader.array_of(2, "reach-view");
  ReachView view;
  view.view_digest = reader.uint("reach-view digest");
  const ByteView packed = reader.bin("reach-view unreachable");
  reader.expect_end("reach-view");
  if (!reader.ok()) return reader.error();
  if (packed.size() % 8 != 0) {
    return Error{ErrorCode::bad_field_type, "reach-view unreachable: " + std::to_string(packed.size()) +
                                                " bytes is not a whole number of 8-byte prefixes"};
  }
  // The count comes from the wire: bound it before reserving.
  if (packed.size() / 8 > limits.max_view_entries) {
    return Error{ErrorCode::oversized, "reach-view holds " + std::to_string(packed.size() / 8) +
                                           " prefixes; more than max_view_entries"};
  }
  view.unreachable.reserve(packed.size() / 8);
  for (std::size_t i = 0; i < packed.size(); i += 8) {
    std::uint64_t prefix = 0;
    for (std::size_t b = 0; b < 8; ++b) prefix = (prefix << 8) | static_cast<std::uint8_t>(packed[i + b]);
    view.unreachable.push_back(prefix);
  }
  return view;
}

}  // namespace swell::wire
