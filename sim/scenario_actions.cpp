#include "scenario_actions.h"

#include <array>
#include <set>
#include <type_traits>
#include <variant>
#include <utility>

namespace swell::sim {
namespace {

// Each parse_fields reads exactly the keys its action accepts; Reader::no_leftovers
// then turns any other key into an error, so no list of keys is kept apart.

Result<void> parse_fields(Reader& s, action::JoinAll& a, double) {
  SWELL_TRY(seed, s.member_index("seed_member", 0));
  a.seed_member = seed;
  return success();
}

Result<void> parse_fields(Reader& s, action::Join& a, double) {
  SWELL_TRY(member, s.selector("member"));
  a.member = member;
  SWELL_TRY(seeds, s.indices("seeds", {}));
  a.seeds = seeds.empty() ? std::vector<std::uint32_t>{0} : seeds;
  return success();
}

Result<void> parse_fields(Reader& s, action::Restart& a, double) {
  SWELL_TRY(member, s.selector("member"));
  a.member = member;
  SWELL_TRY(seeds, s.indices("seeds", {}));
  a.seeds = seeds;
  return success();
}

Result<void> parse_fields(Reader& s, action::Recreate& a, double) {
  SWELL_TRY(member, s.member_index("member"));
  SWELL_TRY(as, s.member_index("as"));
  if (member == as) return s.fail(s.get("as"), "'as' must be another member than 'member'");
  a.member = member;
  a.as = as;
  SWELL_TRY(seeds, s.indices("seeds", {}));
  a.seeds = seeds.empty() ? std::vector<std::uint32_t>{0} : seeds;
  return success();
}

Result<void> parse_fields(Reader& s, action::Crash& a, double) {
  SWELL_TRY(member, s.selector("member"));
  a.member = member;
  return success();
}

Result<void> parse_fields(Reader& s, action::Leave& a, double) {
  SWELL_TRY(member, s.selector("member"));
  a.member = member;
  return success();
}

Result<void> parse_fields(Reader& s, action::SetInfo& a, double) {
  SWELL_TRY(member, s.selector("member"));
  a.member = member;
  for (auto [key, field] : {std::pair{"metadata", &a.metadata}, std::pair{"address", &a.address},
                            std::pair{"id", &a.id}}) {
    if (!s.has(key)) continue;
    SWELL_TRY(v, s.string(key));
    *field = v;
  }
  if (s.has("node_type")) {
    SWELL_TRY(v, s.string("node_type"));
    auto type = parse_node_type(v);
    if (!type.ok()) return s.fail(s.get("node_type"), type.error().message);
    a.node_type = type.value();
  }
  if (s.has("is_load_balancer")) {
    SWELL_TRY(v, s.boolean("is_load_balancer", false));
    a.is_load_balancer = v;
  }
  if (s.has("metrics_port")) {
    SWELL_TRY(v, s.integer("metrics_port"));
    if (v > 65535) return s.fail(s.get("metrics_port"), "'metrics_port' must be 0..65535");
    a.metrics_port = static_cast<std::uint16_t>(v);
  }
  return success();
}

Result<void> parse_fields(Reader& s, action::Partition& a, double) {
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
    a.sides.push_back(std::move(sel));
  }
  return success();
}

Result<void> parse_fields(Reader& s, action::PartitionOneWay& a, double) {
  SWELL_TRY(from, s.selector("from"));
  SWELL_TRY(to, s.selector("to"));
  a.from = from;
  a.to = to;
  return success();
}

Result<void> parse_fields(Reader&, action::Heal&, double) { return success(); }
Result<void> parse_fields(Reader&, action::End&, double) { return success(); }

// A probability key 'p' in 0..1.
Result<double> probability(Reader& s) {
  SWELL_TRY(p, s.number("p"));
  if (p < 0 || p > 1) return s.fail(s.get("p"), "'p' must be a probability 0..1");
  return p;
}

Result<void> parse_fields(Reader& s, action::Loss& a, double) {
  SWELL_TRY(p, probability(s));
  a.p = p;
  return success();
}

// Actions that give members a loss probability: `member` and `p`.
template <class MemberLoss>
Result<void> parse_member_loss(Reader& s, MemberLoss& a) {
  SWELL_TRY(member, s.selector("member"));
  a.member = member;
  SWELL_TRY(p, probability(s));
  a.p = p;
  return success();
}

Result<void> parse_fields(Reader& s, action::InboundLoss& a, double) { return parse_member_loss(s, a); }

Result<void> parse_fields(Reader& s, action::OutboundLoss& a, double) { return parse_member_loss(s, a); }

Result<void> parse_fields(Reader& s, action::Pause& a, double) {
  SWELL_TRY(member, s.selector("member"));
  SWELL_TRY(duration, s.number("duration_ms"));
  if (duration <= 0 || duration > 86400000.0) {
    return s.fail(s.get("duration_ms"), "'duration_ms' must be > 0 and within one day");
  }
  a.member = member;
  a.duration = ms(duration);
  return success();
}

Result<void> parse_fields(Reader& s, action::Latency& a, double) {
  SWELL_TRY(lo, s.number("min_ms"));
  SWELL_TRY(hi, s.number("max_ms", lo));
  if (lo < 0 || hi < lo) return s.fail(s.get("max_ms"), "need 0 <= min_ms <= max_ms");
  a.latency = LatencyRange{ms(lo), ms(hi)};
  if (s.has("from") != s.has("to")) return s.fail(nullptr, "give both 'from' and 'to', or neither");
  if (s.has("from")) {
    SWELL_TRY(from, s.selector("from"));
    SWELL_TRY(to, s.selector("to"));
    a.from = from;
    a.to = to;
    a.per_link = true;
  }
  SWELL_TRY(both, s.boolean("both", true));
  a.both = both;
  return success();
}

Result<void> parse_fields(Reader& s, action::Slow& a, double) {
  SWELL_TRY(member, s.selector("member"));
  SWELL_TRY(delay, s.number("delay_ms"));
  if (delay < 0) return s.fail(s.get("delay_ms"), "'delay_ms' must be >= 0");
  a.member = member;
  a.delay = ms(delay);
  return success();
}

Result<void> parse_fields(Reader& s, action::SlowInput& a, double at_s) {
  SWELL_TRY(member, s.selector("member"));
  SWELL_TRY(delay, s.number("delay_ms"));
  // Beyond a minute no probe, suspicion or stream timeout is left to disagree with.
  if (delay < 0 || delay > 60000.0) return s.fail(s.get("delay_ms"), "'delay_ms' must be 0..60000");
  a.member = member;
  a.delay = ms(delay);
  if (!s.has("until")) return success();
  SWELL_TRY(until, s.number("until"));
  if (until <= at_s) return s.fail(s.get("until"), "'until' must be after 'at' (seconds)");
  a.until_s = until;
  return success();
}

Result<void> parse_fields(Reader& s, action::Skew& a, double) {
  SWELL_TRY(member, s.selector("member"));
  SWELL_TRY(skew, s.number("skew_ms"));
  if (std::fabs(skew) > 86400000.0) return s.fail(s.get("skew_ms"), "'skew_ms' must be within one day");
  a.member = member;
  a.skew = ms(skew);
  return success();
}

Result<void> parse_fields(Reader& s, action::ForgeAlive& a, double) {
  SWELL_TRY(attacker, s.member_index("attacker"));
  SWELL_TRY(subject, s.member_index("member"));
  SWELL_TRY(to, s.member_index("to"));
  if (attacker == subject || attacker == to || subject == to) {
    return s.fail(nullptr, "attacker, member and to must be three different members");
  }
  a.attacker = attacker;
  a.member = subject;
  a.to = to;
  SWELL_TRY(bump, s.integer("incarnation_bump", 1));
  a.incarnation_bump = bump;
  SWELL_TRY(kind, s.string("forgery", std::string("resigned")));
  if (kind == "resigned") {
    a.forgery = Forgery::resigned;
  } else if (kind == "spoofed_sender") {
    a.forgery = Forgery::spoofed_sender;
  } else {
    return s.fail(s.get("forgery"), "'forgery' must be \"resigned\" or \"spoofed_sender\"");
  }
  return success();
}

Result<void> parse_fields(Reader& s, action::Revoke& a, double) {
  SWELL_TRY(member, s.selector("member"));
  SWELL_TRY(via, s.member_index("via", 0));
  a.member = member;
  a.via = via;
  return success();
}

Result<void> parse_fields(Reader& s, action::RotateKey& a, double) {
  SWELL_TRY(member, s.selector("member"));
  a.member = member;
  return success();
}

Result<void> parse_fields(Reader& s, action::Byzantine& a, double at_s) {
  SWELL_TRY(member, s.selector("member"));
  a.member = member;
  if (s.has("does")) {
    SWELL_TRY(names, strings<std::string>(s, "does", [](std::string_view n) -> Result<std::string> {
      if (n == "accuse" || n == "replay" || n == "forge" || n == "garbage") return std::string(n);
      return Error{ErrorCode::invalid_argument, "must be \"accuse\", \"replay\", \"forge\" or \"garbage\""};
    }));
    for (const std::string& n : names) {
      a.does.accuse |= n == "accuse";
      a.does.replay |= n == "replay";
      a.does.forge |= n == "forge";
      a.does.garbage |= n == "garbage";
    }
  } else {
    a.does = Misbehaviour{.accuse = true, .replay = true, .forge = true, .garbage = true};
  }
  SWELL_TRY(every, s.number("every", 5.0));
  if (every < 0.01 || every > 86400) return s.fail(s.get("every"), "'every' must be in 0.01..86400 (seconds)");
  a.every = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(every));
  if (s.has("until")) {
    SWELL_TRY(until, s.number("until"));
    if (until < at_s) return s.fail(s.get("until"), "'until' must be >= the step's 'at'");
    a.until_s = until;
  }
  return success();
}

