#include "report_fields.h"

#include <sys/resource.h>

#include <cstdio>

#include "world.h"

namespace swell::sim {

std::string digest_hex(std::uint64_t digest) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(digest));
  return text;
}

Traffic traffic(const World& world) {
  Traffic t;
  for (std::uint32_t i = 0; i < world.size(); ++i) t.bytes += world.bytes_sent(i), t.packets += world.packets_sent(i);
  return t;
}

nlohmann::json node_stats_of_up_members(const World& world) {
  NodeStats sum;
  for (std::uint32_t i = 0; i < world.size(); ++i) {
    if (!world.is_up(i)) continue;
    const NodeStats& s = world.node(i).stats();
    sum.probes += s.probes;
    sum.indirect_probes += s.indirect_probes;
    sum.refutations += s.refutations;
    sum.claims_rejected += s.claims_rejected;
    sum.datagrams_dropped += s.datagrams_dropped;
    sum.dropped_bad_mac += s.dropped_bad_mac;
    sum.dropped_malformed += s.dropped_malformed;
    sum.dropped_unknown_sender += s.dropped_unknown_sender;
    sum.dropped_replayed += s.dropped_replayed;
    sum.queue_drops += s.queue_drops;
    sum.messages_rejected += s.messages_rejected;
    sum.streams_rejected += s.streams_rejected;
    sum.accusations_dropped += s.accusations_dropped;
    sum.dropped_not_admitted += s.dropped_not_admitted;
    sum.joins_refused += s.joins_refused;
    sum.revocations_applied += s.revocations_applied;
    sum.rotations_applied += s.rotations_applied;
    sum.members_removed += s.members_removed;
  }
  return {{"probes", sum.probes},
          {"indirect_probes", sum.indirect_probes},
          {"refutations", sum.refutations},
          {"claims_rejected", sum.claims_rejected},
          {"datagrams_dropped", sum.datagrams_dropped},
          {"dropped_bad_mac", sum.dropped_bad_mac},
          {"dropped_malformed", sum.dropped_malformed},
          {"dropped_unknown_sender", sum.dropped_unknown_sender},
          {"dropped_replayed", sum.dropped_replayed},
          {"queue_drops", sum.queue_drops},
          {"messages_rejected", sum.messages_rejected},
          {"streams_rejected", sum.streams_rejected},
          {"accusations_dropped", sum.accusations_dropped},
          {"dropped_not_admitted", sum.dropped_not_admitted},
          {"joins_refused", sum.joins_refused},
          {"revocations_applied", sum.revocations_applied},
          {"rotations_applied", sum.rotations_applied},
          {"members_removed", sum.members_removed}};
}

void add_wall_fields(nlohmann::json& report, std::chrono::steady_clock::time_point start) {
  report["wall_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  report["peak_rss_mib"] = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace swell::sim
