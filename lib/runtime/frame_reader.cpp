#include "runtime/frame_reader.h"

#include <algorithm>

namespace swell::runtime {

void append_length_prefix(Bytes& out, std::size_t size) {
  const auto n = static_cast<std::uint32_t>(size);
  out.push_back(static_cast<std::uint8_t>(n >> 24));
  out.push_back(static_cast<std::uint8_t>(n >> 16));
  out.push_back(static_cast<std::uint8_t>(n >> 8));
  out.push_back(static_cast<std::uint8_t>(n));
}

FrameReader::Status FrameReader::feed(ByteView chunk) {
  if (status_ != Status::need_more) return status_;
  std::size_t at = 0;
  while (prefix_have_ < 4 && at < chunk.size()) prefix_[prefix_have_++] = chunk[at++];
  if (prefix_have_ < 4) return status_;
  if (at > 0 || body_.empty()) {
    length_ = (std::size_t{prefix_[0]} << 24) | (std::size_t{prefix_[1]} << 16) |
              (std::size_t{prefix_[2]} << 8) | std::size_t{prefix_[3]};
    // The length comes from the peer and is untrusted: check it before storing anything.
    if (length_ > max_bytes_) return status_ = Status::oversized;
  }
  const std::size_t take = std::min(chunk.size() - at, length_ - body_.size());
  body_.insert(body_.end(), chunk.begin() + static_cast<std::ptrdiff_t>(at),
               chunk.begin() + static_cast<std::ptrdiff_t>(at + take));
  if (body_.size() == length_) status_ = Status::complete;
  return status_;
}

}  // namespace swell::runtime
