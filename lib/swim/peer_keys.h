// PeerKeys: the pairwise datagram key and replay window for each peer this node talks
// to. Deriving a key costs an X25519, so keys are cached; the cache is bounded and
// forgets a peer it has not used for long (an approximate LRU) when full.
//
// The cache is one flat open-addressing table of 80-byte slots keyed by the first
// 16 bytes of the peer's id: a node of a 10,000-member cluster talks to thousands of
// peers, and node-based maps cost twice as much per peer. Two ids sharing 128 bits
// would need 2^128 work to make; even then the second peer's datagrams would only fail
// authentication.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "crypto/pair_key_source.h"
#include "swell/identity.h"
#include "swell/time.h"

namespace swell::swim {

/// Per-peer authentication state.
struct PeerSession {
  crypto::MacKey key{};           ///< Pairwise datagram key.
  std::uint64_t highest_seq = 0;  ///< Highest sequence number accepted from the peer.
  std::uint64_t window = 0;       ///< Bit i: highest_seq - i was accepted.
  bool any_seen = false;          ///< A datagram from the peer has been accepted.
  Time last_heard{0};             ///< When the last authentic datagram from the peer arrived.
};

/// How a datagram's sequence number relates to what the peer sent before.
enum class Freshness : std::uint8_t {
  fresh,     ///< New: process everything.
  replayed,  ///< Seen before: drop.
  stale,     ///< Older than the window (e.g. the peer restarted): signed claims only.
};

/// Records seq in session's window and says whether it is new.
Freshness record_sequence(PeerSession& session, std::uint64_t seq);

/// The X25519 key a peer signed in its alive claim, if we hold one.
using AnnouncedKeys = std::function<std::optional<X25519PublicKey>(const NodeId&)>;

/// Bounded cache of PeerSessions.
class PeerKeys {
 public:
  /// Caches at most max_entries sessions for self, with keys from source (which must
  /// outlive this); salt randomizes the table's hash so crafted ids cannot pile into one
  /// run; announced (may be empty) is asked for the peer's key before deriving one.
  PeerKeys(const Identity& self, std::size_t max_entries, std::uint64_t salt, crypto::PairKeySource& source,
           AnnouncedKeys announced = {});
  /// The session with peer, deriving its key if needed; nullptr if peer's key is
  /// invalid or is our own. The pointer is valid until the next call to session().
  PeerSession* session(const NodeId& peer);
  /// The session with peer if one is held; never derives a key and does not count as a use.
  [[nodiscard]] const PeerSession* find(const NodeId& peer) const;
  /// Forgets the replay window of peer (it restarted and announced a new incarnation).
  void reset_window(const NodeId& peer);
  /// Forgets every session: this node moved to a new key, so every pair key changed.
  void forget_all();
  /// Key derivations performed.
  [[nodiscard]] std::uint64_t derivations() const { return derivations_; }
  /// Sessions held.
  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t id_a = 0, id_b = 0;  // first 16 bytes of the peer's id
    PeerSession session;
    std::uint32_t last_used = 0;  // use clock at the last lookup
    bool used = false;
  };
  [[nodiscard]] std::size_t home(std::uint64_t id_a) const;
  /// Slot holding (a, b), or the empty slot where it would go.
  [[nodiscard]] std::size_t locate(std::uint64_t a, std::uint64_t b) const;
  void grow();
  /// Evicts one of a few sessions near a rotating cursor, the least recently used.
  void evict();
  /// Empties slot s, shifting later entries of its run back (no tombstones).
  void erase_slot(std::size_t s);

  const Identity* self_;
  crypto::PairKeySource* source_;
  AnnouncedKeys announced_;
  std::size_t max_entries_;
  std::uint64_t salt_;
  std::vector<Slot> slots_;  // power-of-two size, load at most 3/4
  std::size_t size_ = 0;
  std::size_t cursor_ = 0;
  std::uint32_t clock_ = 0;
  std::uint64_t derivations_ = 0;
};

}  // namespace swell::swim
