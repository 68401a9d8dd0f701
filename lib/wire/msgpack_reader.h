// A bounded cursor over msgpack bytes for the subset swell emits (arrays, unsigned
// integers, booleans, nil, str, bin). It never allocates and checks every length the
// input claims against the bytes actually left, so hostile input costs at most one
// pass over itself. Errors are sticky: after the first one every read returns a zero
// value, and ok()/error() report what went wrong and where.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "swell/bytes.h"
#include "swell/result.h"

namespace swell::wire {

/// Reads msgpack values front to back from a borrowed buffer.
class MsgpackReader {
 public:
  /// Reads from bytes, which must outlive the reader and every view it returns.
  explicit MsgpackReader(ByteView bytes) : bytes_(bytes) {}

  /// Reads an array header and returns its element count (each element needs >= 1 byte).
  std::uint32_t array();
  /// Reads an array header that must have exactly `count` elements.
  void array_of(std::uint32_t count, const char* what) { (void)array_between(count, count, what); }
  /// Reads an array header with between min and max elements; returns the count.
  std::uint32_t array_between(std::uint32_t min, std::uint32_t max, const char* what) {
    // Inline fast path for the common fixarray whose count is in range and fits.
    if (!error_ && pos_ < bytes_.size() && (bytes_[pos_] & 0xf0) == 0x90) {
      const std::uint32_t n = bytes_[pos_] & 0x0f;
      if (n >= min && n <= max && n < remaining()) {
        ++pos_;
        return n;
      }
    }
    return array_between_slow(min, max, what);
  }
  /// Reads an unsigned integer of any width.
  std::uint64_t uint(const char* what) {
    if (!error_ && pos_ < bytes_.size() && bytes_[pos_] <= 0x7f) return bytes_[pos_++];  // positive fixint
    return uint_slow(what);
  }
  /// Reads an unsigned integer that must be <= max.
  std::uint64_t uint_at_most(std::uint64_t max, const char* what);
  /// Reads a boolean.
  bool boolean(const char* what);
  /// Reads a bin; its bytes alias the input.
  ByteView bin(const char* what);
  /// Reads a bin of exactly `size` bytes.
  ByteView bin_of(std::size_t size, const char* what);
  /// Reads a str; its characters alias the input.
  std::string_view str(const char* what);
  /// Consumes a nil and returns true if the next value is nil; else reads nothing.
  bool nil_if_present() {
    if (error_ || remaining() == 0 || bytes_[pos_] != 0xc0) return false;
    ++pos_;
    return true;
  }
  /// Skips one whole value (of any depth) and returns its raw bytes.
  ByteView raw_value(const char* what);

  /// Bytes not yet read.
  [[nodiscard]] std::size_t remaining() const { return bytes_.size() - pos_; }
  /// Offset of the next byte to read.
  [[nodiscard]] std::size_t position() const { return pos_; }
  /// True when no error has occurred.
  [[nodiscard]] bool ok() const { return !error_.has_value(); }
  /// The first error; valid only when !ok().
  [[nodiscard]] const Error& error() const { return *error_; }
  /// Records an error (keeps the first one), e.g. for a semantic check by the caller.
  void fail(ErrorCode code, const std::string& message);
  /// Fails with malformed unless every byte has been read.
  void expect_end(const char* what) {
    if (!error_ && remaining() != 0) trailing_bytes(what);
  }

 private:
  bool need(std::size_t n, const char* what);
  std::uint32_t array_between_slow(std::uint32_t min, std::uint32_t max, const char* what);
  std::uint64_t uint_slow(const char* what);
  void trailing_bytes(const char* what);
  std::uint64_t read_be(std::size_t n);
  std::uint32_t length_header(std::uint8_t tag, const char* what, std::uint8_t fix_mask,
                              std::uint8_t fix_base, std::uint8_t fix_bits, std::uint8_t t8, std::uint8_t t16,
                              std::uint8_t t32, const char* kind);

  ByteView bytes_;
  std::size_t pos_ = 0;
  std::optional<Error> error_;
};

}  // namespace swell::wire
