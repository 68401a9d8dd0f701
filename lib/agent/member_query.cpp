#include "agent/member_query.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace swell::agent {
namespace {

// Calls each(item) for every item of a comma-separated list; false stops.
template <class F>
bool for_each_item(std::string_view list, F each) {
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    if (!each(list.substr(start, comma - start))) return false;
    start = comma + 1;
  }
  return true;
}

std::optional<MemberState> parse_state(std::string_view name) {
  for (MemberState s : {MemberState::alive, MemberState::suspect, MemberState::dead, MemberState::left}) {
    if (name == to_string(s)) return s;
  }
  return std::nullopt;
}

Error bad_value(const std::string& key, std::string_view value, const char* allowed) {
  return Error{ErrorCode::invalid_argument,
               "bad value \"" + std::string(value) + "\" for filter " + key + ": use " + allowed +
                   " (a comma-separated list is allowed)"};
}

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool MemberFilter::matches(const MemberSnapshot& m) const {
  if (!states.empty() && states.count(m.state) == 0) return false;
  if (node_types.empty()) return true;
  return m.announcement && node_types.count(m.announcement->info.node_type) != 0;
}

Result<MemberFilter> parse_member_filter(const std::multimap<std::string, std::string>& query) {
  MemberFilter filter;
  for (const auto& [key, value] : query) {
    if (key == "state") {
      std::string_view bad;
      const bool ok = for_each_item(value, [&](std::string_view item) {
        auto s = parse_state(item);
        if (s) filter.states.insert(*s);
        else bad = item;
        return s.has_value();
      });
      if (!ok) return bad_value(key, bad, "alive, suspect, dead or left");
    } else if (key == "node_type") {
      std::string_view bad;
      const bool ok = for_each_item(value, [&](std::string_view item) {
        auto t = parse_node_type(item);
        if (t.ok()) filter.node_types.insert(t.value());
        else bad = item;
        return t.ok();
      });
      if (!ok) return bad_value(key, bad, "proxy, backend or governator");
    } else {
      return Error{ErrorCode::invalid_argument,
                   "unknown filter \"" + key + "\": GET /v1/members takes state= and node_type="};
    }
  }
  return filter;
}

MemberLookup lookup_member(const AgentSnapshot& snapshot, std::string_view key) {
  MemberLookup out;
  if (!snapshot.members) return out;  // documented never null; stay safe on a hand-built one
  if (key.size() == 2 * NodeId::kSize && is_hex(key)) {
    auto id = NodeId::from_hex(key);
    if (const MemberSnapshot* m = id.ok() ? snapshot.find(id.value()) : nullptr) out.matches.push_back(m);
    return out;
  }
  if (key.size() == 8 && is_hex(key)) {
    const std::string prefix = lower(key);
    for (const MemberSnapshot& m : *snapshot.members) {
      if (m.id.short_hex() == prefix) out.matches.push_back(&m);
    }
    if (!out.matches.empty()) return out;
  }
  // A name two live keys announce names its owner only (docs/protocol.md, "Name
  // conflicts"); the loser is still found by its id.
  for (const MemberSnapshot& m : *snapshot.members) {
    if (m.announcement && m.announcement->info.id == key && !m.name_lost_to) out.matches.push_back(&m);
  }
  return out;
}

}  // namespace swell::agent
