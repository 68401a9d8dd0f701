#include "wire/datagram_builder.h"

#include <cassert>

#include "wire/msgpack_writer.h"

namespace swell::wire {

void DatagramBuilder::begin(bool full_sender, const NodeId& sender, std::uint64_t seq) {
  full_sender_ = full_sender;
  sender_ = sender;
  seq_ = seq;
  bodies_.clear();
  body_bytes_ = 0;
  entries_.clear();
}

std::size_t DatagramBuilder::size_with(std::size_t count, std::size_t body_bytes) const {
  const std::size_t sender = 2 + (full_sender_ ? NodeId::kSize : kCompactSenderSize);
  std::size_t size = 1 + 1 + 1 + sender + uint_size(seq_) + kTagSize + overhead_;
  if (count == 1) return size + body_bytes;
  // Each compound entry is fixarray(2) + a one-byte kind + the body.
  return size + array_header_size(count) + 2 * count + body_bytes;
}

bool DatagramBuilder::add(MessageKind kind, ByteView body) {
  if (size_with(entries_.size() + 1, body_bytes_ + body.size()) > budget_) return false;
  entries_.push_back(Entry{kind, bodies_.size(), body.size()});
  bodies_.insert(bodies_.end(), body.begin(), body.end());
  body_bytes_ += body.size();
  return true;
}

template <class Packer, class Sink>
void DatagramBuilder::write_messages(Packer& packer, Sink& sink) const {
  const bool single = entries_.size() == 1;
  if (!single) packer.pack_array(static_cast<std::uint32_t>(entries_.size()));
  for (const Entry& e : entries_) {
    if (!single) {
      packer.pack_array(2);
      packer.pack_uint8(static_cast<std::uint8_t>(e.kind));
    }
    sink.write(reinterpret_cast<const char*>(bodies_.data() + e.offset), e.size);
  }
}

void DatagramBuilder::finish(Bytes& out) const {
  assert(!entries_.empty() && overhead_ == 0);
  // The exact size is known, so write through a raw cursor: no per-field growth
  // checks, and room for the authenticator is reserved up front.
  const std::size_t envelope_size = size() - kTagSize;
  out.reserve(envelope_size + kTagSize);
  out.resize(envelope_size);
  FixedSink sink(out.data());
  msgpack::packer<FixedSink> packer(sink);
  packer.pack_array(5);
  packer.pack_uint8(kProtocolVersion);
  const bool single = entries_.size() == 1;
  packer.pack_uint8(static_cast<std::uint8_t>(single ? entries_[0].kind : MessageKind::compound));
  const ByteView sender(sender_.bytes());
  pack_bin(packer, full_sender_ ? sender : sender.first(kCompactSenderSize));
  packer.pack_uint64(seq_);
  write_messages(packer, sink);
  assert(sink.cursor() == out.data() + out.size());
}

std::size_t DatagramBuilder::finish_encrypted(ByteView nonce, Bytes& out) const {
  assert(!entries_.empty() && overhead_ == kEncryptionOverhead && nonce.size() == kNonceSize);
  // The same bytes as finish() plus the nonce, with the kind moved behind the header so
  // that it is encrypted along with the body.
  const std::size_t envelope_size = size() - kTagSize;
  out.reserve(envelope_size + kTagSize);
  out.resize(envelope_size);
  FixedSink sink(out.data());
  msgpack::packer<FixedSink> packer(sink);
  packer.pack_array(4);
  packer.pack_uint8(kEncryptedVersion);
  const ByteView sender(sender_.bytes());
  pack_bin(packer, full_sender_ ? sender : sender.first(kCompactSenderSize));
  packer.pack_uint64(seq_);
  pack_bin(packer, nonce);
  const auto plaintext_at = static_cast<std::size_t>(sink.cursor() - out.data());
  const bool single = entries_.size() == 1;
  packer.pack_uint8(static_cast<std::uint8_t>(single ? entries_[0].kind : MessageKind::compound));
  write_messages(packer, sink);
  assert(sink.cursor() == out.data() + out.size());
  return plaintext_at;
}

}  // namespace swell::wire
