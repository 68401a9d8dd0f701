#include "scenario_runner.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

#include "config_fields.h"
#include "wire/envelope.h"
#include "world.h"

namespace swell::sim {
namespace {

using Kind = MembershipEvent::Kind;
constexpr std::array<Kind, 6> kKinds = {Kind::joined, Kind::updated, Kind::suspected,
                                        Kind::failed, Kind::left,    Kind::recovered};

Time to_time(double seconds) { return Time(static_cast<std::int64_t>(std::llround(seconds * 1e6))); }

std::string fmt_seconds(Time t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", to_seconds(t));
  return buf;
}

std::string state_name(const std::optional<MemberState>& s) { return s ? to_string(*s) : "unknown"; }

// One logged membership event, in world time.
struct LoggedEvent {
  Time at;
  std::uint32_t observer;
  std::uint32_t subject;
  Kind kind;
  std::uint64_t incarnation;
};

// A check still waiting for its condition (expect ... within).
struct PendingCheck {
  std::size_t step;                // index into scenario.steps
  std::size_t entry;               // index into the timeline
  Time deadline;
  std::vector<std::uint32_t> observers;  // selected and up
  std::vector<std::uint32_t> subjects;
  std::vector<std::int32_t> slot;  // member -> index in observers, or -1
  std::vector<bool> satisfied;     // per observer
  std::size_t unsatisfied = 0;
  bool done = false;
};

class ScenarioRun {
 public:
  ScenarioRun(const Scenario& sc, std::uint64_t seed)
      : sc_(sc), seed_(seed), world_(seed, sc.pair_keys), crash_incarnation_(sc.nodes), left_(sc.nodes, false) {}

  ScenarioReport run();

 private:
  std::vector<std::uint32_t> resolve(const Selector& s) const;
  void execute(std::size_t index);
  // Condition of expect / expect_converged for one observer; why (if set) gets the
  // first mismatch.
  bool holds_for(const Step& step, std::uint32_t observer, const std::vector<std::uint32_t>& subjects,
                 std::string* why) const;
  void refresh(PendingCheck& check);
  void on_input(std::uint32_t member);
  void verdict(std::size_t entry, bool ok, const std::string& detail, std::optional<Time> held_at);
  nlohmann::json& add_entry(const Step& step);
  void check_events(const Step& step);
  void forge(const Step& step);

