#include "wire/envelope.h"

#include "wire/msgpack_reader.h"

namespace swell::wire {
namespace {

bool known_kind(std::uint64_t kind) { return is_known(kind); }


// Reads the body (or compound entries) that follow out.kind into out.messages.
void read_messages(MsgpackReader& reader, const DecodeLimits& limits, EnvelopeView& out) {
  if (out.kind != MessageKind::compound) {
    out.messages.push_back(MessageView{out.kind, reader.raw_value("envelope body")});
  } else {
    const std::uint32_t count = reader.array();
    if (reader.ok() && (count == 0 || count > limits.max_messages)) {
      reader.fail(count == 0 ? ErrorCode::bad_field_type : ErrorCode::oversized,
                  "compound holds " + std::to_string(count) + " messages; it must hold 1.." +
                      std::to_string(limits.max_messages));
      return;
    }
    for (std::uint32_t i = 0; i < count && reader.ok(); ++i) {
      reader.array_of(2, "compound entry");
      const std::uint64_t inner = reader.uint("compound entry kind");
      if (reader.ok() && (!known_kind(inner) || inner == static_cast<std::uint64_t>(MessageKind::compound))) {
        reader.fail(inner == static_cast<std::uint64_t>(MessageKind::compound) ? ErrorCode::bad_field_type
                                                                               : ErrorCode::unknown_kind,
                    "compound entry kind " + std::to_string(inner) + " is not allowed (unknown or nested compound)");
        return;
      }
      const ByteView body = reader.raw_value("compound entry body");
      if (reader.ok()) out.messages.push_back(MessageView{static_cast<MessageKind>(inner), body});
    }
  }
}

// Reads the sender name into out.sender.
void read_sender(MsgpackReader& reader, EnvelopeView& out) {
  const ByteView sender = reader.bin("envelope sender");
  if (!reader.ok()) return;
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

Result<void> check_size(ByteView bytes, std::size_t max_bytes) {
  if (bytes.size() > max_bytes) {
    return Error{ErrorCode::oversized, "message of " + std::to_string(bytes.size()) + " bytes exceeds the limit of " +
                                           std::to_string(max_bytes) + "; raise max_datagram_bytes on every node"};
  }
  if (bytes.size() < kTagSize + 1) {
    return Error{ErrorCode::truncated, "message of " + std::to_string(bytes.size()) +
                                           " bytes is shorter than an envelope and its authenticator"};
  }
  return success();
}

// The message kind; unknown_kind for a number this build does not know.
Result<MessageKind> read_kind(MsgpackReader& reader) {
  const std::uint64_t kind = reader.uint("envelope kind");
  if (!reader.ok()) return reader.error();
  if (!known_kind(kind)) {
    return Error{ErrorCode::unknown_kind, "message kind " + std::to_string(kind) + " is unknown to this build"};
  }
  return static_cast<MessageKind>(kind);
}

// The messages, which must end the envelope; none are kept on error.
Result<void> read_messages_to_end(MsgpackReader& reader, const DecodeLimits& limits, EnvelopeView& out) {
  read_messages(reader, limits, out);
  reader.expect_end("envelope");
  if (!reader.ok()) {
    out.messages.clear();
    return reader.error();
  }
  return success();
}

}  // namespace

bool is_encrypted_envelope(ByteView bytes) {
  // fixarray(4) then the positive fixint 2; version 1 starts fixarray(5), 1.
  return bytes.size() >= 2 && bytes[0] == 0x94 && bytes[1] == kEncryptedVersion;
}

Result<void> decode_envelope(ByteView bytes, std::size_t max_bytes, const DecodeLimits& limits, EnvelopeView& out) {
  out.messages.clear();
  out.encrypted = false;
  if (auto size = check_size(bytes, max_bytes); !size.ok()) return size;
  if (is_encrypted_envelope(bytes)) {
    return Error{ErrorCode::wrong_protection, "envelope is encrypted (version 2) and this member does not encrypt; "
                                              "set Config::encrypt alike on every member"};
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
  auto kind = read_kind(reader);
  if (!kind.ok()) return kind.error();
  out.kind = kind.value();
  read_sender(reader, out);
  out.seq = reader.uint("envelope seq");
  if (!reader.ok()) return reader.error();
  return read_messages_to_end(reader, limits, out);
}

Result<void> decode_encrypted_header(ByteView bytes, std::size_t max_bytes, EnvelopeView& out) {
  out.messages.clear();
  out.encrypted = true;
  if (auto size = check_size(bytes, max_bytes); !size.ok()) return size;
  MsgpackReader reader(bytes.first(bytes.size() - kTagSize));
  reader.array_of(4, "encrypted envelope");
  const std::uint64_t version = reader.uint("envelope version");
  if (!reader.ok()) return reader.error();
  if (version != kEncryptedVersion) {
    return Error{ErrorCode::unknown_version, "encrypted envelope version " + std::to_string(version) +
                                                 " is not supported (this build speaks " +
                                                 std::to_string(kEncryptedVersion) + ")"};
  }
  out.version = kEncryptedVersion;
  read_sender(reader, out);
  out.seq = reader.uint("envelope seq");
  out.nonce = reader.bin("envelope nonce");
  if (!reader.ok()) return reader.error();
  if (out.nonce.size() != kNonceSize) {
    return Error{ErrorCode::bad_field_type, "envelope nonce must be " + std::to_string(kNonceSize) + " bytes, found " +
                                                std::to_string(out.nonce.size())};
  }
  const std::size_t header = bytes.size() - kTagSize - reader.remaining();
  // At least the one-byte kind is encrypted.
  if (reader.remaining() == 0) return Error{ErrorCode::truncated, "encrypted envelope holds no ciphertext"};
  out.authenticated = bytes.first(header);
  out.ciphertext = bytes.subspan(header, reader.remaining());
  out.tag = bytes.last(kTagSize);
  return success();
}

Result<void> decode_plaintext(const DecodeLimits& limits, EnvelopeView& out) {
  out.messages.clear();
  MsgpackReader reader{ByteView(out.plaintext)};
  auto kind = read_kind(reader);
  if (!kind.ok()) return kind.error();
  out.kind = kind.value();
  return read_messages_to_end(reader, limits, out);
}

}  // namespace swell::wire
