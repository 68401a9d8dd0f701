#include "scenario_reader.h"

#include <algorithm>
#include <sstream>

namespace swell::sim {

std::string where(const toml::source_region& source) {
  std::string out = source.path ? *source.path : std::string("scenario");
  out += ":" + std::to_string(source.begin.line);
  if (source.begin.column > 0) out += ":" + std::to_string(source.begin.column);
  return out;
}

Error error_at(const toml::source_region& source, const std::string& what) {
  return Error{ErrorCode::invalid_argument, where(source) + ": " + what};
}

std::optional<double> number_of(const toml::node& node) {
  if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
  if (const auto* f = node.as_floating_point()) return f->get();
  return std::nullopt;
}


Result<Selector> Reader::selector_of(const toml::node& node, const std::string& key) {
  Selector out;
  std::set<std::uint32_t> members;
  const std::string bad = "'" + key + "' must be a member index, a list of them, \"all\", \"all_up\" or ranges "
                          "like \"0..7,9\" (indices 0.." + std::to_string(nodes_ - 1) + ")";
  auto add = [&](std::int64_t i) {
    if (i < 0 || i >= static_cast<std::int64_t>(nodes_)) return false;
    members.insert(static_cast<std::uint32_t>(i));
    return true;
  };
  if (const auto* i = node.as_integer()) {
    if (!add(i->get())) return fail(&node, bad);
  } else if (const auto* a = node.as_array()) {
    for (const toml::node& element : *a) {
      const auto* e = element.as_integer();
      if (e == nullptr || !add(e->get())) return fail(&element, bad);
    }
  } else if (const auto* s = node.as_string()) {
    const std::string& text = s->get();
    if (text == "all") {
      out.kind = Selector::Kind::all;
      return out;
    }
    if (text == "all_up") {
      out.kind = Selector::Kind::all_up;
      return out;
    }
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
      item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
      const auto dots = item.find("..");
      try {
        std::size_t used = 0;
        if (dots == std::string::npos) {
          const long long v = std::stoll(item, &used);
          if (used != item.size() || !add(v)) return fail(&node, bad);
        } else {
          const std::string lo_text = item.substr(0, dots), hi_text = item.substr(dots + 2);
          const long long lo = std::stoll(lo_text, &used);
          if (used != lo_text.size()) return fail(&node, bad);
          const long long hi = std::stoll(hi_text, &used);
          if (used != hi_text.size() || lo > hi || hi >= static_cast<long long>(nodes_)) return fail(&node, bad);
          for (long long v = lo; v <= hi; ++v) {
            if (!add(v)) return fail(&node, bad);
          }
        }
      } catch (const std::exception&) {  // stoll: not a number
        return fail(&node, bad);
      }
    }
    if (members.empty()) return fail(&node, bad);
  } else {
    return fail(&node, bad);
  }
  out.members.assign(members.begin(), members.end());
  return out;
}

}  // namespace swell::sim
