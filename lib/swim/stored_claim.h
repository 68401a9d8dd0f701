// A verified claim as the core keeps it: the exact bytes to gossip and the decoded
// fields. Immutable and shared (between the member table, the dissemination queue,
// events, and in the simulator between nodes).
//
// Handles are intrusive and single-threaded: every member record holds one, so at
// 10,000 members per node a handle must cost 8 bytes, not shared_ptr's 16 plus an
// atomic count. Claims never leave the thread that drives the nodes sharing their
// cache (events carry the announcement, a shared_ptr, not the claim).
#pragma once

#include <cstdint>
#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "swell/events.h"
#include "wire/claims.h"

namespace swell::swim {

/// A claim whose signature has been checked.
struct StoredClaim {
  Bytes body;                 ///< Encoded signed claim body [payload, signature], gossiped as is.
  wire::MessageKind kind;     ///< alive, suspect, dead, leave, majority_view, revocation or rotation.
  bool degraded = false;      ///< For dead claims: a hold-down verdict (wire::DeadClaim::degraded).
  bool retired = false;       ///< For dead claims: an operator's force-leave (wire::DeadClaim::retired).
  /// For alive claims: where in body the owner's X25519 key lies (0: nowhere). An offset,
  /// not a copy: a node of a 10,000-member cluster may hold 10,000 claims.
  std::uint16_t agreement_key_at = 0;
  NodeId author;              ///< Who signed it.
  NodeId subject;             ///< Whom it is about (the author for alive and leave).
  std::uint64_t incarnation;  ///< The subject's incarnation it speaks of (epoch for views).
  NodeId successor;           ///< For rotations: the new key (the subject is the retiring one).
 std::shared_ptr<const Announcement> announcement;  ///< For alive claims: what it announces.
  /// For alive claims that carry one: the owner's CA certificate (decoded, unchecked).
  std::shared_ptr<const wire::NodeCertificate> certificate;
  /// Whether certificate's signature holds: -1 not yet checked, 0 no, 1 yes. Checked
  /// once per claim, not once per node (the simulator's nodes share claims).
  mutable std::int8_t certificate_signature = -1;
  mutable std::uint32_t handles = 0;                 ///< ClaimRefs pointing here.

  /// The owner's signed X25519 key, for alive claims.
  [[nodiscard]] std::optional<X25519PublicKey> agreement_key() const {
    if (agreement_key_at == 0) return std::nullopt;
    X25519PublicKey key{};
    std::copy_n(body.begin() + agreement_key_at, key.size(), key.begin());
    return key;
  }
};

/// Shared handle to a stored claim (an intrusive reference count; see the file comment).
class ClaimRef {
 public:
  /// A null handle.
  ClaimRef() = default;
  /// A null handle.
  ClaimRef(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): reads like a pointer
  /// Takes the first handle to a claim just allocated with new.
  static ClaimRef take(StoredClaim* claim) { return ClaimRef(claim); }
  ClaimRef(const ClaimRef& other) : claim_(other.claim_) {
    if (claim_ != nullptr) ++claim_->handles;
  }
  ClaimRef(ClaimRef&& other) noexcept : claim_(std::exchange(other.claim_, nullptr)) {}
  ClaimRef& operator=(ClaimRef other) noexcept {
    std::swap(claim_, other.claim_);
    return *this;
  }
  ~ClaimRef() {
    if (claim_ != nullptr && --claim_->handles == 0) delete claim_;
  }

  /// The claim.
  const StoredClaim* operator->() const { return claim_; }
  /// The claim.
  const StoredClaim& operator*() const { return *claim_; }
  /// The claim, or nullptr.
  [[nodiscard]] const StoredClaim* get() const { return claim_; }
  /// True unless null.
  explicit operator bool() const { return claim_ != nullptr; }
  /// Same claim object.
  bool operator==(const ClaimRef& other) const { return claim_ == other.claim_; }

 private:
  explicit ClaimRef(StoredClaim* claim) : claim_(claim) {
    if (claim_ != nullptr) ++claim_->handles;
  }
  StoredClaim* claim_ = nullptr;
};

}  // namespace swell::swim
