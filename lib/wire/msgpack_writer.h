// Encoding goes through msgpack-c's packer; ByteSink adapts it to append to a Bytes
// buffer that callers reuse, so steady-state encoding does not allocate.
#pragma once

#include <msgpack.hpp>

#include <cstring>

#include "swell/bytes.h"

namespace swell::wire {

/// msgpack-c stream that appends to a caller-owned buffer.
class ByteSink {
 public:
  /// Appends to out, which must outlive the sink.
  explicit ByteSink(Bytes& out) : out_(&out) {}
  /// Called by msgpack::packer.
  void write(const char* data, std::size_t size) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(data);
    out_->insert(out_->end(), p, p + size);
  }

 private:
  Bytes* out_;
};

/// The packer every encoder uses.
using Packer = msgpack::packer<ByteSink>;

/// msgpack-c stream that writes into memory already sized by the caller, for the
/// hot path where the exact size is known in advance (DatagramBuilder::finish).
class FixedSink {
 public:
  /// Writes from begin; the caller guarantees room for everything packed.
  explicit FixedSink(std::uint8_t* begin) : cursor_(begin) {}
  /// Called by msgpack::packer.
  void write(const char* data, std::size_t size) {
    // An empty body may sit in a buffer that never held a byte, whose data() is null,
    // and memcpy from a null pointer is undefined even for 0 bytes (found by fuzz_stream).
    if (size == 0) return;
    std::memcpy(cursor_, data, size);
    cursor_ += size;
  }
  /// One past the last byte written.
  [[nodiscard]] std::uint8_t* cursor() const { return cursor_; }

 private:
  std::uint8_t* cursor_;
};

/// Packs raw bytes as a msgpack bin.
template <class AnyPacker>
void pack_bin(AnyPacker& packer, ByteView bytes) {
  packer.pack_bin(static_cast<std::uint32_t>(bytes.size()));
  packer.pack_bin_body(reinterpret_cast<const char*>(bytes.data()), static_cast<std::uint32_t>(bytes.size()));
}

/// Packs a string as a msgpack str.
template <class AnyPacker>
void pack_str(AnyPacker& packer, std::string_view text) {
  packer.pack_str(static_cast<std::uint32_t>(text.size()));
  packer.pack_str_body(text.data(), static_cast<std::uint32_t>(text.size()));
}

/// Size in bytes of msgpack's encoding of an unsigned integer.
inline std::size_t uint_size(std::uint64_t v) {
  if (v < 128) return 1;
  if (v <= 0xff) return 2;
  if (v <= 0xffff) return 3;
  if (v <= 0xffffffffull) return 5;
  return 9;
}

/// Size in bytes of an array header for count elements.
inline std::size_t array_header_size(std::size_t count) { return count < 16 ? 1 : (count <= 0xffff ? 3 : 5); }

}  // namespace swell::wire
