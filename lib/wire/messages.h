// Bodies of the unsigned message kinds: ping-req, ack, nack and push-pull. Ping's body
// is nil; the claim kinds are in claims.h.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "swell/node_id.h"
#include "wire/claims.h"
#include "wire/decode_limits.h"

namespace swell::wire {

/// Ask the receiver to probe target and relay the answer; the envelope seq names it.
struct PingReq {
  NodeId target;               ///< Member to probe.
  std::string target_address;  ///< Its swim address, in case the relay lacks it.
  friend bool operator==(const PingReq&, const PingReq&) = default;
};

/// A member's state as push-pull carries it.
enum class MemberStatus : std::uint8_t { alive = 0, suspect = 1, dead = 2, left = 3 };

/// One member in a push-pull: its latest alive claim and, unless alive, the claim
/// that put it in its current status (suspect, dead or leave).
struct MemberRecord {
  MemberStatus status = MemberStatus::alive;  ///< Status the sender holds.
  SignedClaim alive;                          ///< The member's own newest alive claim.
  std::optional<SignedClaim> status_claim;    ///< Present exactly when status != alive.
  friend bool operator==(const MemberRecord&, const MemberRecord&) = default;
};

/// Bytes of a state digest.
inline constexpr std::size_t kStateDigestSize = 16;
/// A summary of a member table: equal digests mean equal (id, incarnation, status) sets.
using StateDigest = std::array<std::uint8_t, kStateDigestSize>;

/// One member in a push-pull summary: who, at which incarnation and status. A summary
/// lets the peer send only what we lack (docs/protocol.md, "Anti-entropy").
struct SummaryEntry {
  std::uint64_t prefix = 0;                   ///< First 8 bytes of the member's id, big-endian.
  std::uint64_t incarnation = 0;              ///< Highest incarnation the sender holds.
  MemberStatus status = MemberStatus::alive;  ///< Its status (suspect is sent as alive).
  friend bool operator==(const SummaryEntry&, const SummaryEntry&) = default;
};
/// Bytes of one packed summary entry: prefix (8, big-endian), incarnation (8), status (1).
inline constexpr std::size_t kSummaryEntrySize = 17;

/// State exchanged on a stream for anti-entropy and join: the sender's digest; member
/// records when they are needed; a summary of the sender's table when digests differ;
/// and the members (by id prefix) the sender wants records of.
struct PushPull {
  bool join = false;                  ///< True when the sender is joining.
  std::vector<MemberRecord> members;  ///< Records sent, or empty.
  StateDigest digest{};               ///< Digest of the sender's whole table.
  std::vector<SummaryEntry> summary;  ///< The sender's whole table in brief, or empty.
  std::vector<std::uint64_t> wants;   ///< Id prefixes whose records the sender asks for.
  friend bool operator==(const PushPull&, const PushPull&) = default;
};

/// A member record borrowed from a received push-pull: raw signed claim bodies.
struct MemberRecordView {
  MemberStatus status = MemberStatus::alive;  ///< Status the sender holds.
  ByteView alive;                             ///< Signed alive claim body.
  ByteView status_claim;                      ///< Signed status claim body; empty when alive.
};

/// A push-pull borrowed from its buffer: nothing is copied.
struct PushPullView {
  bool join = false;                      ///< True when the sender is joining.
  std::vector<MemberRecordView> members;  ///< Records in the order sent (may be empty).
  StateDigest digest{};                   ///< Digest of the sender's whole table.
  ByteView summary;                       ///< Packed summary entries (checked by the decoder).
  ByteView wants;                         ///< Packed 8-byte big-endian id prefixes.

  /// Summary entries.
  [[nodiscard]] std::size_t summary_size() const { return summary.size() / kSummaryEntrySize; }
  /// Summary entry i (< summary_size()).
  [[nodiscard]] SummaryEntry summary_entry(std::size_t i) const;
  /// Wanted prefixes.
  [[nodiscard]] std::size_t wants_size() const { return wants.size() / 8; }
  /// Wanted prefix i (< wants_size()).
  [[nodiscard]] std::uint64_t want(std::size_t i) const;
};

/// Appends one packed summary entry to out (for PushPullView::summary).
void append_summary_entry(const SummaryEntry& entry, Bytes& out);
/// Appends one packed prefix to out (for PushPullView::wants).
void append_want(std::uint64_t prefix, Bytes& out);

/// The nil body of a ping.
void encode_ping(Bytes& out);
/// Checks a ping body is nil.
Result<void> decode_ping(ByteView body);
/// [target bin32, target_address str].
void encode_ping_req(const PingReq& req, Bytes& out);
/// Decodes a ping-req body.
Result<PingReq> decode_ping_req(ByteView body);
/// An ack body is the probe's sequence number.
void encode_ack(std::uint64_t probe_seq, Bytes& out);
/// Decodes an ack (or nack) body into its probe sequence number.
Result<std::uint64_t> decode_ack(ByteView body);
/// A nack body is the probe's sequence number, like an ack's.
void encode_nack(std::uint64_t probe_seq, Bytes& out);
/// Decodes a nack body.
Result<std::uint64_t> decode_nack(ByteView body);
/// [join bool, [[status, alive claim, status claim or nil], ...], digest bin16,
///  summary bin (17-byte entries), wants bin (8-byte prefixes)].
void encode_push_pull(const PushPull& state, Bytes& out);
/// Decodes a push-pull body; signatures are checked by the caller.
Result<PushPull> decode_push_pull(ByteView body, const DecodeLimits& limits);
/// Splits a push-pull body into records without copying (each claim body is checked
/// to be a two-element [payload, signature] array, not verified).
Result<PushPullView> decode_push_pull_view(ByteView body, const DecodeLimits& limits);
/// Appends a push-pull body built from already-encoded signed claim bodies.
void encode_push_pull_view(const PushPullView& state, Bytes& out);

}  // namespace swell::wire
