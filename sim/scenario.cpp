#include "scenario.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "config_fields.h"

namespace swell::sim {
namespace {

constexpr std::uint32_t kMaxNodes = 100000;

struct ActionName {
  Action action;
  std::string_view name;
};
constexpr ActionName kActions[] = {
    {Action::join_all, "join_all"},
    {Action::join, "join"},
    {Action::crash, "crash"},
    {Action::restart, "restart"},
    {Action::leave, "leave"},
    {Action::set_info, "set_info"},
    {Action::partition, "partition"},
    {Action::partition_one_way, "partition_one_way"},
    {Action::heal, "heal"},
    {Action::loss, "loss"},
    {Action::inbound_loss, "inbound_loss"},
    {Action::latency, "latency"},
    {Action::slow, "slow"},
    {Action::skew, "skew"},
    {Action::forge_alive, "forge_alive"},
    {Action::expect, "expect"},
    {Action::expect_converged, "expect_converged"},
    {Action::expect_events, "expect_events"},
    {Action::end, "end"},
};

// The keys each action accepts besides `at`, `action` and `note`: a typo is an error,
// never a silently ignored key.
std::set<std::string_view> keys_of(Action action) {
  switch (action) {
    case Action::join_all: return {"seed_member"};
    case Action::join: return {"member", "seeds"};
    case Action::crash: return {"member"};
    case Action::restart: return {"member", "seeds"};
    case Action::leave: return {"member"};
    case Action::set_info:
      return {"member", "metadata", "address", "id", "node_type", "is_load_balancer", "metrics_port"};
    case Action::partition: return {"sides"};
    case Action::partition_one_way: return {"from", "to"};
    case Action::heal: return {};
    case Action::loss: return {"p"};
    case Action::inbound_loss: return {"member", "p"};
    case Action::latency: return {"min_ms", "max_ms", "from", "to", "both"};
    case Action::slow: return {"member", "delay_ms"};
    case Action::skew: return {"member", "skew_ms"};
    case Action::forge_alive: return {"attacker", "member", "to", "incarnation_bump", "forgery"};
    case Action::expect:
      return {"observer", "member", "state", "within", "metadata", "min_incarnation", "newer_than_crash"};
    case Action::expect_converged: return {"observer", "member", "within"};
    case Action::expect_events: return {"observer", "member", "kind", "since", "min", "max"};
    case Action::end: return {};
  }
  return {};
}

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

// Reads the keys of one table, remembering which were used so leftovers are reported.
class Reader {
 public:
  Reader(const toml::table& table, std::string context, std::uint32_t nodes)
      : table_(table), context_(std::move(context)), nodes_(nodes) {}

  [[nodiscard]] const toml::node* get(std::string_view key) {
    used_.insert(std::string(key));
    return table_.get(key);
  }
  [[nodiscard]] bool has(std::string_view key) const { return table_.get(key) != nullptr; }

  Error fail(const toml::node* node, const std::string& what) const {
    return error_at(node != nullptr ? node->source() : table_.source(), context_ + what);
  }

  Result<double> number(std::string_view key, std::optional<double> fallback = std::nullopt) {
    const toml::node* node = get(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      return fail(nullptr, "missing '" + std::string(key) + "' (a number)");
    }
    auto value = number_of(*node);
    if (!value || !std::isfinite(*value)) return fail(node, "'" + std::string(key) + "' must be a number");
    return *value;
  }

  Result<std::uint64_t> integer(std::string_view key, std::optional<std::uint64_t> fallback = std::nullopt) {
    const toml::node* node = get(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      return fail(nullptr, "missing '" + std::string(key) + "' (a whole number)");
    }
    const auto* i = node->as_integer();
    if (i == nullptr || i->get() < 0) return fail(node, "'" + std::string(key) + "' must be a whole number >= 0");
    return static_cast<std::uint64_t>(i->get());
  }

  Result<std::string> string(std::string_view key, std::optional<std::string> fallback = std::nullopt) {
    const toml::node* node = get(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      return fail(nullptr, "missing '" + std::string(key) + "' (a string)");
    }
    const auto* s = node->as_string();
    if (s == nullptr) return fail(node, "'" + std::string(key) + "' must be a string");
    return s->get();
  }

