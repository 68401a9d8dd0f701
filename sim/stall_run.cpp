#include "stall_run.h"

#include <array>
#include <map>

#include "world.h"

namespace swell::sim {

StallResult run_stall(const StallOptions& o) {
  World world(o.seed);
  const auto n = static_cast<std::uint32_t>(o.nodes);
  world.spawn(n, o.config);
  if (o.loss > 0) {
    for (std::uint32_t i = 0; i < n; ++i) world.network().set_inbound_loss(i, o.loss);
  }
  StallResult result;
  bool counting = false;
  world.observe([&](std::uint32_t, const MembershipEvent& e) {
    if (counting && e.kind == MembershipEvent::Kind::failed) ++result.failed_events;
  });
  // Joins spaced as in the default run, so the seed is not flooded in one instant.
  world.join(0, {});
  for (std::uint32_t i = 1; i < n; ++i) {
    world.run_until(Time(Duration(100) * i));
    world.join(i, {0});
  }
  world.run_until(Time(o.settle));
  counting = true;
  world.pause(1, o.pause);
  world.run_until(Time(o.settle + o.pause + o.after));
  result.tolerated = result.failed_events == 0;
  // Disagreements: for each member, the state most live observers hold, and how many differ.
  for (std::uint32_t subject = 0; subject < n; ++subject) {
    std::array<std::uint32_t, 4> votes{};
    std::vector<int> held(n, -1);
    for (std::uint32_t observer = 0; observer < n; ++observer) {
      if (observer == subject || !world.is_up(observer)) continue;
      const auto m = world.node(observer).member(world.id(subject));
      held[observer] = m ? static_cast<int>(m->state) : static_cast<int>(MemberState::left);
      ++votes[static_cast<std::size_t>(held[observer])];
    }
    std::size_t modal = 0;
    for (std::size_t s = 1; s < votes.size(); ++s) {
      if (votes[s] > votes[modal]) modal = s;
    }
    // Suspect and alive are one answer here: both still route to the member.
    for (std::uint32_t observer = 0; observer < n; ++observer) {
      if (held[observer] < 0) continue;
      auto up = [](std::size_t s) { return s <= static_cast<std::size_t>(MemberState::suspect); };
      if (up(static_cast<std::size_t>(held[observer])) != up(modal)) ++result.disagreements;
    }
  }
  return result;
}

}  // namespace swell::sim
