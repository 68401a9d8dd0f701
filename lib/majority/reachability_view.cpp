#include "majority/reachability_view.h"

namespace swell::majority {
namespace {

// splitmix64's finaliser: every input bit moves every output bit, so two different
// small sets almost never share a digest. Never 0, so 0 means "nobody listed".
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x == 0 ? 1 : x;
}

}  // namespace

ReachabilityView::ReachabilityView(const std::vector<std::uint64_t>& unreachable) {
  for (const std::uint64_t member : unreachable) set(member, true);
}

bool ReachabilityView::set(std::uint64_t member, bool unreachable) {
  if (unreachable) {
    if (!unreachable_.insert(member).second) return false;
  } else if (unreachable_.erase(member) == 0) {
    return false;
  }
  // Recomputed over the (small, sorted) set, so equal sets always have equal digests.
  digest_ = 0;
  for (const std::uint64_t listed : unreachable_) digest_ = mix(digest_ ^ mix(listed));
  return true;
}

}  // namespace swell::majority
