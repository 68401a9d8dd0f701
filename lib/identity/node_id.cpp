#include "swell/node_id.h"

#include <algorithm>

namespace swell {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string to_hex_digits(const std::uint8_t* data, std::size_t size) {
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kHexDigits[data[i] >> 4];
    out[2 * i + 1] = kHexDigits[data[i] & 0xf];
  }
  return out;
}

}  // namespace

Result<NodeId> NodeId::from_hex(std::string_view hex) {
  if (hex.size() != kSize * 2) {
    return Error{ErrorCode::invalid_argument,
                 "node id must be 64 hex digits, got " + std::to_string(hex.size()) + " characters"};
  }
  std::array<std::uint8_t, kSize> bytes{};
  for (std::size_t i = 0; i < kSize; ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return Error{ErrorCode::invalid_argument,
                   "node id has a non-hex character at position " + std::to_string(2 * i)};
    }
    bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return NodeId(bytes);
}

Result<NodeId> NodeId::from_bytes(const std::uint8_t* data, std::size_t size) {
  if (data == nullptr || size < kSize) {
    return Error{ErrorCode::invalid_argument,
                 "node id needs 32 bytes, got " + std::to_string(data == nullptr ? 0 : size)};
  }
  std::array<std::uint8_t, kSize> bytes{};
  std::copy_n(data, kSize, bytes.begin());
  return NodeId(bytes);
}

std::string NodeId::to_hex() const { return to_hex_digits(bytes_.data(), kSize); }

std::string NodeId::short_hex() const { return to_hex_digits(bytes_.data(), 4); }

std::uint64_t NodeId::prefix64() const {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | bytes_[i];
  return v;
}

bool NodeId::is_zero() const {
  return std::all_of(bytes_.begin(), bytes_.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace swell
