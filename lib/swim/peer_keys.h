// PeerKeys: the pairwise datagram key and replay window for each peer this node talks
// to. Deriving a key costs an X25519, so keys are cached; the cache is bounded and
// forgets the least recently used peer first.
#pragma once

#include <cstdint>
#include <list>
#include <unordered_map>

#include "crypto/pairwise_key.h"
#include "swell/identity.h"

namespace swell::swim {

/// Per-peer authentication state.
struct PeerSession {
  crypto::MacKey key{};           ///< Pairwise datagram key.
  bool any_seen = false;          ///< A datagram from the peer has been accepted.
  std::uint64_t highest_seq = 0;  ///< Highest sequence number accepted from the peer.
  std::uint64_t window = 0;       ///< Bit i: highest_seq - i was accepted.
};

/// How a datagram's sequence number relates to what the peer sent before.
enum class Freshness : std::uint8_t {
  fresh,     ///< New: process everything.
  replayed,  ///< Seen before: drop.
  stale,     ///< Older than the window (e.g. the peer restarted): signed claims only.
};

/// Records seq in session's window and says whether it is new.
Freshness record_sequence(PeerSession& session, std::uint64_t seq);

/// LRU cache of PeerSessions.
class PeerKeys {
 public:
  /// Caches at most max_entries sessions for self; `simulated` derives insecure keys
  /// from the ids alone (Config::simulated_pair_keys).
  PeerKeys(const Identity& self, std::size_t max_entries, bool simulated = false)
      : self_(&self), max_entries_(max_entries), simulated_(simulated) {}
  /// The session with peer, deriving its key if needed; nullptr if peer's key is invalid.
  PeerSession* session(const NodeId& peer);
  /// Forgets the replay window of peer (it restarted and announced a new incarnation).
  void reset_window(const NodeId& peer);
  /// Key derivations performed.
  [[nodiscard]] std::uint64_t derivations() const { return derivations_; }

 private:
  using Entry = std::pair<NodeId, PeerSession>;
  const Identity* self_;
  std::size_t max_entries_;
  bool simulated_;
  std::list<Entry> lru_;  // front: most recently used
  std::unordered_map<NodeId, std::list<Entry>::iterator> index_;
  std::uint64_t derivations_ = 0;
};

}  // namespace swell::swim
