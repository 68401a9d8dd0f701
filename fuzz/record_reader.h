// RecordReader: how the record-driven targets (fuzz_node_receive, fuzz_stream) read an
// input front to back; every read fails once the bytes run out.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "swell/bytes.h"

namespace swell::fuzz {

/// Reads an input front to back; every read fails once the bytes run out.
class RecordReader {
 public:
  /// Reads bytes, which must outlive the reader.
  explicit RecordReader(ByteView bytes) : bytes_(bytes) {}
  /// The next byte; false at the end.
  bool byte(std::uint8_t& out) {
    if (pos_ >= bytes_.size()) return false;
    out = bytes_[pos_++];
    return true;
  }
  /// A two-byte length, then that many bytes (clamped to what is left).
  bool sized(ByteView& out) {
    std::uint8_t hi = 0, lo = 0;
    if (!byte(hi) || !byte(lo)) return false;
    const std::size_t n = std::min<std::size_t>((std::size_t{hi} << 8) | lo, bytes_.size() - pos_);
    out = bytes_.subspan(pos_, n);
    pos_ += n;
    return true;
  }

 private:
  ByteView bytes_;
  std::size_t pos_ = 0;
};

}  // namespace swell::fuzz
