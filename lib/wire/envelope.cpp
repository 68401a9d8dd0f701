#include "wire/envelope.h"

#include "wire/msgpack_reader.h"

namespace swell::wire {
namespace {

bool known_kind(std::uint64_t kind) { return kind >= 1 && kind <= kMaxMessageKind; }

}  // namespace

Result<void> decode_envelope(ByteView bytes, std::size_t max_bytes, const DecodeLimits& limits, EnvelopeView& out) {
  out.messages.clear();
  if (bytes.size() > max_bytes) {
    return Error{ErrorCode::oversized, "message of " + std::to_string(bytes.size()) + " bytes exceeds the limit of " +
                                           std::to_string(max_bytes) + "; raise max_datagram_bytes on every node"};
  }
  if (bytes.size() < kTagSize + 1) {
    return Error{ErrorCode::truncated, "message of " + std::to_string(bytes.size()) +
                                           " bytes is shorter than an envelope and its authenticator"};
  }
  out.authenticated = bytes.first(bytes.size() - kTagSize);
  out.tag = bytes.last(kTagSize);
  MsgpackReader reader(out.authenticated);
  reader.array_of(5, "envelope");
  // The version is read first so a future format fails as unknown_version, not as junk.
  const std::uint64_t version = reader.uint("envelope version");
  if (!reader.ok()) return reader.error();
  if (version != kProtocolVersion) {
    return Error{ErrorCode::unknown_version, "protocol version " + std::to_string(version) +
                                                 " is not supported (this build speaks " +
                                                 std::to_string(kProtocolVersion) + "); upgrade the older node"};
  }
  out.version = static_cast<std::uint8_t>(version);
  const std::uint64_t kind = reader.uint("envelope kind");
  if (reader.ok() && !known_kind(kind)) {
    return Error{ErrorCode::unknown_kind, "message kind " + std::to_string(kind) + " is unknown to this build"};
  }
  out.kind = static_cast<MessageKind>(kind);
  const ByteView sender = reader.bin("envelope sender");
  if (reader.ok()) {
    if (sender.size() == NodeId::kSize) {
      out.sender.full = true;
      out.sender.id = NodeId::from_bytes(sender.data(), sender.size()).value();
      out.sender.prefix = out.sender.id.prefix64();
    } else if (sender.size() == kCompactSenderSize) {
      out.sender.full = false;
      out.sender.id = NodeId{};
      out.sender.prefix = 0;
      for (const std::uint8_t b : sender) out.sender.prefix = (out.sender.prefix << 8) | b;
    } else {
      reader.fail(ErrorCode::bad_field_type, "envelope sender must be 32 or 8 bytes, found " +
                                                 std::to_string(sender.size()));
    }
  }
  out.seq = reader.uint("envelope seq");
  if (!reader.ok()) return reader.error();
  if (out.kind != MessageKind::compound) {
    out.messages.push_back(MessageView{out.kind, reader.raw_value("envelope body")});
  } else {
    const std::uint32_t count = reader.array();
    if (reader.ok() && (count == 0 || count > limits.max_messages)) {
      return Error{count == 0 ? ErrorCode::bad_field_type : ErrorCode::oversized,
                   "compound holds " + std::to_string(count) + " messages; it must hold 1.." +
                       std::to_string(limits.max_messages)};
    }
    for (std::uint32_t i = 0; i < count && reader.ok(); ++i) {
      reader.array_of(2, "compound entry");
      const std::uint64_t inner = reader.uint("compound entry kind");
      if (reader.ok() && (!known_kind(inner) || inner == static_cast<std::uint64_t>(MessageKind::compound))) {
        out.messages.clear();
        return Error{inner == static_cast<std::uint64_t>(MessageKind::compound) ? ErrorCode::bad_field_type
                                                                                : ErrorCode::unknown_kind,
                     "compound entry kind " + std::to_string(inner) + " is not allowed (unknown or nested compound)"};
      }
      const ByteView body = reader.raw_value("compound entry body");
      if (reader.ok()) out.messages.push_back(MessageView{static_cast<MessageKind>(inner), body});
    }
  }
  reader.expect_end("envelope");
  if (!reader.ok()) {
    out.messages.clear();
    return reader.error();
  }
  return success();
}

}  // namespace swell::wire