  Result<bool> boolean(std::string_view key, bool fallback) {
    const toml::node* node = get(key);
    if (node == nullptr) return fallback;
    const auto* b = node->as_boolean();
    if (b == nullptr) return fail(node, "'" + std::string(key) + "' must be true or false");
    return b->get();
  }

  Result<std::uint32_t> member_index(std::string_view key, std::optional<std::uint32_t> fallback = std::nullopt) {
    const toml::node* node = get(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      return fail(nullptr, "missing '" + std::string(key) + "' (a member index)");
    }
    const auto* i = node->as_integer();
    if (i == nullptr || i->get() < 0 || i->get() >= static_cast<std::int64_t>(nodes_)) {
      return fail(node, "'" + std::string(key) + "' must be a member index 0.." + std::to_string(nodes_ - 1));
    }
    return static_cast<std::uint32_t>(i->get());
  }

  // A selector: 3, [1, 2, 5], "all", "all_up", "0..7", "0..2,5,9..11".
  Result<Selector> selector(std::string_view key, std::optional<Selector> fallback = std::nullopt) {
    const toml::node* node = get(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      return fail(nullptr, "missing '" + std::string(key) + "' (a member, a list, \"all\", \"all_up\" or \"a..b\")");
    }
    return selector_of(*node, std::string(key));
  }