Selector all_of(Selector::Kind kind) {
  Selector s;
  s.kind = kind;
  return s;
}

// `within`, shared by both view checks.
Result<void> parse_within(Reader& s, action::ViewCheck& a) {
  if (!s.has("within")) return success();
  SWELL_TRY(within, s.number("within"));
  if (within < 0) return s.fail(s.get("within"), "'within' must be >= 0 (seconds)");
  a.within_s = within;
  return success();
}

Result<void> parse_fields(Reader& s, action::Expect& a, double) {
  SWELL_TRY(observer, s.selector("observer", all_of(Selector::Kind::all_up)));
  a.observer = observer;
  SWELL_TRY(member, s.selector("member"));
  a.member = member;
  SWELL_TRY(states, strings<std::optional<MemberState>>(s, "state", state_of));
  a.states = states;
  if (s.has("metadata")) {
    SWELL_TRY(v, s.string("metadata"));
    a.metadata = v;
  }
  if (s.has("min_incarnation")) {
    SWELL_TRY(v, s.integer("min_incarnation"));
    a.min_incarnation = v;
  }
  SWELL_TRY(newer, s.boolean("newer_than_crash", false));
  a.newer_than_crash = newer;
  if (s.has("name_owner")) {
    SWELL_TRY(owner, s.member_index("name_owner"));
    a.name_owner = owner;
  }
  return parse_within(s, a);
}

