#include "scenario_runner.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

#include "cluster_ca.h"
#include "config_fields.h"
#include "report_fields.h"
#include "wire/envelope.h"
#include "world.h"

namespace swell::sim {
namespace {

using Kind = MembershipEvent::Kind;
constexpr std::array<Kind, 8> kKinds = {Kind::joined, Kind::updated,   Kind::suspected,     Kind::failed,
                                        Kind::left,   Kind::recovered, Kind::name_conflict, Kind::rotated};

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
  const action::ViewCheck* check;  // the step's condition (scenario steps outlive the run)
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
      : sc_(sc),
        seed_(seed),
        world_(seed, sc.pair_keys),
        ca_(sc.admission.ca_seed),
        crash_incarnation_(sc.nodes),
        left_(sc.nodes, false) {}

  ScenarioReport run();

 private:
  std::vector<std::uint32_t> resolve(const Selector& s) const;
  void set_up();
  /// Member i's settings under [admission]: listed or certified unless an outsider.
  [[nodiscard]] Config admitted_config(std::uint32_t i) const;
  /// When [admission]'s certificates run out (virtual time).
  [[nodiscard]] Time certificates_expire() const;
  void apply(const action::Revoke& a);
  void apply(const action::RotateKey& a);
  void watch_forged_pairs();
  void play();
  void expire_checks(Time t);
  nlohmann::json report_json();
  void execute(const Step& step);
  // Condition of expect / expect_converged for one observer; why (if set) gets the
  // first mismatch.
  bool holds_for(const action::ViewCheck& check, std::uint32_t observer, const std::vector<std::uint32_t>& subjects,
                 std::string* why) const;
  // In observer's view (node), the owner of subject's name is member owner's key.
  bool owns_name(const Node& node, std::uint32_t subject, std::uint32_t owner, std::uint32_t observer,
                 std::string* why) const;
  void refresh(PendingCheck& check);
  void on_input(std::uint32_t member);
  void verdict(std::size_t entry, bool ok, const std::string& detail, std::optional<Time> held_at);
  void fail_last(const std::string& detail) { verdict(timeline_.size() - 1, false, detail, std::nullopt); }
  nlohmann::json& add_entry(const Step& step);
  void check_view(const action::ViewCheck& check);

  // One apply() per action: what the step does to the World.
  void apply(const action::JoinAll& a) { world_.join_all(a.seed_member); }
  void apply(const action::Join& a);
  void apply(const action::Crash& a);
  void apply(const action::Restart& a);
  void apply(const action::Recreate& a) { world_.recreate(a.member, a.seeds, a.as); }
  void apply(const action::Leave& a);
  void apply(const action::SetInfo& a);
  void apply(const action::Partition& a);
  void apply(const action::PartitionOneWay& a) { world_.partition_one_way(resolve(a.from), resolve(a.to)); }
  void apply(const action::Heal&) { world_.heal(); }
  void apply(const action::Loss& a) { world_.network().set_loss(a.p); }
  void apply(const action::InboundLoss& a);
  void apply(const action::OutboundLoss& a);
  void apply(const action::Latency& a);
  void apply(const action::Slow& a);
  void apply(const action::SlowInput& a);
  void apply(const action::Pause& a);
  void apply(const action::Skew& a);
  void apply(const action::ForgeAlive& a);
  void apply(const action::Byzantine& a);
  // Byzantine members due at t act.
  void act_liars(Time t);
  void apply(const action::Expect& a) { check_view(a); }
  void apply(const action::ExpectConverged& a) { check_view(a); }
  void apply(const action::ExpectEvents& a);
  void apply(const action::End&) {}