  Result<Selector> selector_of(const toml::node& node, const std::string& key) {
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

  Result<std::vector<std::uint32_t>> indices(std::string_view key, std::vector<std::uint32_t> fallback) {
    if (!has(key)) {
      (void)get(key);
      return fallback;
    }
    auto sel = selector(key);
    if (!sel.ok()) return sel.error();
    if (sel.value().kind != Selector::Kind::list) return fail(table_.get(key), "'" + std::string(key) + "' must list members");
    return sel.value().members;
  }

  // Every key present must have been read (or be one of `allowed`).
  Result<void> no_leftovers(const std::set<std::string_view>& allowed) const {
    for (auto&& [key, value] : table_) {
      const std::string k(key.str());
      if (used_.count(k) == 0 && allowed.count(k) == 0) {
        return error_at(key.source(), context_ + "unknown key '" + k + "'");
      }
    }
    return success();
  }

 private:
  const toml::table& table_;
  std::string context_;
  std::uint32_t nodes_;
  std::set<std::string> used_;
};

Result<std::optional<MemberState>> state_of(std::string_view name) {
  if (name == "alive") return std::optional<MemberState>(MemberState::alive);
  if (name == "suspect") return std::optional<MemberState>(MemberState::suspect);
  if (name == "dead") return std::optional<MemberState>(MemberState::dead);
  if (name == "left") return std::optional<MemberState>(MemberState::left);
  if (name == "unknown") return std::optional<MemberState>();
  return Error{ErrorCode::invalid_argument, "state must be alive, suspect, dead, left or unknown"};
}

Result<MembershipEvent::Kind> kind_of(std::string_view name) {
  using K = MembershipEvent::Kind;
  for (const K k : {K::joined, K::updated, K::suspected, K::failed, K::left, K::recovered}) {
    if (name == to_string(k)) return k;
  }
  return Error{ErrorCode::invalid_argument, "kind must be joined, updated, suspected, failed, left or recovered"};
}

// Reads `key` as one string or a list of strings, each converted by convert.
template <class T, class Convert>
Result<std::vector<T>> strings(Reader& r, std::string_view key, Convert convert) {
  const toml::node* node = r.get(key);
  if (node == nullptr) return r.fail(nullptr, "missing '" + std::string(key) + "'");
  std::vector<T> out;
  auto one = [&](const toml::node& n) -> Result<void> {
    const auto* s = n.as_string();
    if (s == nullptr) return r.fail(&n, "'" + std::string(key) + "' must be a string or a list of strings");
    auto v = convert(s->get());
    if (!v.ok()) return r.fail(&n, "'" + std::string(key) + "': " + v.error().message);
    out.push_back(v.value());
    return success();
  };
  if (const auto* a = node->as_array()) {
    for (const toml::node& e : *a) {
      if (auto ok = one(e); !ok.ok()) return ok.error();
    }
    if (out.empty()) return r.fail(node, "'" + std::string(key) + "' must not be empty");
  } else if (auto ok = one(*node); !ok.ok()) {
    return ok.error();
  }
  return out;
}

#define SWELL_TRY(var, expr)          \
  auto var##_result = (expr);         \
  if (!var##_result.ok()) return var##_result.error(); \
  auto var = std::move(var##_result.value())

Duration ms(double value) { return Duration(static_cast<std::int64_t>(std::llround(value * 1000.0))); }

Result<Step> parse_step(const toml::table& t, std::size_t index, std::uint32_t nodes) {
  Step step;
  step.line = t.source().begin.line;
  Reader r(t, "step " + std::to_string(index + 1) + ": ", nodes);
  SWELL_TRY(name, r.string("action"));
  bool known = false;
  for (const ActionName& a : kActions) {
    if (a.name == name) step.action = a.action, known = true;
  }
  if (!known) {
    std::string list;
    for (const ActionName& a : kActions) list += (list.empty() ? "" : ", ") + std::string(a.name);
    return r.fail(t.get("action"), "unknown action '" + name + "'; actions: " + list);
  }
  Reader s(t, "step " + std::to_string(index + 1) + " (" + name + "): ", nodes);
  SWELL_TRY(at, s.number("at"));
  if (at < 0) return s.fail(t.get("at"), "'at' must be >= 0 (seconds)");
  step.at_s = at;
  (void)s.get("action");
  SWELL_TRY(note, s.string("note", std::string()));
  step.note = note;

  switch (step.action) {
    case Action::join_all: {
      SWELL_TRY(seed, s.member_index("seed_member", 0));
      step.seeds = {seed};
      break;
    }
    case Action::join:
    case Action::restart: {
      SWELL_TRY(member, s.selector("member"));
      step.member = member;
      SWELL_TRY(seeds, s.indices("seeds", {}));
      step.seeds = seeds;
      if (step.action == Action::join && step.seeds.empty()) step.seeds = {0};
      break;
    }
    case Action::crash:
    case Action::leave: {
      SWELL_TRY(member, s.selector("member"));
      step.member = member;
      break;
    }
    case Action::set_info: {
      SWELL_TRY(member, s.selector("member"));
      step.member = member;
      if (s.has("metadata")) {
        SWELL_TRY(v, s.string("metadata"));
        step.info_metadata = v;
      }
      if (s.has("address")) {
        SWELL_TRY(v, s.string("address"));
        step.info_address = v;
      }
      if (s.has("id")) {
        SWELL_TRY(v, s.string("id"));
        step.info_id = v;
      }
      if (s.has("node_type")) {
        SWELL_TRY(v, s.string("node_type"));
        auto type = parse_node_type(v);
        if (!type.ok()) return s.fail(t.get("node_type"), type.error().message);
        step.info_node_type = type.value();
      }
      if (s.has("is_load_balancer")) {
        SWELL_TRY(v, s.boolean("is_load_balancer", false));
        step.info_is_load_balancer = v;
      }
      if (s.has("metrics_port")) {
        SWELL_TRY(v, s.integer("metrics_port"));
        if (v > 65535) return s.fail(t.get("metrics_port"), "'metrics_port' must be 0..65535");
        step.info_metrics_port = static_cast<std::uint16_t>(v);
      }
      break;
    }
    case Action::partition: {
      const toml::node* sides = s.get("sides");
      const toml::array* list = sides == nullptr ? nullptr : sides->as_array();
      if (list == nullptr || list->size() < 2) {
        return s.fail(sides, "'sides' must be a list of at least two member sets, e.g. [\"0..7\", \"8..15\"]");
      }
      std::set<std::uint32_t> seen;
      for (const toml::node& side : *list) {
        SWELL_TRY(sel, s.selector_of(side, "sides"));
        if (sel.kind != Selector::Kind::list) return s.fail(&side, "each side must list members");
        for (const std::uint32_t m : sel.members) {
          if (!seen.insert(m).second) return s.fail(&side, "member " + std::to_string(m) + " is on two sides");
        }
        step.sides.push_back(std::move(sel));
      }
      break;
    }
    case Action::partition_one_way: {
      SWELL_TRY(from, s.selector("from"));
      SWELL_TRY(to, s.selector("to"));
      step.from = from;
      step.to = to;
      break;
    }
    case Action::heal:
    case Action::end: break;
    case Action::loss:
    case Action::inbound_loss: {
      if (step.action == Action::inbound_loss) {
        SWELL_TRY(member, s.selector("member"));
        step.member = member;
      }
      SWELL_TRY(p, s.number("p"));
      if (p < 0 || p > 1) return s.fail(t.get("p"), "'p' must be a probability 0..1");
      step.p = p;
      break;
    }
    case Action::latency: {
      SWELL_TRY(lo, s.number("min_ms"));
      SWELL_TRY(hi, s.number("max_ms", lo));
      if (lo < 0 || hi < lo) return s.fail(t.get("max_ms"), "need 0 <= min_ms <= max_ms");
      step.latency = LatencyRange{ms(lo), ms(hi)};
      if (s.has("from") != s.has("to")) return s.fail(nullptr, "give both 'from' and 'to', or neither");
      if (s.has("from")) {
        SWELL_TRY(from, s.selector("from"));
        SWELL_TRY(to, s.selector("to"));
        step.from = from;
        step.to = to;
        step.per_link = true;
      }
      SWELL_TRY(both, s.boolean("both", true));
      step.both = both;
      break;
    }
    case Action::slow: {
      SWELL_TRY(member, s.selector("member"));
      SWELL_TRY(delay, s.number("delay_ms"));
      if (delay < 0) return s.fail(t.get("delay_ms"), "'delay_ms' must be >= 0");
      step.member = member;
      step.delay = ms(delay);
      break;
    }
    case Action::skew: {
      SWELL_TRY(member, s.selector("member"));
      SWELL_TRY(skew, s.number("skew_ms"));
      if (std::fabs(skew) > 86400000.0) return s.fail(t.get("skew_ms"), "'skew_ms' must be within one day");
      step.member = member;
      step.skew = ms(skew);
      break;
    }
    case Action::forge_alive: {
      SWELL_TRY(attacker, s.member_index("attacker"));
      SWELL_TRY(subject, s.member_index("member"));
      SWELL_TRY(to, s.member_index("to"));
      if (attacker == subject || attacker == to || subject == to) {
        return s.fail(nullptr, "attacker, member and to must be three different members");
      }
      step.attacker = attacker;
      step.member.members = {subject};
      step.to.members = {to};
      SWELL_TRY(bump, s.integer("incarnation_bump", 1));
      step.incarnation_bump = bump;
      SWELL_TRY(kind, s.string("forgery", std::string("resigned")));
      if (kind == "resigned") {
        step.forgery = Forgery::resigned;
      } else if (kind == "spoofed_sender") {
        step.forgery = Forgery::spoofed_sender;
      } else {
        return s.fail(t.get("forgery"), "'forgery' must be \"resigned\" or \"spoofed_sender\"");
      }
      break;
    }
    case Action::expect:
    case Action::expect_converged: {
      Selector all_up;
      all_up.kind = Selector::Kind::all_up;
      SWELL_TRY(observer, s.selector("observer", all_up));
      step.observer = observer;
      if (step.action == Action::expect) {
        SWELL_TRY(member, s.selector("member"));
        step.member = member;
        SWELL_TRY(states, strings<std::optional<MemberState>>(s, "state", state_of));
        step.states = states;
        if (s.has("metadata")) {
          SWELL_TRY(v, s.string("metadata"));
          step.metadata = v;
        }
        if (s.has("min_incarnation")) {
          SWELL_TRY(v, s.integer("min_incarnation"));
          step.min_incarnation = v;
        }
        SWELL_TRY(newer, s.boolean("newer_than_crash", false));
        step.newer_than_crash = newer;
      } else {
        SWELL_TRY(member, s.selector("member", all_up));
        step.member = member;
        step.states = {MemberState::alive};
      }
      if (s.has("within")) {
        SWELL_TRY(within, s.number("within"));
        if (within < 0) return s.fail(t.get("within"), "'within' must be >= 0 (seconds)");
        step.within_s = within;
      }
      break;
    }
    case Action::expect_events: {
      Selector all;
      all.kind = Selector::Kind::all;
      SWELL_TRY(observer, s.selector("observer", all));
      SWELL_TRY(member, s.selector("member", all));
      step.observer = observer;
      step.member = member;
      SWELL_TRY(kinds, strings<MembershipEvent::Kind>(s, "kind", kind_of));
      step.kinds = kinds;
      SWELL_TRY(since, s.number("since", 0.0));
      if (since < 0 || since > step.at_s) return s.fail(t.get("since"), "'since' must be in 0..at");
      step.since_s = since;
      if (s.has("min")) {
        SWELL_TRY(v, s.integer("min"));
        step.min_count = v;
      }
      if (s.has("max")) {
        SWELL_TRY(v, s.integer("max"));
        step.max_count = v;
      }
      if (!step.min_count && !step.max_count) return s.fail(nullptr, "give 'min', 'max' or both");
      break;
    }
  }
  std::set<std::string_view> allowed = keys_of(step.action);
  allowed.insert({"at", "action", "note"});
  for (auto&& [key, value] : t) {
    if (allowed.count(key.str()) == 0) {
      return error_at(key.source(), "step " + std::to_string(index + 1) + " (" + name + "): unknown key '" +
                                        std::string(key.str()) + "' for this action");
    }
  }
  return step;
}

}  // namespace

std::string_view to_string(Action action) {
  for (const ActionName& a : kActions) {
    if (a.action == action) return a.name;
  }
  return "unknown";
}

Result<toml::table> parse_scenario_text(std::string_view text, std::string source_name) {
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, std::move(source_name));
  } catch (const toml::parse_error& e) {
    return error_at(e.source(), std::string(e.description()));
  } catch (const std::exception& e) {
    return Error{ErrorCode::invalid_argument, source_name + ": " + e.what()};
  }
#else
  toml::parse_result result = toml::parse(text, std::move(source_name));
  if (!result) return error_at(result.error().source(), std::string(result.error().description()));
  return std::move(result).table();
#endif
}

Result<toml::table> load_scenario_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::io, path + ": cannot open the scenario file"};
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error{ErrorCode::io, path + ": read failed"};
  return parse_scenario_text(text.str(), path);
}