Result<void> parse_fields(Reader& s, action::ExpectConverged& a, double) {
  SWELL_TRY(observer, s.selector("observer", all_of(Selector::Kind::all_up)));
  a.observer = observer;
  SWELL_TRY(member, s.selector("member", all_of(Selector::Kind::all_up)));
  a.member = member;
  a.states = {MemberState::alive};
  return parse_within(s, a);
}

Result<void> parse_fields(Reader& s, action::ExpectEvents& a, double at_s) {
  SWELL_TRY(observer, s.selector("observer", all_of(Selector::Kind::all)));
  SWELL_TRY(member, s.selector("member", all_of(Selector::Kind::all)));
  a.observer = observer;
  a.member = member;
  SWELL_TRY(kinds, strings<MembershipEvent::Kind>(s, "kind", kind_of));
  a.kinds = kinds;
  SWELL_TRY(since, s.number("since", 0.0));
  if (since < 0 || since > at_s) return s.fail(s.get("since"), "'since' must be in 0..at");
  a.since_s = since;
  if (s.has("min")) {
    SWELL_TRY(v, s.integer("min"));
    a.min_count = v;
  }
  if (s.has("max")) {
    SWELL_TRY(v, s.integer("max"));
    a.max_count = v;
  }
  if (!a.min_count && !a.max_count) return s.fail(nullptr, "give 'min', 'max' or both");
  SWELL_TRY(per_observer, s.boolean("per_observer", false));
  a.per_observer = per_observer;
  return success();
}

// The alternatives of Action, walked at compile time: the variant is the one list of
// actions, so a new one needs no entry in a name table.
template <std::size_t I = 0>
Result<Action> parse_alternative(std::string_view name, Reader& r, double at_s) {
  if constexpr (I == std::variant_size_v<Action>) {
    return Error{ErrorCode::invalid_argument, "unknown action '" + std::string(name) + "'"};
  } else {
    using T = std::variant_alternative_t<I, Action>;
    if (name != T::kName) return parse_alternative<I + 1>(name, r, at_s);
    T a;
    if (auto ok = parse_fields(r, a, at_s); !ok.ok()) return ok.error();
    return Action{std::move(a)};
  }
}

template <std::size_t... I>
constexpr std::array<std::string_view, sizeof...(I)> names_of(std::index_sequence<I...>) {
  return {std::variant_alternative_t<I, Action>::kName...};
}
constexpr auto kNames = names_of(std::make_index_sequence<std::variant_size_v<Action>>());

}  // namespace

bool is_action_name(std::string_view name) {
  for (const std::string_view n : kNames) {
    if (n == name) return true;
  }
  return false;
}

std::string action_names() {
  std::string list;
  for (const std::string_view n : kNames) list += (list.empty() ? "" : ", ") + std::string(n);
  return list;
}

Result<Action> parse_action(std::string_view name, Reader& r, double at_s) { return parse_alternative(name, r, at_s); }

std::string_view to_string(const Action& action) {
  return std::visit([](const auto& a) { return std::decay_t<decltype(a)>::kName; }, action);
}

double within_of(const Action& action) {
  if (const auto* e = std::get_if<action::Expect>(&action)) return e->within_s.value_or(0.0);
  if (const auto* e = std::get_if<action::ExpectConverged>(&action)) return e->within_s.value_or(0.0);
  return 0.0;
}

}  // namespace swell::sim
