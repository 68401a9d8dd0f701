#include "swim/member_table.h"

#include "swim/gentle_growth.h"

#include <algorithm>
#include <cassert>
#include <climits>

namespace swell::swim {
namespace {

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

}  // namespace

Member::Member(ClaimRef claim, Time now) : alive(std::move(claim)), incarnation(alive->incarnation) {
  mark_changed(now);
}

void Member::mark_changed(Time now) {
  // Floor division, so a time never reads later than it was; clamped to 68 years either side.
  std::int64_t s = now.count() / 1'000'000;
  if (now.count() % 1'000'000 < 0) --s;
  since_s = static_cast<std::int32_t>(std::clamp<std::int64_t>(s, INT32_MIN, INT32_MAX));
}

std::size_t MemberTable::slot_of(std::uint64_t prefix) const { return mix(prefix ^ salt_) & (slots_.size() - 1); }

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
  const std::uint32_t last = static_cast<std::uint32_t>(members_.size() - 1);
  if (index != last) members_[index] = std::move(members_[last]);
  members_.pop_back();
  rebuild(slots_.size());
}

void MemberTable::set_state(std::uint32_t index, MemberState state, Time now) {
  Member& m = members_[index];
  if (m.state == state) return;
  --counts_[static_cast<int>(m.state)];
  ++counts_[static_cast<int>(state)];
  m.state = state;
  m.mark_changed(now);
}

}  // namespace swell::swim
