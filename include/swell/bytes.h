// Byte buffers as swell passes them: owned (Bytes) and borrowed (ByteView).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace swell {

/// An owned byte buffer.
using Bytes = std::vector<std::uint8_t>;
/// A borrowed, read-only run of bytes.
using ByteView = std::span<const std::uint8_t>;

}  // namespace swell
