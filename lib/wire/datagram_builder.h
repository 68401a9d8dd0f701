// Builds one envelope from a primary message plus piggybacked ones, never past the
// byte budget (authenticator included). Reuse a builder: it keeps its buffers.
//
//   builder.begin(/*full_sender=*/false, me, seq);
//   builder.add(MessageKind::ping, ping_body);
//   while (queue.has_more() && builder.add(queue.kind(), queue.body())) queue.pop();
//   builder.finish(out);          // then crypto::append_tag(key, out)
#pragma once

#include <cstddef>
#include <vector>

#include "swell/node_id.h"
#include "wire/envelope.h"

namespace swell::wire {

/// Packs messages into one datagram up to a byte budget.
class DatagramBuilder {
 public:
  /// budget_bytes bounds the finished datagram including its authenticator; with
  /// encrypted, the nonce too (finish_encrypted).
  explicit DatagramBuilder(std::size_t budget_bytes = 1400, bool encrypted = false)
      : budget_(budget_bytes), overhead_(encrypted ? kEncryptionOverhead : 0) {}

  /// Starts a new datagram from sender with sequence number seq.
  void begin(bool full_sender, const NodeId& sender, std::uint64_t seq);
  /// Adds a message if the datagram still fits the budget; returns false (and adds
  /// nothing) otherwise.
  bool add(MessageKind kind, ByteView body);
  /// Number of messages added since begin().
  [[nodiscard]] std::size_t count() const { return entries_.size(); }
  /// Size of the finished datagram, authenticator (and nonce, if encrypted) included.
  [[nodiscard]] std::size_t size() const { return size_with(entries_.size(), body_bytes_); }
  /// Bytes a body may still have and fit.
  [[nodiscard]] std::size_t budget() const { return budget_; }
  /// Writes the envelope (without authenticator) into out, replacing its contents.
  /// Requires count() >= 1 and a builder made without encrypted.
  void finish(Bytes& out) const;
  /// Writes an encrypted envelope's clear header (with nonce) and then its plaintext
  /// (kind and body) into out, replacing its contents, and returns where the plaintext
  /// begins; the caller encrypts it in place and appends the tag. Requires count() >= 1
  /// and a builder made with encrypted.
  std::size_t finish_encrypted(ByteView nonce, Bytes& out) const;

 private:
  [[nodiscard]] std::size_t size_with(std::size_t count, std::size_t body_bytes) const;

  struct Entry {
    MessageKind kind;
    std::size_t offset;
    std::size_t size;
  };
  /// Writes the kind and the body (or compound entries) through packer.
  template <class Packer, class Sink>
  void write_messages(Packer& packer, Sink& sink) const;

  std::size_t budget_;
  std::size_t overhead_;
  bool full_sender_ = true;
  NodeId sender_;
  std::uint64_t seq_ = 0;
  Bytes bodies_;
  std::size_t body_bytes_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace swell::wire
