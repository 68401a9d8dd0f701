#include "swim/peer_keys.h"

#include <algorithm>
#include <cstring>

#include "swim/hash_mix.h"

namespace swell::swim {
namespace {

std::uint64_t word(const NodeId& id, std::size_t offset) {
  std::uint64_t w = 0;
  std::memcpy(&w, id.bytes().data() + offset, 8);
  return w;
}

// Slots examined per eviction: enough that the victim is usually among the least
// recently used few percent, few enough that eviction stays O(1).
constexpr std::size_t kEvictionSample = 8;

}  // namespace

Freshness record_sequence(PeerSession& session, std::uint64_t seq) {
  constexpr std::uint64_t kWindow = 64;
  if (!session.any_seen) {
    session.any_seen = true;
    session.highest_seq = seq;
    session.window = 1;
    return Freshness::fresh;
  }
  if (seq > session.highest_seq) {
    const std::uint64_t shift = seq - session.highest_seq;
    session.window = shift >= kWindow ? 1 : (session.window << shift) | 1;
    session.highest_seq = seq;
    return Freshness::fresh;
  }
  const std::uint64_t age = session.highest_seq - seq;
  if (age >= kWindow) return Freshness::stale;
  const std::uint64_t bit = std::uint64_t{1} << age;
  if ((session.window & bit) != 0) return Freshness::replayed;
  session.window |= bit;
  return Freshness::fresh;
}

PeerKeys::PeerKeys(const Identity& self, std::size_t max_entries, std::uint64_t salt, crypto::PairKeySource& source,
                   AnnouncedKeys announced)
    : self_(&self),
      source_(&source),
      announced_(std::move(announced)),
      max_entries_(std::max<std::size_t>(max_entries, 1)),
      salt_(salt) {}

std::size_t PeerKeys::home(std::uint64_t id_a) const { return mix64(id_a ^ salt_) & (slots_.size() - 1); }

std::size_t PeerKeys::locate(std::uint64_t a, std::uint64_t b) const {
  std::size_t s = home(a);
  while (slots_[s].used && (slots_[s].id_a != a || slots_[s].id_b != b)) s = (s + 1) & (slots_.size() - 1);
  return s;
}

void PeerKeys::grow() {
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(std::max<std::size_t>(16, 2 * slots_.size())));
  for (Slot& slot : old) {
    if (slot.used) slots_[locate(slot.id_a, slot.id_b)] = slot;
  }
}

void PeerKeys::erase_slot(std::size_t s) {
  const std::size_t mask = slots_.size() - 1;
  slots_[s].used = false;
  --size_;
  // Backward-shift: move each later entry of the run into the hole if its home
  // position allows it, so lookups never need tombstones.
  for (std::size_t hole = s, next = (s + 1) & mask; slots_[next].used; next = (next + 1) & mask) {
    const std::size_t want = home(slots_[next].id_a);
    const bool movable = hole <= next ? (want <= hole || want > next) : (want <= hole && want > next);
    if (movable) {
      slots_[hole] = slots_[next];
      slots_[next].used = false;
      hole = next;
    }
  }
}

void PeerKeys::evict() {
  std::size_t victim = slots_.size();
  for (std::size_t seen = 0, s = cursor_; seen < kEvictionSample; s = (s + 1) & (slots_.size() - 1)) {
    if (!slots_[s].used) continue;
    // Ages by unsigned difference, so the 32-bit clock may wrap.
    if (victim == slots_.size() || clock_ - slots_[s].last_used > clock_ - slots_[victim].last_used) victim = s;
    ++seen;
    cursor_ = (s + 1) & (slots_.size() - 1);
  }
  erase_slot(victim);
}

PeerSession* PeerKeys::session(const NodeId& peer) {
  if (peer == self_->id()) return nullptr;
  const std::uint64_t a = word(peer, 0), b = word(peer, 8);
  ++clock_;
  if (!slots_.empty()) {
    const std::size_t s = locate(a, b);
    if (slots_[s].used) {
      slots_[s].last_used = clock_;
      return &slots_[s].session;
    }
  }
  PeerSession session;
  ++derivations_;
  const std::optional<X25519PublicKey> announced = announced_ ? announced_(peer) : std::nullopt;
  auto key = source_->key(*self_, peer, announced ? &*announced : nullptr);
  if (!key.ok()) return nullptr;
  session.key = key.value();
  if (size_ >= max_entries_) evict();
  if (4 * (size_ + 1) > 3 * slots_.size()) grow();
  const std::size_t s = locate(a, b);
  slots_[s] = Slot{a, b, session, clock_, true};
  ++size_;
  return &slots_[s].session;
}

const PeerSession* PeerKeys::find(const NodeId& peer) const {
  if (slots_.empty()) return nullptr;
  const Slot& slot = slots_[locate(word(peer, 0), word(peer, 8))];
  return slot.used ? &slot.session : nullptr;
}

void PeerKeys::forget_all() {
  slots_.clear();
  size_ = 0;
  cursor_ = 0;
}

void PeerKeys::reset_window(const NodeId& peer) {
  if (slots_.empty()) return;
  const std::size_t s = locate(word(peer, 0), word(peer, 8));
  if (!slots_[s].used) return;
  slots_[s].session.any_seen = false;
  slots_[s].session.window = 0;
}

}  // namespace swell::swim