Result<Scenario> parse_scenario(const toml::table& table) {
  Scenario sc;
  Reader top(table, "", kMaxNodes);
  const toml::source_region& origin = table.source();
  std::string stem = origin.path ? *origin.path : std::string("scenario");
  if (const auto slash = stem.find_last_of('/'); slash != std::string::npos) stem = stem.substr(slash + 1);
  if (const auto dot = stem.rfind(".toml"); dot != std::string::npos && dot + 5 == stem.size()) stem.resize(dot);
  SWELL_TRY(name, top.string("name", stem));
  sc.name = name;
  SWELL_TRY(seed, top.integer("seed", 1));
  sc.seed = seed;
  SWELL_TRY(nodes, top.integer("nodes"));
  if (nodes < 2 || nodes > kMaxNodes) {
    return top.fail(table.get("nodes"), "'nodes' must be 2.." + std::to_string(kMaxNodes));
  }
  sc.nodes = static_cast<std::uint32_t>(nodes);
  SWELL_TRY(preset, top.string("preset", std::string("lan")));
  auto config = config_preset(preset);
  if (!config.ok()) return top.fail(table.get("preset"), config.error().message);
  sc.preset = preset;
  sc.config = config.value();
  SWELL_TRY(auth, top.string("auth", std::string("real")));
  if (auth != "real" && auth != "fast") return top.fail(table.get("auth"), "'auth' must be \"real\" or \"fast\"");
  sc.pair_keys = auth == "fast" ? PairKeys::hashed : PairKeys::real;
  SWELL_TRY(duration, top.number("duration", 0.0));
  if (duration < 0) return top.fail(table.get("duration"), "'duration' must be >= 0 (seconds)");
  SWELL_TRY(transcript, top.boolean("transcript", false));
  sc.transcript = transcript;

  if (const toml::node* node = top.get("config")) {
    const toml::table* overrides = node->as_table();
    if (overrides == nullptr) return top.fail(node, "[config] must be a table of Config fields");
    // Dotted keys (peer_info.max_metadata_bytes) arrive as nested tables.
    std::vector<std::pair<std::string, const toml::node*>> flat;
    for (auto&& [key, value] : *overrides) {
      if (const toml::table* inner = value.as_table()) {
        for (auto&& [k2, v2] : *inner) flat.emplace_back(std::string(key.str()) + "." + std::string(k2.str()), &v2);
      } else {
        flat.emplace_back(std::string(key.str()), &value);
      }
    }
    for (const auto& [key, value] : flat) {
      auto number = number_of(*value);
      if (const auto* b = value->as_boolean()) number = b->get() ? 1.0 : 0.0;
      if (!number) {
        return error_at(value->source(), "[config] " + key + " must be a number (durations in ms) or a boolean");
      }
      if (auto ok = set_config_field(sc.config, key, *number); !ok.ok()) {
        return error_at(value->source(), "[config] " + ok.error().message);
      }
    }
    if (auto ok = sc.config.validate(); !ok.ok()) return error_at(node->source(), "[config] " + ok.error().message);
  }

  if (const toml::node* node = top.get("network")) {
    const toml::table* net = node->as_table();
    if (net == nullptr) return top.fail(node, "[network] must be a table");
    Reader r(*net, "[network] ", sc.nodes);
    if (const toml::node* lat = r.get("latency_ms")) {
      const toml::array* pair = lat->as_array();
      std::optional<double> lo, hi;
      if (pair != nullptr && pair->size() == 2) lo = number_of(*pair->get(0)), hi = number_of(*pair->get(1));
      if (!lo || !hi || *lo < 0 || *hi < *lo) return r.fail(lat, "latency_ms must be [min, max] with 0 <= min <= max");
      sc.latency = LatencyRange{ms(*lo), ms(*hi)};
    }
    SWELL_TRY(loss, r.number("loss", 0.0));
    SWELL_TRY(inbound, r.number("inbound_loss", 0.0));
    if (loss < 0 || loss > 1) return r.fail(net->get("loss"), "loss must be 0..1");
    if (inbound < 0 || inbound > 1) return r.fail(net->get("inbound_loss"), "inbound_loss must be 0..1");
    sc.loss = loss;
    sc.inbound_loss = inbound;
    if (auto ok = r.no_leftovers({}); !ok.ok()) return ok.error();
  }

  if (const toml::node* node = top.get("step")) {
    const toml::array* steps = node->as_array();
    if (steps == nullptr) return top.fail(node, "steps are written [[step]]");
    for (std::size_t k = 0; k < steps->size(); ++k) {
      const toml::table* t = steps->get(k)->as_table();
      if (t == nullptr) return error_at(steps->get(k)->source(), "each [[step]] must be a table");
      SWELL_TRY(step, parse_step(*t, k, sc.nodes));
      sc.steps.push_back(std::move(step));
    }
  }
  if (auto ok = top.no_leftovers({}); !ok.ok()) return ok.error();
  std::stable_sort(sc.steps.begin(), sc.steps.end(), [](const Step& a, const Step& b) { return a.at_s < b.at_s; });
  sc.duration_s = duration;
  for (const Step& s : sc.steps) sc.duration_s = std::max(sc.duration_s, s.at_s + s.within_s.value_or(0.0));
  return sc;
}

}  // namespace swell::sim
