// Every counter of NodeStats and TransportStats with its stable name, so the C ABI,
// swell-agent's JSON and any exporter read one list instead of each keeping its own.
//
//   for (const swell::Counter& c : swell::counters_of(snapshot->node)) print(c.name, c.value);
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "swell/agent.h"
#include "swell/node.h"

namespace swell {

/// One counter's stable name (the field's name) and value.
struct Counter {
  std::string_view name;  ///< e.g. "joins_refused"; static storage.
  std::uint64_t value;    ///< Its value when read.
};

/// Every NodeStats counter, in declaration order.
std::vector<Counter> counters_of(const NodeStats& stats);
/// Every TransportStats counter, in declaration order.
std::vector<Counter> counters_of(const TransportStats& stats);

}  // namespace swell
