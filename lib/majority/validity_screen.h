// A quick screen for the PeerInfo that validate() accepts in the common form: a printable
// id and a "host:port" address with a plain host name or IPv4 host. The resolver screens
// each new id and grouping key, and calls validate() only for what the screen does not
// pass, which decides. Calling validate() for every new id would cost more than counting
// all of a small cluster's reports.
//
// The screen must never pass what validate() rejects (it may turn down what validate()
// accepts, e.g. IPv6 hosts: those just take the slower path). Keep it in step with
// lib/peer_info/peer_info.cpp; tests/majority/validity_screen_test.cpp compares the two.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "majority/unaligned_load.h"
#include "swell/peer_info.h"

namespace swell::majority {

/// Character classes of the screen, one bit each, looked up by byte value.
enum : std::uint8_t {
  kIdByte = 1,    ///< Visible ASCII, 0x21..0x7e: allowed in an id.
  kHostByte = 2,  ///< Letters, digits, '.', '-', '_': allowed in a host name.
};

/// The class bits of each byte value.
inline constexpr std::array<std::uint8_t, 256> kByteClasses = [] {
  std::array<std::uint8_t, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    std::uint8_t bits = 0;
    if (c > 0x20 && c < 0x7f) bits |= kIdByte;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
        c == '_') {
      bits |= kHostByte;
    }
    classes[static_cast<std::size_t>(c)] = bits;
  }
  return classes;
}();

/// The class bits every one of the n bytes at p has.
inline unsigned common_classes(const char* p, std::size_t n) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(p);
  // Four independent chains, so the lookups overlap instead of waiting on each other.
  unsigned a = 0xff;
  unsigned b = 0xff;
  unsigned c = 0xff;
  unsigned d = 0xff;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a &= kByteClasses[bytes[i]];
    b &= kByteClasses[bytes[i + 1]];
    c &= kByteClasses[bytes[i + 2]];
    d &= kByteClasses[bytes[i + 3]];
  }
  for (; i < n; ++i) a &= kByteClasses[bytes[i]];
  return a & b & c & d;
}

/// True when every byte of id is visible ASCII (0x21..0x7e), as validate() wants of ids.
/// Ids of 8 to 16 bytes are checked as two overlapping 8-byte words: each byte below 0x80
/// gets, by one subtraction per bound (no borrow crosses bytes), the high bit set when it
/// is at least the bound. Other lengths use the table.
inline bool visible_ascii(const std::string& id) {
  const std::size_t n = id.size();
  if (n < 8 || n > 16) return (common_classes(id.data(), n) & kIdByte) != 0;
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  const auto at_least = [](std::uint64_t w, std::uint64_t bound) { return ((w | kHigh) - bound * kOnes) & kHigh; };
  const std::uint64_t first = load_u64(id.data());
  const std::uint64_t last = load_u64(id.data() + n - 8);
  const std::uint64_t visible =
      at_least(first, 0x21) & at_least(last, 0x21) & ~at_least(first, 0x7f) & ~at_least(last, 0x7f);
  return ((first | last) & kHigh) == 0 && (visible & kHigh) == kHigh;
}

/// True only if validate_address(address, max_address_bytes) accepts address.
inline bool screen_address(const std::string& address, std::size_t max_address_bytes) {
  const char* a = address.data();
  const std::size_t n = address.size();
  if (n < 3 || n > max_address_bytes) return false;
  // validate_address() splits at the last ':' and wants 1 to 5 digits after it, with a
  // value in 1..65535. Read the digits from the end: the byte before them must be that ':'.
  std::size_t colon = n - 1;
  unsigned port = 0;
  unsigned scale = 1;
  for (; colon > 0 && n - colon <= 5; --colon) {
    const unsigned digit = static_cast<unsigned>(static_cast<unsigned char>(a[colon])) - '0';
    if (digit > 9) break;
    port += digit * scale;
    scale *= 10;
  }
  // colon is now at the first non-digit from the end, or 0, or after 5 digits.
  if (a[colon] != ':' || colon == 0 || colon + 1 == n || port == 0 || port > 65535) return false;
  // Host bytes exclude '[' (so IPv6 goes to validate()) and ':' (so colon was the last).
  return (common_classes(a, colon) & kHostByte) != 0;
}

/// True only if validate(info, limits) accepts info; see the file comment.
inline bool screen_peer_info(const PeerInfo& info, const PeerInfoLimits& limits) {
  return !info.id.empty() && info.id.size() <= limits.max_id_bytes && visible_ascii(info.id) &&
         static_cast<std::uint8_t>(info.node_type) <= static_cast<std::uint8_t>(NodeType::governator) &&
         info.metadata.size() <= limits.max_metadata_bytes && screen_address(info.address, limits.max_address_bytes);
}

}  // namespace swell::majority
