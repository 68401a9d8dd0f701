#include "swim/member_table.h"

#include <algorithm>
#include <cassert>
#include <climits>
#include <cstring>

#include "swim/gentle_growth.h"
#include "swim/hash_mix.h"

namespace swell::swim {
namespace {

// A suspicion is transient (refuted or confirmed within seconds): it does not count as
// a difference worth an exchange.
std::array<std::uint64_t, 2> digest_share(const Member& m) {
  const MemberState state = m.state == MemberState::suspect ? MemberState::alive : m.state;
  std::uint64_t h = mix64(m.incarnation * 4 + static_cast<std::uint64_t>(state));
  const auto& bytes = m.id().bytes();
  for (std::size_t w = 0; w < NodeId::kSize; w += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + w, 8);
    h = mix64(h ^ word);
  }
  return {h, mix64(h ^ 0x9e3779b97f4a7c15ull)};
}

}  // namespace

void MemberTable::toggle_digest(const Member& m) {
  const auto share = digest_share(m);
  digest_[0] ^= share[0];
  digest_[1] ^= share[1];
}

std::array<std::uint64_t, 2> MemberTable::recompute_digest() const {
  std::array<std::uint64_t, 2> d{};
  for (const Member& m : members_) {
    const auto share = digest_share(m);
    d[0] ^= share[0];
    d[1] ^= share[1];
  }
  return d;
}

void MemberTable::raise_incarnation(std::uint32_t index, std::uint64_t incarnation) {
  Member& m = members_[index];
  if (incarnation <= m.incarnation) return;
  toggle_digest(m);
  m.incarnation = incarnation;
  toggle_digest(m);
}

Member::Member(ClaimRef claim, Time now) : alive(std::move(claim)), incarnation(alive->incarnation) {
  mark_changed(now);
}

void Member::mark_changed(Time now) {
  // Floor division, so a time never reads later than it was; clamped to 68 years either side.
  std::int64_t s = now.count() / 1'000'000;
  if (now.count() % 1'000'000 < 0) --s;
  since_s = static_cast<std::int32_t>(std::clamp<std::int64_t>(s, INT32_MIN, INT32_MAX));
}

std::size_t MemberTable::slot_of(std::uint64_t prefix) const { return mix64(prefix ^ salt_) & (slots_.size() - 1); }

std::optional<std::uint32_t> MemberTable::find(const NodeId& id) const {
  if (slots_.empty()) return std::nullopt;
  for (std::size_t s = slot_of(id.prefix64());; s = (s + 1) & (slots_.size() - 1)) {
    if (slots_[s] == 0) return std::nullopt;
    if (members_[slots_[s] - 1].id() == id) return slots_[s] - 1;
  }
}

std::optional<std::uint32_t> MemberTable::find_prefix(std::uint64_t prefix) const {
  if (slots_.empty()) return std::nullopt;
  for (std::size_t s = slot_of(prefix);; s = (s + 1) & (slots_.size() - 1)) {
    if (slots_[s] == 0) return std::nullopt;
    if (members_[slots_[s] - 1].id().prefix64() == prefix) return slots_[s] - 1;
  }
}

void MemberTable::insert_slot(std::uint32_t index) {
  std::size_t s = slot_of(members_[index].id().prefix64());
  while (slots_[s] != 0) s = (s + 1) & (slots_.size() - 1);
  slots_[s] = index + 1;
}

void MemberTable::rebuild(std::size_t capacity) {
  slots_.assign(capacity, 0);
  for (std::uint32_t i = 0; i < members_.size(); ++i) insert_slot(i);
}

std::uint32_t MemberTable::add(Member member) {
  assert(!find(member.id()));
  ++counts_[static_cast<int>(member.state)];
  toggle_digest(member);
  reserve_one_more(members_);
  members_.push_back(std::move(member));
  // Keep the load at or under three quarters: probe runs stay short (linear probing
  // averages ~2.5 slots per miss there) and the index costs under 11 bytes a member.
  if (4 * members_.size() > 3 * slots_.size()) {
    rebuild(std::max<std::size_t>(16, slots_.size() * 2));
  } else {
    insert_slot(static_cast<std::uint32_t>(members_.size() - 1));
  }
  return static_cast<std::uint32_t>(members_.size() - 1);
}

void MemberTable::remove(std::uint32_t index) {
  --counts_[static_cast<int>(members_[index].state)];
  toggle_digest(members_[index]);
  const std::uint32_t last = static_cast<std::uint32_t>(members_.size() - 1);
  if (index != last) members_[index] = std::move(members_[last]);
  members_.pop_back();
  rebuild(slots_.size());
}

void MemberTable::replace(std::uint32_t index, Member member) {
  assert(!find(member.id()));
  --counts_[static_cast<int>(members_[index].state)];
  toggle_digest(members_[index]);
  members_[index] = std::move(member);
  ++counts_[static_cast<int>(members_[index].state)];
  toggle_digest(members_[index]);
  rebuild(slots_.size());
}

void MemberTable::set_state(std::uint32_t index, MemberState state, Time now) {
  Member& m = members_[index];
  if (m.state == state) return;
  --counts_[static_cast<int>(m.state)];
  ++counts_[static_cast<int>(state)];
  toggle_digest(m);
  m.state = state;
  toggle_digest(m);
  m.mark_changed(now);
}

}  // namespace swell::swim