  const Scenario& sc_;
  std::uint64_t seed_;
  World world_;
  ClusterCa ca_;                  // [admission]'s CA: certificates, revocations
  std::vector<NodeId> allowed_;   // [admission] allowlist: the keys every member lists
  std::vector<std::optional<std::uint64_t>> crash_incarnation_;  // own incarnation at last crash
  std::vector<bool> left_;
  std::vector<LoggedEvent> log_;
  std::array<std::uint64_t, kKinds.size()> kind_counts_{};
  std::uint64_t failed_about_up_ = 0;
  std::vector<PendingCheck> pending_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> highest_seq_;  // forge pairs only
  // A byzantine step's members, each with its next act and the time it stops.
  struct Liar {
    ByzantineMember member;
    Duration every;
    Time next;
    Time until;
  };
  std::vector<Liar> liars_;
  ByzantineRound lies_;  // what every act sent, summed
  wire::EnvelopeView envelope_;
  nlohmann::json timeline_ = nlohmann::json::array();
  nlohmann::json transcript_ = nlohmann::json::array();
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

bool ScenarioRun::holds_for(const action::ViewCheck& check, std::uint32_t observer,
                            const std::vector<std::uint32_t>& subjects, std::string* why) const {
  const Node& node = world_.node(observer);
  for (const std::uint32_t subject : subjects) {
    if (check.name_owner && !owns_name(node, subject, *check.name_owner, observer, why)) return false;
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
    if (std::find(check.states.begin(), check.states.end(), state) == check.states.end()) {
      std::string wanted;
      for (const auto& s : check.states) wanted += (wanted.empty() ? "" : " or ") + state_name(s);
      return fail("expected " + wanted);
    }
    if (check.metadata) {
      const Bytes want(check.metadata->begin(), check.metadata->end());
      if (!seen || !seen->announcement || seen->announcement->info.metadata != want) {
        std::string have;
        if (seen && seen->announcement) have.assign(seen->announcement->info.metadata.begin(), seen->announcement->info.metadata.end());
        return fail("metadata \"" + have + "\", expected \"" + *check.metadata + "\"");
      }
    }
    if (check.min_incarnation && (!seen || seen->incarnation < *check.min_incarnation)) {
      return fail("expected incarnation >= " + std::to_string(*check.min_incarnation));
    }
    if (check.newer_than_crash) {
      if (!crash_incarnation_[subject]) return fail("but member " + std::to_string(subject) + " never crashed");
      if (!seen || seen->incarnation <= *crash_incarnation_[subject]) {
        return fail("expected an incarnation above " + std::to_string(*crash_incarnation_[subject]) +
                    " (its own at its last crash)");
      }
    }
  }
  return true;
}

bool ScenarioRun::owns_name(const Node& node, std::uint32_t subject, std::uint32_t owner, std::uint32_t observer,
                            std::string* why) const {
  const auto seen = node.member(world_.id(subject));
  std::optional<NodeId> holder;
  if (seen && seen->announcement) {
    // The key a query by name gets: the live member announcing it that did not lose it.
    for (const MemberSnapshot& m : node.members()) {
      const bool live = m.state == MemberState::alive || m.state == MemberState::suspect;
      if (live && !m.name_lost_to && m.announcement->info.id == seen->announcement->info.id) holder = m.id;
    }
  }
  if (holder == world_.id(owner)) return true;
  if (why != nullptr) {
    const auto index = holder ? world_.index_of(*holder) : std::nullopt;
    *why = "member " + std::to_string(observer) + " resolves member " + std::to_string(subject) + "'s name to " +
           (index ? "member " + std::to_string(*index) : std::string("nobody")) + "; expected member " +
           std::to_string(owner);
  }
  return false;
}

void ScenarioRun::refresh(PendingCheck& check) {
  const action::ViewCheck& view = *check.check;
  check.observers.clear();
  for (const std::uint32_t i : resolve(view.observer)) {
    if (world_.is_up(i)) check.observers.push_back(i);
  }
  check.subjects = resolve(view.member);
  check.slot.assign(world_.size(), -1);
  check.satisfied.assign(check.observers.size(), false);
  check.unsatisfied = 0;
  for (std::size_t k = 0; k < check.observers.size(); ++k) {
    check.slot[check.observers[k]] = static_cast<std::int32_t>(k);
    check.satisfied[k] = holds_for(view, check.observers[k], check.subjects, nullptr);
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
    const bool now_ok = holds_for(*check.check, member, check.subjects, nullptr);
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

void ScenarioRun::apply(const action::ExpectEvents& step) {
  std::vector<bool> observer(world_.size(), false), subject(world_.size(), false);
  const std::vector<std::uint32_t> observers = resolve(step.observer);
  for (const std::uint32_t i : observers) observer[i] = true;
  for (const std::uint32_t i : resolve(step.member)) subject[i] = true;
  const Time since = to_time(step.since_s);
  std::uint64_t count = 0;
  std::vector<std::uint64_t> per_observer(world_.size(), 0);
  std::string examples;
  for (const LoggedEvent& e : log_) {
    if (e.at < since || !observer[e.observer] || !subject[e.subject]) continue;
    if (std::find(step.kinds.begin(), step.kinds.end(), e.kind) == step.kinds.end()) continue;
    ++per_observer[e.observer];
    if (++count <= 5) {
      examples += (examples.empty() ? "" : "; ") + std::to_string(e.observer) + " saw " + std::to_string(e.subject) +
                  " " + to_string(e.kind) + " at " + fmt_seconds(e.at);
    }
  }
  auto within = [&](std::uint64_t c) {
    return (!step.min_count || c >= *step.min_count) && (!step.max_count || c <= *step.max_count);
  };
  bool ok = within(count);
  std::string detail = "counted " + std::to_string(count);
  if (step.per_observer) {
    // Each observer's own count must lie in the bounds; name the first that does not.
    ok = true;
    std::uint64_t most = 0;
    for (const std::uint32_t i : observers) {
      most = std::max(most, per_observer[i]);
      if (ok && !within(per_observer[i])) {
        ok = false;
        detail = "observer " + std::to_string(i) + " counted " + std::to_string(per_observer[i]) + ", " + detail;
      }
    }
    timeline_.back()["per_observer_max"] = most;
    detail += " over " + std::to_string(observers.size()) + " observers, at most " + std::to_string(most) + " each";
  }
  if (step.min_count) detail += " (min " + std::to_string(*step.min_count) + ")";
  if (step.max_count) detail += " (max " + std::to_string(*step.max_count) + ")";
  if (!examples.empty()) detail += ": " + examples + (count > 5 ? "; ..." : "");
  timeline_.back()["count"] = count;
  verdict(timeline_.size() - 1, ok, detail, std::nullopt);
}

void ScenarioRun::apply(const action::ForgeAlive& step) {
  const std::uint32_t subject = step.member, target = step.to;
  const auto seq = highest_seq_[{step.attacker, target}] + 1;
  auto bytes = forge_alive_datagram(world_, step.attacker, subject, target, step.forgery, seq, step.incarnation_bump);
  if (!bytes.ok()) {
    fail_last("could not forge: " + bytes.error().message);
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

void ScenarioRun::apply(const action::Byzantine& step) {
  const Time until = to_time(step.until_s.value_or(sc_.duration_s));
  for (const std::uint32_t m : resolve(step.member)) {
    // Each liar's randomness derives from the run's seed and its index alone.
    const std::uint64_t seed = seed_ ^ (0x9E3779B97F4A7C15ULL * (static_cast<std::uint64_t>(m) + 1));
    liars_.push_back(Liar{ByzantineMember(m, step.does, sc_.config.cluster_label, seed), step.every, world_.now(), until});
  }
}

void ScenarioRun::act_liars(Time t) {
  for (Liar& liar : liars_) {
    while (liar.next <= t && liar.next <= liar.until) {
      lies_ += liar.member.act(world_);
      liar.next += liar.every;
    }
  }
}

void ScenarioRun::apply(const action::Join& a) {
  for (const std::uint32_t m : resolve(a.member)) world_.join(m, a.seeds);
}

Time ScenarioRun::certificates_expire() const {
  const double s = sc_.admission.certificates_expire_s;
  return s > 0 ? Time(static_cast<std::int64_t>(s * 1e6)) : Time(std::chrono::hours(24 * 3650));
}

Config ScenarioRun::admitted_config(std::uint32_t i) const {
  Config config = sc_.config;
  const auto& out = sc_.admission.outsiders;
  const bool outsider = std::find(out.begin(), out.end(), i) != out.end();
  config.admission.trusted_cas = {ca_.id()};
  switch (sc_.admission.mode) {
    case AdmissionMode::open: config.admission.mode = AdmissionMode::open; break;
    case AdmissionMode::allowlist:
      config.admission.mode = AdmissionMode::allowlist;
      config.admission.allowed = allowed_;
      // An outsider lists itself, so only the others' lists keep it out.
      if (outsider) config.admission.allowed.push_back(world_.future_id(i));
      break;
    case AdmissionMode::ca: {
      // An outsider holds a certificate of a CA no one else trusts.
      const ClusterCa rogue(sc_.admission.ca_seed + 1000);
      config = (outsider ? rogue : ca_).admit(world_, i, config, certificates_expire());
      break;
    }
  }
  return config;
}

void ScenarioRun::apply(const action::Revoke& a) {
  if (!sc_.admission.present) {
    fail_last("revoke needs an [admission] table (its CA signs the revocation)");
    return;
  }
  for (const std::uint32_t m : resolve(a.member)) {
    auto applied = world_.apply_revocation(a.via, ca_.revocation(world_.id(m), sc_.config.cluster_label));
    if (!applied.ok()) fail_last("revoking member " + std::to_string(m) + ": " + applied.error().message);
  }
}

void ScenarioRun::apply(const action::RotateKey& a) {
  for (const std::uint32_t m : resolve(a.member)) {
    if (!world_.is_up(m)) {
      fail_last("member " + std::to_string(m) + " is crashed");
      continue;
    }
    const NodeId next = world_.next_key(m);
    Bytes certificate;
    if (sc_.admission.mode == AdmissionMode::allowlist) {
      // The operator's step before a rotation: the new key on every member's list.
      allowed_.push_back(next);
      for (std::uint32_t k = 0; k < world_.size(); ++k) world_.set_allowlist(k, allowed_);
    } else if (sc_.admission.mode == AdmissionMode::ca) {
      certificate = ca_.certificate(next, certificates_expire(), std::nullopt, sc_.config.cluster_label);
    }
    auto rotated = world_.rotate_key(m, std::move(certificate));
    if (!rotated.ok()) fail_last("member " + std::to_string(m) + "'s key rotation: " + rotated.error().message);
  }
}

void ScenarioRun::apply(const action::Crash& a) {
  for (const std::uint32_t m : resolve(a.member)) {
    if (!world_.is_up(m)) continue;
    crash_incarnation_[m] = world_.node(m).member(world_.id(m))->incarnation;
    world_.crash(m);
  }
}

void ScenarioRun::apply(const action::Restart& a) {
  const auto members = resolve(a.member);
  std::vector<std::uint32_t> seeds = a.seeds;
  if (seeds.empty()) {
    for (std::uint32_t i = 0; i < world_.size() && seeds.empty(); ++i) {
      if (world_.is_up(i) && std::find(members.begin(), members.end(), i) == members.end()) seeds.push_back(i);
    }
  }
  for (const std::uint32_t m : members) {
    world_.restart(m, seeds);
    left_[m] = false;
  }
  timeline_.back()["seeds"] = seeds;
}

void ScenarioRun::apply(const action::Leave& a) {
  for (const std::uint32_t m : resolve(a.member)) {
    world_.leave(m);
    left_[m] = true;
  }
}

void ScenarioRun::apply(const action::SetInfo& a) {
  for (const std::uint32_t m : resolve(a.member)) {
    if (!world_.is_up(m)) {
      fail_last("member " + std::to_string(m) + " is crashed");
      continue;
    }
    PeerInfo info = world_.node(m).member(world_.id(m))->announcement->info;
    if (a.metadata) info.metadata.assign(a.metadata->begin(), a.metadata->end());
    if (a.address) info.address = *a.address;
    if (a.id) info.id = *a.id;
    if (a.node_type) info.node_type = *a.node_type;
    if (a.is_load_balancer) info.is_load_balancer = *a.is_load_balancer;
    if (a.metrics_port) info.metrics_port = *a.metrics_port;
    info.last_updated_ms = World::wall_clock_ms(world_.now());
    if (auto ok = world_.set_info(m, std::move(info)); !ok.ok()) fail_last("set_info refused: " + ok.error().message);
  }
}

void ScenarioRun::apply(const action::Partition& a) {
  for (std::size_t i = 0; i < a.sides.size(); ++i) {
    for (std::size_t j = i + 1; j < a.sides.size(); ++j) world_.partition(a.sides[i].members, a.sides[j].members);
  }
}

void ScenarioRun::apply(const action::InboundLoss& a) {
  for (const std::uint32_t m : resolve(a.member)) world_.network().set_inbound_loss(m, a.p);
}

void ScenarioRun::apply(const action::OutboundLoss& a) {
  for (const std::uint32_t m : resolve(a.member)) world_.network().set_outbound_loss(m, a.p);
}

void ScenarioRun::apply(const action::Pause& a) {
  for (const std::uint32_t m : resolve(a.member)) world_.pause(m, a.duration);
}

void ScenarioRun::apply(const action::Latency& a) {
  if (!a.per_link) {
    world_.network().set_latency(a.latency);
    return;
  }
  for (const std::uint32_t from : resolve(a.from)) {
    for (const std::uint32_t to : resolve(a.to)) {
      if (from == to) continue;
      world_.network().set_link_latency(from, to, a.latency);
      if (a.both) world_.network().set_link_latency(to, from, a.latency);
    }
  }
}

void ScenarioRun::apply(const action::Slow& a) {
  for (const std::uint32_t m : resolve(a.member)) world_.set_processing_delay(m, a.delay);
}

void ScenarioRun::apply(const action::SlowInput& a) {
  const Time until = a.until_s ? to_time(*a.until_s) : kNever;
  for (const std::uint32_t m : resolve(a.member)) world_.set_input_delay(m, a.delay, until);
}

void ScenarioRun::apply(const action::Skew& a) {
  for (const std::uint32_t m : resolve(a.member)) world_.set_clock_skew(m, a.skew);
}

void ScenarioRun::check_view(const action::ViewCheck& check) {
  if (!check.within_s) {
    // Judged at this instant, before any other event of the same time.
    std::string why;
    bool ok = false;
    for (const std::uint32_t i : resolve(check.observer)) {
      if (!world_.is_up(i)) continue;
      ok = true;
      if (!holds_for(check, i, resolve(check.member), &why)) {
        ok = false;
        break;
      }
    }
    if (!ok && why.empty()) why = "no selected observer is up";
    verdict(timeline_.size() - 1, ok, why, std::nullopt);
    return;
  }
  PendingCheck pending;
  pending.check = &check;
  pending.entry = timeline_.size() - 1;
  pending.deadline = world_.now() + to_time(*check.within_s);
  pending_.push_back(std::move(pending));
}

void ScenarioRun::execute(const Step& step) {
  add_entry(step);
  std::visit([this](const auto& a) { apply(a); }, step.action);
  // Crashes, restarts and new checks change who must see what: re-evaluate all waits.
  for (PendingCheck& check : pending_) {
    if (!check.done) refresh(check);
  }
  std::erase_if(pending_, [](const PendingCheck& c) { return c.done; });
}

void ScenarioRun::set_up() {
  world_.network().set_latency(sc_.latency);
  world_.network().set_loss(sc_.loss);
  world_.network().apply(sc_.network);
  if (sc_.admission.present) {
    for (std::uint32_t k = 0; k < sc_.nodes; ++k) {
      const auto& out = sc_.admission.outsiders;
      if (std::find(out.begin(), out.end(), k) == out.end()) allowed_.push_back(world_.future_id(k));
    }
    for (std::uint32_t k = 0; k < sc_.nodes; ++k) world_.spawn(1, admitted_config(k));
  } else {
    world_.spawn(sc_.nodes, sc_.config);
  }
  if (sc_.inbound_loss > 0) {
    for (std::uint32_t i = 0; i < world_.size(); ++i) world_.network().set_inbound_loss(i, sc_.inbound_loss);
  }
  world_.observe([this](std::uint32_t observer, const MembershipEvent& e) {
    const auto subject = world_.index_of(e.member);
    if (!subject) return;
    log_.push_back(LoggedEvent{world_.now(), observer, *subject, e.kind, e.incarnation});
    ++kind_counts_[static_cast<std::size_t>(e.kind)];
    if (e.kind == Kind::failed && world_.is_up(*subject) && !left_[*subject]) ++failed_about_up_;
    if (sc_.transcript) {
      transcript_.push_back({world_.now().count(), observer, to_string(e.kind), *subject, e.incarnation});
    }
  });
  world_.observe_inputs([this](std::uint32_t member) { on_input(member); });
  watch_forged_pairs();
}

// A forged datagram must carry a sequence number the target has not seen from the
// attacker yet, or it would be dropped as a replay before its claim is judged: track
// the highest one per (attacker, target) pair that a forge_alive step names.
void ScenarioRun::watch_forged_pairs() {
  bool liars = false;
  for (const Step& step : sc_.steps) {
    if (const auto* f = std::get_if<action::ForgeAlive>(&step.action)) highest_seq_[{f->attacker, f->to}] = 0;
    liars |= std::holds_alternative<action::Byzantine>(step.action);
  }
  if (highest_seq_.empty() && !liars) return;
  world_.observe_datagrams([this](std::uint32_t to, std::uint32_t from, const Bytes& bytes) {
    for (Liar& liar : liars_) liar.member.saw(to, from, bytes);
    auto it = highest_seq_.find({from, to});
    if (it == highest_seq_.end()) return;
    if (wire::decode_envelope(bytes, 65535, wire::DecodeLimits{}, envelope_).ok()) {
      it->second = std::max(it->second, envelope_.seq);
    }
  });
}

// Waits that expire at t are judged before the steps of this instant run.
void ScenarioRun::expire_checks(Time t) {
  for (PendingCheck& check : pending_) {
    if (check.done || check.deadline > t) continue;
    check.done = true;
    std::string why = check.observers.empty() ? "no selected observer is up" : "";
    for (std::size_t k = 0; k < check.observers.size() && why.empty(); ++k) {
      if (!check.satisfied[k]) (void)holds_for(*check.check, check.observers[k], check.subjects, &why);
    }
    if (check.check->within_s) {
      why += " (still, " + std::to_string(static_cast<long long>(*check.check->within_s)) + " s later)";
    }
    verdict(check.entry, false, why, std::nullopt);
  }
  std::erase_if(pending_, [](const PendingCheck& c) { return c.done; });
}

void ScenarioRun::play() {
  std::size_t next = 0;
  for (;;) {
    const Time step_at = next < sc_.steps.size() ? to_time(sc_.steps[next].at_s) : kNever;
    Time deadline = kNever;
    for (const PendingCheck& c : pending_) deadline = std::min(deadline, c.deadline);
    for (const Liar& liar : liars_) {
      if (liar.next <= liar.until) deadline = std::min(deadline, liar.next);
    }
    const Time t = std::min(step_at, deadline);
    if (t == kNever) break;
    world_.run_until(t);
    expire_checks(t);
    act_liars(t);
    while (next < sc_.steps.size() && to_time(sc_.steps[next].at_s) <= t) execute(sc_.steps[next++]);
  }
  world_.run_until(to_time(sc_.duration_s));
}

nlohmann::json ScenarioRun::report_json() {
  nlohmann::json j;
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
  if (!liars_.empty()) {
    nlohmann::json members = nlohmann::json::array();
    for (const Liar& liar : liars_) members.push_back(liar.member.member());
    j["byzantine"] = {{"members", members},          {"datagrams", lies_.datagrams},
                      {"streams", lies_.streams},    {"claims", lies_.claims},
                      {"receive_errors", lies_.receive_errors}, {"stream_errors", lies_.stream_errors}};
  }
  const Traffic sent = traffic(world_);
  j["bytes_sent"] = sent.bytes;
  j["packets_sent"] = sent.packets;
  const double node_seconds = static_cast<double>(sc_.nodes) * std::max(sc_.duration_s, 1e-9);
  j["bytes_per_node_per_s"] = static_cast<double>(sent.bytes) / node_seconds;
  j["packets_per_node_per_s"] = static_cast<double>(sent.packets) / node_seconds;
  j["node_stats_of_up_members"] = node_stats_of_up_members(world_);
  j["sim_events"] = world_.events_processed();
  j["digest"] = digest_hex(world_.digest());
  nlohmann::json config;
  for (const ConfigField& f : config_fields()) config[std::string(f.name)] = f.get(sc_.config);
  j["config"] = config;
  if (sc_.transcript) j["transcript"] = std::move(transcript_);
  return j;
}

ScenarioReport ScenarioRun::run() {
  set_up();
  play();
  report_.json = report_json();
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
