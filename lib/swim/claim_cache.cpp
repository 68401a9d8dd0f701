#include "swim/claim_cache.h"

#include <algorithm>
#include <cstring>

#include "crypto/claim_auth.h"
#include "wire/msgpack_writer.h"

namespace swell {

std::shared_ptr<ClaimCache> make_claim_cache(std::size_t max_entries) {
  return std::make_shared<ClaimCache>(max_entries);
}

ClaimCache::Key ClaimCache::key_of(ByteView signature) {
  Key key{};
  std::memcpy(&key.a, signature.data(), 8);
  std::memcpy(&key.b, signature.data() + 8, 8);
  return key;
}

Result<swim::ClaimRef> ClaimCache::intern(ByteView body, const wire::DecodeLimits& limits) {
  auto split = wire::decode_signed_claim(body);
  if (!split.ok()) return split.error();
  const wire::SignedClaimView& view = split.value();
  const Key key = key_of(view.signature);
  if (auto it = entries_.find(key); it != entries_.end()) {
    // A signature is only trusted together with the exact bytes it was checked on.
    const Bytes& known = it->second->body;
    if (known.size() == body.size() && std::equal(known.begin(), known.end(), body.begin())) return it->second;
  }
  auto verified = crypto::verify_claim(view, limits);
  ++verifications_;
  if (!verified.ok()) return verified.error();
  return insert(key, Bytes(body.begin(), body.end()), verified.value());
}

swim::ClaimRef ClaimCache::adopt(const wire::SignedClaim& claim, const wire::Claim& decoded) {
  Bytes body;
  wire::encode_signed_claim(claim, body);
  return insert(key_of(ByteView(claim.signature)), std::move(body), decoded);
}

swim::ClaimRef ClaimCache::insert(Key key, Bytes body, const wire::Claim& decoded) {
  auto owned = std::make_unique<swim::StoredClaim>();
  swim::StoredClaim* stored = owned.get();
  stored->body = std::move(body);
  stored->kind = wire::kind_of(decoded);
  stored->author = wire::author_of(decoded);
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, wire::AliveClaim>) {
          stored->subject = c.info.owner;
          stored->incarnation = c.info.version;
          stored->announcement = std::make_shared<const Announcement>(Announcement{c.info, c.swim_address});
        } else if constexpr (std::is_same_v<T, wire::LeaveClaim>) {
          stored->subject = c.subject;
          stored->incarnation = c.incarnation;
        } else if constexpr (std::is_same_v<T, wire::MajorityViewClaim>) {
          stored->subject = c.author;
          stored->incarnation = c.epoch;
        } else {
          stored->subject = c.subject;
          stored->incarnation = c.incarnation;
        }
      },
      decoded);
  swim::ClaimRef ref = swim::ClaimRef::take(owned.release());
  auto [it, inserted] = entries_.insert_or_assign(key, ref);
  (void)it;
  if (inserted) order_.push_back(key);
  while (entries_.size() > max_entries_ && !order_.empty()) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  return ref;
}

Result<crypto::MacKey> ClaimCache::pair_key(const Identity& self, const NodeId& peer) {
  const IdPair pair{std::min(self.id(), peer), std::max(self.id(), peer)};
  if (auto it = pair_keys_.find(pair); it != pair_keys_.end()) return it->second;
  auto converted = converted_.find(peer);
  if (converted == converted_.end()) {
    auto x = x25519_public_key(peer);
    if (!x.ok()) return x.error();
    // Bounded by forgetting all: at most one conversion per member again.
    if (converted_.size() >= max_entries_) converted_.clear();
    converted = converted_.emplace(peer, x.value()).first;
  }
  auto key = crypto::derive_mac_key(self, peer, converted->second);
  if (!key.ok()) return key.error();
  ++pair_derivations_;
  pair_keys_.emplace(pair, key.value());
  pair_order_.push_back(pair);
  while (pair_keys_.size() > max_entries_ && !pair_order_.empty()) {
    pair_keys_.erase(pair_order_.front());
    pair_order_.pop_front();
  }
  return key;
}

}  // namespace swell
