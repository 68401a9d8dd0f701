// NodeId: a member's identity, which is its 32-byte Ed25519 public key.
//
//   auto id = NodeId::from_hex("9f1c...");   // 64 lowercase hex chars
//   log << id.value().short_hex();           // "9f1c04ab", for logs
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "swell/result.h"

namespace swell {

/// A member's identity: its Ed25519 public key. Ordered bytewise, so sorts are stable.
class NodeId {
 public:
  static constexpr std::size_t kSize = 32;  ///< Bytes in a NodeId.

  /// The all-zero id; no real key is all zeros, so it means "none".
  NodeId() = default;
  /// Wraps raw public-key bytes.
  explicit NodeId(const std::array<std::uint8_t, kSize>& bytes) : bytes_(bytes) {}

  /// Parses 64 hex digits (either case); anything else is invalid_argument.
  static Result<NodeId> from_hex(std::string_view hex);
  /// Copies kSize bytes from data; shorter input is invalid_argument.
  static Result<NodeId> from_bytes(const std::uint8_t* data, std::size_t size);

  /// All 64 lowercase hex digits.
  [[nodiscard]] std::string to_hex() const;
  /// The first 8 hex digits, for logs.
  [[nodiscard]] std::string short_hex() const;
  /// The first 8 bytes read big-endian: a compact name on the wire and a hash.
  [[nodiscard]] std::uint64_t prefix64() const;
  /// True for the all-zero "none" id.
  [[nodiscard]] bool is_zero() const;
  /// The raw key bytes.
  [[nodiscard]] const std::array<std::uint8_t, kSize>& bytes() const { return bytes_; }

  /// Bytewise comparison.
  friend auto operator<=>(const NodeId&, const NodeId&) = default;

 private:
  std::array<std::uint8_t, kSize> bytes_{};
};

}  // namespace swell

/// Hash for unordered containers; never iterate those where order reaches output.
template <>
struct std::hash<swell::NodeId> {
  std::size_t operator()(const swell::NodeId& id) const noexcept { return id.prefix64(); }
};
