// DisseminationQueue: claims waiting to be piggybacked (infection-style gossip). Each
// is sent up to a retransmit limit ~ mult * log(n); the least-sent go first, newest
// first among equals (memberlist's TransmitLimitedQueue). A claim that supersedes
// another about the same member (higher incarnation, or a stronger verdict) removes
// it. Bounded: when full, the most-sent oldest entry is dropped and counted.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "swim/stored_claim.h"
#include "wire/datagram_builder.h"

namespace swell::swim {

/// True for an alive claim at incarnation 1: a member's first announcement, what a join
/// storm is made of.
inline bool first_announcement(const StoredClaim& claim) {
  return claim.kind == wire::MessageKind::alive && claim.incarnation == 1;
}

/// True if claim `newer` makes queued claim `older` (about the same subject) pointless.
bool supersedes(const StoredClaim& newer, const StoredClaim& older);

/// Bounded queue of claims to gossip.
class DisseminationQueue {
 public:
  /// A queue longer than this holds a storm's backlog (many members joined at once).
  static constexpr std::size_t kCalm = 64;

  /// Holds up to max_entries claims.
  explicit DisseminationQueue(std::size_t max_entries) : max_entries_(max_entries) {}

  /// Queues claim, dropping queued claims it supersedes; ignored if a queued claim
  /// supersedes it or it is already queued.
  void enqueue(ClaimRef claim);
  /// Adds queued claims to builder while they fit, least-sent first, and counts the
  /// sends; claims sent retransmit_limit times leave the queue, first announcements
  /// (alive at incarnation 1) at announcement_limit when it is > 0. Returns how many
  /// were added.
  std::size_t fill(wire::DatagramBuilder& builder, int retransmit_limit, int announcement_limit = 0);
  /// Another member sent us claim, which we hold queued: count it as one of our own
  /// sends (Trickle's suppression, RFC 6206): the more copies go round, the sooner the
  /// rumour dies, so the tail of an epidemic costs less. Copies heard stand in for at
  /// most half the limit, so every holder still sends a claim half its share itself (a
  /// small cluster would otherwise stop after a round and miss members). True if queued.
  bool heard(const ClaimRef& claim, int retransmit_limit);

  /// Claims queued.
  [[nodiscard]] std::size_t size() const { return items_.size(); }
  /// How big the storm being sent is: the largest size the queue reached since it last
  /// drained to kCalm / 4, so a join storm's last announcements can be sent as
  /// sparingly as its first.
  [[nodiscard]] std::size_t backlog() const { return std::max(items_.size(), peak_); }
  /// True when nothing is queued.
  [[nodiscard]] bool empty() const { return items_.empty(); }
  /// Claims dropped because the queue was full, or because they fit no datagram.
  [[nodiscard]] std::uint64_t drops() const { return drops_; }

 private:
  // Ordered by (sends, newest first): begin() is the next to send.
  struct Order {
    int sends;
    std::uint64_t age;  // decreasing with time: newer entries have smaller age
    int heard = 0;      // of the sends, copies heard from others (not part of the order)
    bool operator<(const Order& o) const { return sends != o.sends ? sends < o.sends : age < o.age; }
  };
  void erase(const Order& key);
  /// Counts one send of the entry at key; it leaves the queue at retransmit_limit.
  void count_send(Order key, int retransmit_limit, bool heard);  // by value: the index entry it updates may alias it

  std::size_t max_entries_;
  std::map<Order, ClaimRef> items_;
  std::unordered_map<NodeId, std::vector<Order>> by_subject_;
  std::uint64_t next_age_ = ~std::uint64_t{0};
  std::uint64_t drops_ = 0;
  std::size_t peak_ = 0;  // see backlog()
};

}  // namespace swell::swim
