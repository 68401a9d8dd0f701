#include "swim/dissemination_queue.h"

#include <algorithm>

namespace swell::swim {
namespace {

// SWIM precedence at equal incarnation: a verdict beats a suspicion beats alive.
int rank(wire::MessageKind kind) {
  switch (kind) {
    case wire::MessageKind::alive: return 0;
    case wire::MessageKind::suspect: return 1;
    case wire::MessageKind::dead:
    case wire::MessageKind::leave: return 2;
    default: return 0;
  }
}

}  // namespace

bool supersedes(const StoredClaim& newer, const StoredClaim& older) {
  if (newer.subject != older.subject) return false;
  const bool newer_view = newer.kind == wire::MessageKind::majority_view;
  const bool older_view = older.kind == wire::MessageKind::majority_view;
  if (newer_view || older_view) return newer_view && older_view && newer.incarnation > older.incarnation;
  // A revocation ends every life of its subject: it outranks any claim about it, and of
  // two revocations (two trusted CAs) the one queued first is enough.
  const bool newer_revocation = newer.kind == wire::MessageKind::revocation;
  if (newer_revocation || older.kind == wire::MessageKind::revocation) return newer_revocation;
  // Each receiver judges a hold-down verdict by its own pings, whatever the incarnation:
  // the subject's refutation must not stop it spreading, nor it the refutation.
  if (newer.degraded || older.degraded) return newer.degraded && older.degraded && newer.incarnation >= older.incarnation;
  if (newer.incarnation != older.incarnation) return newer.incarnation > older.incarnation;
  // An operator's force-leave outranks the verdict it retires, never the reverse.
  if (newer.retired != older.retired) return newer.retired;
  if (rank(newer.kind) != rank(older.kind)) return rank(newer.kind) > rank(older.kind);
  // Same incarnation and strength: suspicions by different members are separate
  // confirmations (Lifeguard); anything else is a duplicate.
  return newer.kind != wire::MessageKind::suspect || newer.author == older.author;
}

void DisseminationQueue::erase(const Order& key) {
  auto it = items_.find(key);
  if (it == items_.end()) return;
  auto subject = by_subject_.find(it->second->subject);
  if (subject != by_subject_.end()) {
    auto& keys = subject->second;
    keys.erase(std::remove_if(keys.begin(), keys.end(), [&](const Order& k) { return k.age == key.age; }),
               keys.end());
    if (keys.empty()) by_subject_.erase(subject);
  }
  items_.erase(it);
  if (items_.size() <= kCalm / 4) peak_ = 0;  // the storm is over
}

void DisseminationQueue::enqueue(ClaimRef claim) {
  auto& keys = by_subject_[claim->subject];
  std::vector<Order> stale;
  for (const Order& key : keys) {
    const StoredClaim& queued = *items_.at(key);
    if (queued.body == claim->body || supersedes(queued, *claim)) return;
    if (supersedes(*claim, queued)) stale.push_back(key);
  }
  for (const Order& key : stale) erase(key);
  const Order key{0, next_age_--};
  by_subject_[claim->subject].push_back(key);
  items_.emplace(key, std::move(claim));
  peak_ = std::max(peak_, items_.size());
  while (items_.size() > max_entries_) {
    erase(std::prev(items_.end())->first);
    ++drops_;
  }
}

std::size_t DisseminationQueue::fill(wire::DatagramBuilder& builder, int retransmit_limit, int announcement_limit) {
  std::vector<Order> sent;
  std::vector<Order> unsendable;
  int misses = 0;
  for (const auto& [key, claim] : items_) {
    // Stop scanning once the datagram is nearly full: the smallest claim is ~100 bytes.
    if (builder.size() + 100 > builder.budget() || misses >= 8) break;
    const bool empty = builder.count() == 0;
    if (builder.add(claim->kind, claim->body)) {
      sent.push_back(key);
    } else if (empty) {
      // It does not fit even an empty datagram, so it never will; left queued it
      // would hold the front of the order for ever.
      unsendable.push_back(key);
    } else {
      ++misses;
    }
  }
  for (const Order& key : unsendable) {
    erase(key);
    ++drops_;
  }
  for (const Order& key : sent) {
    const bool announcement = announcement_limit > 0 && first_announcement(*items_.at(key));
    count_send(key, announcement ? announcement_limit : retransmit_limit, false);
  }
  return sent.size();
}

void DisseminationQueue::count_send(Order key, int retransmit_limit, bool heard) {
  if (key.sends + 1 >= retransmit_limit) {
    erase(key);
    return;
  }
  auto node = items_.extract(key);
  ClaimRef claim = std::move(node.mapped());
  // Ages are unique, so the age alone finds the entry's index key.
  const Order next{key.sends + 1, key.age, key.heard + (heard ? 1 : 0)};
  for (Order& k : by_subject_[claim->subject]) {
    if (k.age == key.age) k = next;
  }
  items_.emplace(next, std::move(claim));
}

bool DisseminationQueue::heard(const ClaimRef& claim, int retransmit_limit) {
  auto subject = by_subject_.find(claim->subject);
  if (subject == by_subject_.end()) return false;
  for (const Order& key : subject->second) {
    if (items_.at(key)->body == claim->body) {
      if (2 * (key.heard + 1) <= retransmit_limit) count_send(key, retransmit_limit, true);
      return true;
    }
  }
  return false;
}

}  // namespace swell::swim
