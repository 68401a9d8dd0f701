#include "swim/claim_cache.h"

#include <algorithm>
#include <cstring>

#include "crypto/claim_auth.h"
#include "crypto/rotation_auth.h"
#include "wire/msgpack_writer.h"

namespace swell::swim {

namespace {

/// Offset of key in an alive claim's signed body: the payload's last 32 bytes
/// (wire::AliveClaim packs it last); 0 if it is not there.
std::uint16_t agreement_key_offset(const Bytes& body, const X25519PublicKey& key) {
  auto view = wire::decode_signed_claim(ByteView(body));
  if (!view.ok() || view.value().payload.size() < key.size()) return 0;
  const std::uint8_t* at = view.value().payload.data() + view.value().payload.size() - key.size();
  const auto offset = static_cast<std::size_t>(at - body.data());
  if (offset == 0 || offset > 0xffff || !std::equal(key.begin(), key.end(), at)) return 0;
  return static_cast<std::uint16_t>(offset);
}

}  // namespace

ClaimCache::Key ClaimCache::key_of(ByteView signature) {
  Key key{};
  std::memcpy(&key.a, signature.data(), 8);
  std::memcpy(&key.b, signature.data() + 8, 8);
  return key;
}

Result<ClaimRef> ClaimCache::intern(ByteView body, const wire::DecodeLimits& limits) {
  auto split = wire::decode_signed_claim(body);
  if (!split.ok()) return split.error();
  const wire::SignedClaimView& view = split.value();
  const Key key = key_of(view.signature);
  if (auto it = entries_.find(key); it != entries_.end()) {
    // A signature is only trusted together with the exact bytes it was checked on.
    const Bytes& known = it->second->body;
    if (known.size() == body.size() && std::equal(known.begin(), known.end(), body.begin())) return it->second;
  }
  auto verified = crypto::verify_claim(view, limits, label_);
  ++verifications_;
  if (!verified.ok()) return verified.error();
  // A rotation holds only with its successor's consent and alive claim: checked here
  // once, so every stored rotation is whole.
  if (const auto* rotation = std::get_if<wire::RotationClaim>(&verified.value())) {
    auto successor = crypto::verify_rotation(*rotation, limits, label_);
    ++verifications_;
    if (!successor.ok()) return successor.error();
  }
  return insert(key, Bytes(body.begin(), body.end()), verified.value());
}

ClaimRef ClaimCache::adopt(const wire::SignedClaim& claim, const wire::Claim& decoded) {
  Bytes body;
  wire::encode_signed_claim(claim, body);
  return insert(key_of(ByteView(claim.signature)), std::move(body), decoded);
}

ClaimRef ClaimCache::insert(Key key, Bytes body, const wire::Claim& decoded) {
  auto owned = std::make_unique<StoredClaim>();
  StoredClaim* stored = owned.get();
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
          stored->agreement_key_at = agreement_key_offset(stored->body, c.agreement_key);
          if (!c.certificate.empty()) {
            // The claim decoder already checked that it decodes.
            if (auto cert = wire::decode_certificate(c.certificate); cert.ok()) {
              stored->certificate = std::make_shared<const wire::NodeCertificate>(cert.value());
            }
          }
        } else if constexpr (std::is_same_v<T, wire::LeaveClaim> || std::is_same_v<T, wire::RevocationClaim>) {
          stored->subject = c.subject;
          if constexpr (std::is_same_v<T, wire::LeaveClaim>) stored->incarnation = c.incarnation;
          else stored->incarnation = 0;  // a revocation has no incarnation: it holds for every life
        } else if constexpr (std::is_same_v<T, wire::RotationClaim>) {
          stored->subject = c.author;  // the claim is about the retiring key
          stored->successor = c.successor;
          stored->incarnation = c.incarnation;
        } else if constexpr (std::is_same_v<T, wire::MajorityViewClaim>) {
          stored->subject = c.author;
          stored->incarnation = c.epoch;
        } else {
          stored->subject = c.subject;
          stored->incarnation = c.incarnation;
          if constexpr (std::is_same_v<T, wire::DeadClaim>) {
            stored->degraded = c.degraded;
            stored->retired = c.retired;
          }
        }
      },
      decoded);
  ClaimRef ref = ClaimRef::take(owned.release());
  auto [it, inserted] = entries_.insert_or_assign(key, ref);
  (void)it;
  if (inserted) order_.push_back(key);
  while (entries_.size() > max_entries_ && !order_.empty()) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  return ref;
}

}  // namespace swell::swim
