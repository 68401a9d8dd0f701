// FrameReader: reads one length-prefixed frame (4-byte big-endian length, then that many
// bytes) from a stream, checking the claimed length against a cap before storing any of
// it, and growing its buffer only as bytes actually arrive.
#pragma once

#include <cstddef>
#include <cstdint>

#include "swell/bytes.h"

namespace swell::runtime {

/// Appends the 4-byte big-endian length prefix for a frame of size bytes.
void append_length_prefix(Bytes& out, std::size_t size);

/// Accumulates one frame from stream chunks.
class FrameReader {
 public:
  /// Where the frame stands after a chunk.
  enum class Status { need_more, complete, oversized };

  /// A reader refusing frames longer than max_bytes.
  explicit FrameReader(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  /// Consumes chunk; bytes after a complete frame are ignored.
  Status feed(ByteView chunk);
  /// The frame body; complete only after feed() returned complete.
  [[nodiscard]] const Bytes& frame() const { return body_; }

 private:
  std::size_t max_bytes_;
  std::uint8_t prefix_[4] = {};
  std::size_t prefix_have_ = 0;
  std::size_t length_ = 0;
  Status status_ = Status::need_more;
  Bytes body_;
};

}  // namespace swell::runtime