  const Scenario& sc_;
  std::uint64_t seed_;
  World world_;
  std::vector<std::optional<std::uint64_t>> crash_incarnation_;  // own incarnation at last crash
  std::vector<bool> left_;
  std::vector<LoggedEvent> log_;
  std::array<std::uint64_t, kKinds.size()> kind_counts_{};
  std::uint64_t failed_about_up_ = 0;
  std::vector<PendingCheck> pending_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> highest_seq_;  // forge pairs only
  wire::EnvelopeView envelope_;
  nlohmann::json timeline_ = nlohmann::json::array();
  ScenarioReport report_;
  std::size_t passed_ = 0, failed_ = 0;
};

std::vector<std::uint32_t> ScenarioRun::resolve(const Selector& s) const {
  std::vector<std::uint32_t> out;
  switch (s.kind) {
    case Selector::Kind::list: return s.members;
    case Selector::Kind::all:
      for (std::uint32_t i = 0; i < world_.size(); ++i) out.push_back(i);
      return out;
    case Selector::Kind::all_up:
      for (std::uint32_t i = 0; i < world_.size(); ++i) {
        if (world_.is_up(i)) out.push_back(i);
      }
      return out;
  }
  return out;
}

nlohmann::json& ScenarioRun::add_entry(const Step& step) {
  nlohmann::json entry;
  entry["at_s"] = step.at_s;
  entry["line"] = step.line;
  entry["action"] = std::string(to_string(step.action));
  if (!step.note.empty()) entry["note"] = step.note;
  timeline_.push_back(std::move(entry));
  return timeline_.back();
}

void ScenarioRun::verdict(std::size_t entry, bool ok, const std::string& detail, std::optional<Time> held_at) {
  nlohmann::json& e = timeline_[entry];
  e["ok"] = ok;
  e["checked_at_s"] = to_seconds(world_.now());
  if (held_at) e["held_at_s"] = to_seconds(*held_at);
  if (!detail.empty()) e["detail"] = detail;
  if (ok) {
    ++passed_;
    return;
  }
  ++failed_;
  report_.ok = false;
  report_.failures.push_back(sc_.name + " line " + std::to_string(e["line"].get<std::uint32_t>()) + " (" +
                             e["action"].get<std::string>() + " at " + fmt_seconds(to_time(e["at_s"].get<double>())) +
                             "): " + detail);
}

bool ScenarioRun::holds_for(const Step& step, std::uint32_t observer, const std::vector<std::uint32_t>& subjects,
                            std::string* why) const {
  const Node& node = world_.node(observer);
  for (const std::uint32_t subject : subjects) {
    if (subject == observer) continue;  // a member's view of itself is not news
    const auto seen = node.member(world_.id(subject));
    const std::optional<MemberState> state = seen ? std::optional<MemberState>(seen->state) : std::nullopt;
    auto fail = [&](const std::string& what) {
      if (why != nullptr) {
        *why = "member " + std::to_string(observer) + " sees member " + std::to_string(subject) + " as " +
               state_name(state) + (seen ? " (incarnation " + std::to_string(seen->incarnation) + ")" : "") + "; " +
               what;
      }
      return false;
    };
    if (std::find(step.states.begin(), step.states.end(), state) == step.states.end()) {
      std::string wanted;
      for (const auto& s : step.states) wanted += (wanted.empty() ? "" : " or ") + state_name(s);
      return fail("expected " + wanted);
    }
    if (step.metadata) {
      const Bytes want(step.metadata->begin(), step.metadata->end());
      if (!seen || !seen->announcement || seen->announcement->info.metadata != want) {
        std::string have;
        if (seen && seen->announcement) have.assign(seen->announcement->info.metadata.begin(), seen->announcement->info.metadata.end());
        return fail("metadata \"" + have + "\", expected \"" + *step.metadata + "\"");
      }
    }
    if (step.min_incarnation && (!seen || seen->incarnation < *step.min_incarnation)) {
      return fail("expected incarnation >= " + std::to_string(*step.min_incarnation));
    }
    if (step.newer_than_crash) {
      if (!crash_incarnation_[subject]) return fail("but member " + std::to_string(subject) + " never crashed");
      if (!seen || seen->incarnation <= *crash_incarnation_[subject]) {
        return fail("expected an incarnation above " + std::to_string(*crash_incarnation_[subject]) +
                    " (its own at its last crash)");
      }
    }
  }
  return true;
}

void ScenarioRun::refresh(PendingCheck& check) {
  const Step& step = sc_.steps[check.step];
  check.observers.clear();
  for (const std::uint32_t i : resolve(step.observer)) {
    if (world_.is_up(i)) check.observers.push_back(i);
  }
  check.subjects = resolve(step.member);
  check.slot.assign(world_.size(), -1);
  check.satisfied.assign(check.observers.size(), false);
  check.unsatisfied = 0;
  for (std::size_t k = 0; k < check.observers.size(); ++k) {
    check.slot[check.observers[k]] = static_cast<std::int32_t>(k);
    check.satisfied[k] = holds_for(step, check.observers[k], check.subjects, nullptr);
    if (!check.satisfied[k]) ++check.unsatisfied;
  }
  if (!check.observers.empty() && check.unsatisfied == 0) {
    check.done = true;
    verdict(check.entry, true, "", world_.now());
  }
}

void ScenarioRun::on_input(std::uint32_t member) {
  // Only member's own view can have changed: re-check it alone, so waiting costs
  // O(subjects) per input, and the time a condition first held is exact.
  for (PendingCheck& check : pending_) {
    if (check.done || check.slot.empty()) continue;
    const std::int32_t k = check.slot[member];
    if (k < 0) continue;
    const bool now_ok = holds_for(sc_.steps[check.step], member, check.subjects, nullptr);
    if (now_ok == check.satisfied[static_cast<std::size_t>(k)]) continue;
    check.satisfied[static_cast<std::size_t>(k)] = now_ok;
    if (now_ok) {
      --check.unsatisfied;
    } else {
      ++check.unsatisfied;
    }
    if (check.unsatisfied == 0) {
      check.done = true;
      verdict(check.entry, true, "", world_.now());
    }
  }
}

void ScenarioRun::check_events(const Step& step) {
  std::vector<bool> observer(world_.size(), false), subject(world_.size(), false);
  for (const std::uint32_t i : resolve(step.observer)) observer[i] = true;
  for (const std::uint32_t i : resolve(step.member)) subject[i] = true;
  const Time since = to_time(step.since_s);
  std::uint64_t count = 0;
  std::string examples;
  for (const LoggedEvent& e : log_) {
    if (e.at < since || !observer[e.observer] || !subject[e.subject]) continue;
    if (std::find(step.kinds.begin(), step.kinds.end(), e.kind) == step.kinds.end()) continue;
    if (++count <= 5) {
      examples += (examples.empty() ? "" : "; ") + std::to_string(e.observer) + " saw " + std::to_string(e.subject) +
                  " " + to_string(e.kind) + " at " + fmt_seconds(e.at);
    }
  }
  const bool ok = (!step.min_count || count >= *step.min_count) && (!step.max_count || count <= *step.max_count);
  std::string detail = "counted " + std::to_string(count);
  if (step.min_count) detail += " (min " + std::to_string(*step.min_count) + ")";
  if (step.max_count) detail += " (max " + std::to_string(*step.max_count) + ")";
  if (!examples.empty()) detail += ": " + examples + (count > 5 ? "; ..." : "");
  timeline_.back()["count"] = count;
  verdict(timeline_.size() - 1, ok, detail, std::nullopt);
}

void ScenarioRun::forge(const Step& step) {
  const std::uint32_t subject = step.member.members.front(), target = step.to.members.front();
  const auto seq = highest_seq_[{step.attacker, target}] + 1;
  auto bytes = forge_alive_datagram(world_, step.attacker, subject, target, step.forgery, seq, step.incarnation_bump);
  if (!bytes.ok()) {
    verdict(timeline_.size() - 1, false, "could not forge: " + bytes.error().message, std::nullopt);
    return;
  }
  const NodeStats before = world_.node(target).stats();
  auto received = world_.inject(target, step.attacker, bytes.value());
  const NodeStats& after = world_.node(target).stats();
  const std::uint64_t rejected = after.claims_rejected - before.claims_rejected;
  const std::uint64_t bad_mac = after.dropped_bad_mac - before.dropped_bad_mac;
  nlohmann::json& e = timeline_.back();
  e["claims_rejected"] = rejected;
  e["dropped_bad_mac"] = bad_mac;
  e["receive"] = received.ok() ? std::string("ok") : std::string(to_string(received.error().code));
  // The step itself is a check: the target must refuse the lie one way or the other.
  const bool refused = rejected > 0 || bad_mac > 0;
  verdict(timeline_.size() - 1, refused,
          refused ? "" : "member " + std::to_string(target) + " accepted a forged alive claim for member " +
                             std::to_string(subject),
          std::nullopt);
}

void ScenarioRun::execute(std::size_t index) {
  const Step& step = sc_.steps[index];
  nlohmann::json& entry = add_entry(step);
  switch (step.action) {
    case Action::join_all: world_.join_all(step.seeds.front()); break;
    case Action::join:
      for (const std::uint32_t m : resolve(step.member)) world_.join(m, step.seeds);
      break;
    case Action::crash:
      for (const std::uint32_t m : resolve(step.member)) {
        if (!world_.is_up(m)) continue;
        crash_incarnation_[m] = world_.node(m).member(world_.id(m))->incarnation;
        world_.crash(m);
      }
      break;
    case Action::restart: {
      const auto members = resolve(step.member);
      std::vector<std::uint32_t> seeds = step.seeds;
      if (seeds.empty()) {
        for (std::uint32_t i = 0; i < world_.size() && seeds.empty(); ++i) {
          if (world_.is_up(i) && std::find(members.begin(), members.end(), i) == members.end()) seeds.push_back(i);
        }
      }
      for (const std::uint32_t m : members) {
        world_.restart(m, seeds);
        left_[m] = false;
      }
      entry["seeds"] = seeds;
      break;
    }
    case Action::leave:
      for (const std::uint32_t m : resolve(step.member)) {
        world_.leave(m);
        left_[m] = true;
      }
      break;
    case Action::set_info:
      for (const std::uint32_t m : resolve(step.member)) {
        if (!world_.is_up(m)) {
          verdict(timeline_.size() - 1, false, "member " + std::to_string(m) + " is crashed", std::nullopt);
          continue;
        }
        PeerInfo info = world_.node(m).member(world_.id(m))->announcement->info;
        if (step.info_metadata) info.metadata.assign(step.info_metadata->begin(), step.info_metadata->end());
        if (step.info_address) info.address = *step.info_address;
        if (step.info_id) info.id = *step.info_id;
        if (step.info_node_type) info.node_type = *step.info_node_type;
        if (step.info_is_load_balancer) info.is_load_balancer = *step.info_is_load_balancer;
        if (step.info_metrics_port) info.metrics_port = *step.info_metrics_port;
        info.last_updated_ms = 1764000000000ull + static_cast<std::uint64_t>(world_.now().count() / 1000);
        if (auto ok = world_.set_info(m, std::move(info)); !ok.ok()) {
          verdict(timeline_.size() - 1, false, "set_info refused: " + ok.error().message, std::nullopt);
        }
      }
      break;
    case Action::partition:
      for (std::size_t a = 0; a < step.sides.size(); ++a) {
        for (std::size_t b = a + 1; b < step.sides.size(); ++b) world_.partition(step.sides[a].members, step.sides[b].members);
      }
      break;
    case Action::partition_one_way: world_.partition_one_way(resolve(step.from), resolve(step.to)); break;
    case Action::heal: world_.heal(); break;
    case Action::loss: world_.network().set_loss(step.p); break;
    case Action::inbound_loss:
      for (const std::uint32_t m : resolve(step.member)) world_.network().set_inbound_loss(m, step.p);
      break;
    case Action::latency:
      if (!step.per_link) {
        world_.network().set_latency(step.latency);
        break;
      }
      for (const std::uint32_t a : resolve(step.from)) {
        for (const std::uint32_t b : resolve(step.to)) {
          if (a == b) continue;
          world_.network().set_link_latency(a, b, step.latency);
          if (step.both) world_.network().set_link_latency(b, a, step.latency);
        }
      }
      break;
    case Action::slow:
      for (const std::uint32_t m : resolve(step.member)) world_.set_processing_delay(m, step.delay);
      break;
    case Action::skew:
      for (const std::uint32_t m : resolve(step.member)) world_.set_clock_skew(m, step.skew);
      break;
    case Action::forge_alive: forge(step); break;
    case Action::expect:
    case Action::expect_converged: {
      if (!step.within_s) {
        // Judged at this instant, before any other event of the same time.
        std::string why;
        bool ok = false;
        for (const std::uint32_t i : resolve(step.observer)) {
          if (!world_.is_up(i)) continue;
          ok = true;
          if (!holds_for(step, i, resolve(step.member), &why)) {
            ok = false;
            break;
          }
        }
        if (!ok && why.empty()) why = "no selected observer is up";
        verdict(timeline_.size() - 1, ok, why, std::nullopt);
        break;
      }
      PendingCheck check;
      check.step = index;
      check.entry = timeline_.size() - 1;
      check.deadline = world_.now() + to_time(step.within_s.value_or(0.0));
      pending_.push_back(std::move(check));
      break;
    }
    case Action::expect_events: check_events(step); break;
    case Action::end: break;
  }
  // Crashes, restarts and new checks change who must see what: re-evaluate all waits.
  for (PendingCheck& check : pending_) {
    if (!check.done) refresh(check);
  }
  std::erase_if(pending_, [](const PendingCheck& c) { return c.done; });
}

ScenarioReport ScenarioRun::run() {
  world_.network().set_latency(sc_.latency);
  world_.network().set_loss(sc_.loss);
  world_.spawn(sc_.nodes, sc_.config);
  if (sc_.inbound_loss > 0) {
    for (std::uint32_t i = 0; i < world_.size(); ++i) world_.network().set_inbound_loss(i, sc_.inbound_loss);
  }
  nlohmann::json transcript = nlohmann::json::array();
  world_.observe([&](std::uint32_t observer, const MembershipEvent& e) {
    const auto subject = world_.index_of(e.member);
    if (!subject) return;
    log_.push_back(LoggedEvent{world_.now(), observer, *subject, e.kind, e.incarnation});
    ++kind_counts_[static_cast<std::size_t>(e.kind)];
    if (e.kind == Kind::failed && world_.is_up(*subject) && !left_[*subject]) ++failed_about_up_;
    if (sc_.transcript) {
      transcript.push_back({world_.now().count(), observer, to_string(e.kind), *subject, e.incarnation});
    }
  });
  world_.observe_inputs([this](std::uint32_t member) { on_input(member); });
  for (const Step& step : sc_.steps) {
    if (step.action == Action::forge_alive) highest_seq_[{step.attacker, step.to.members.front()}] = 0;
  }
  if (!highest_seq_.empty()) {
    world_.observe_datagrams([this](std::uint32_t to, std::uint32_t from, const Bytes& bytes) {
      auto it = highest_seq_.find({from, to});
      if (it == highest_seq_.end()) return;
      if (wire::decode_envelope(bytes, 65535, wire::DecodeLimits{}, envelope_).ok()) {
        it->second = std::max(it->second, envelope_.seq);
      }
    });
  }

  std::size_t next = 0;
  for (;;) {
    const Time step_at = next < sc_.steps.size() ? to_time(sc_.steps[next].at_s) : kNever;
    Time deadline = kNever;
    for (const PendingCheck& c : pending_) deadline = std::min(deadline, c.deadline);
    const Time t = std::min(step_at, deadline);
    if (t == kNever) break;
    world_.run_until(t);
    // Waits that expire now are judged before the steps of this instant run.
    for (PendingCheck& check : pending_) {
      if (check.done || check.deadline > t) continue;
      check.done = true;
      std::string why = check.observers.empty() ? "no selected observer is up" : "";
      for (std::size_t k = 0; k < check.observers.size() && why.empty(); ++k) {
        if (!check.satisfied[k]) (void)holds_for(sc_.steps[check.step], check.observers[k], check.subjects, &why);
      }
      const Step& step = sc_.steps[check.step];
      if (step.within_s) why += " (still, " + std::to_string(static_cast<long long>(*step.within_s)) + " s later)";
      verdict(check.entry, false, why, std::nullopt);
    }
    std::erase_if(pending_, [](const PendingCheck& c) { return c.done; });
    while (next < sc_.steps.size() && to_time(sc_.steps[next].at_s) <= t) execute(next++);
  }
  world_.run_until(to_time(sc_.duration_s));

  nlohmann::json& j = report_.json;
  j["scenario"] = sc_.name;
  j["seed"] = seed_;
  j["nodes"] = sc_.nodes;
  j["preset"] = sc_.preset;
  j["duration_s"] = sc_.duration_s;
  j["ok"] = report_.ok;
  j["checks_passed"] = passed_;
  j["checks_failed"] = failed_;
  j["timeline"] = std::move(timeline_);
  nlohmann::json kinds;
  for (const Kind k : kKinds) kinds[to_string(k)] = kind_counts_[static_cast<std::size_t>(k)];
  j["events"] = kinds;
  j["failed_about_up_members"] = failed_about_up_;
  std::uint64_t bytes = 0, packets = 0;
  for (std::uint32_t i = 0; i < world_.size(); ++i) bytes += world_.bytes_sent(i), packets += world_.packets_sent(i);
  j["bytes_sent"] = bytes;
  j["packets_sent"] = packets;
  const double node_seconds = static_cast<double>(sc_.nodes) * std::max(sc_.duration_s, 1e-9);
  j["bytes_per_node_per_s"] = static_cast<double>(bytes) / node_seconds;
  j["packets_per_node_per_s"] = static_cast<double>(packets) / node_seconds;
  NodeStats sum;
  for (std::uint32_t i = 0; i < world_.size(); ++i) {
    if (!world_.is_up(i)) continue;
    const NodeStats& s = world_.node(i).stats();
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
  }
  j["node_stats_of_up_members"] = {{"probes", sum.probes},
                                   {"indirect_probes", sum.indirect_probes},
                                   {"refutations", sum.refutations},
                                   {"claims_rejected", sum.claims_rejected},
                                   {"datagrams_dropped", sum.datagrams_dropped},
                                   {"dropped_bad_mac", sum.dropped_bad_mac},
                                   {"dropped_malformed", sum.dropped_malformed},
                                   {"dropped_unknown_sender", sum.dropped_unknown_sender},
                                   {"dropped_replayed", sum.dropped_replayed},
                                   {"queue_drops", sum.queue_drops}};
  j["sim_events"] = world_.events_processed();
  char digest[17];
  std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(world_.digest()));
  j["digest"] = digest;
  nlohmann::json config;
  for (const ConfigField& f : config_fields()) config[std::string(f.name)] = f.get(sc_.config);
  j["config"] = config;
  if (sc_.transcript) j["transcript"] = std::move(transcript);
  return std::move(report_);
}

}  // namespace

ScenarioReport run_scenario(const Scenario& scenario, std::optional<std::uint64_t> seed) {
  ScenarioRun run(scenario, seed.value_or(scenario.seed));
  return run.run();
}

Result<ScenarioReport> run_scenario(const toml::table& table, std::optional<std::uint64_t> seed) {
  auto scenario = parse_scenario(table);
  if (!scenario.ok()) return scenario.error();
  return run_scenario(scenario.value(), seed);
}

}  // namespace swell::sim
