#include "default_run.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "report_fields.h"
#include "world.h"

namespace swell::sim {
namespace {

Duration seconds(double s) { return Duration(static_cast<std::int64_t>(s * 1e6)); }

// Datagrams sent by every member so far: the anchor's packet count (its WriteTo calls;
// stream writes add bytes but no packets).
std::uint64_t datagrams(const World& world) {
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < world.size(); ++i) total += world.datagrams_sent(i);
  return total;
}

// The anchor's percentile: the element at index floor(p * (k - 1)) of the k sorted times.
double percentile(const std::vector<double>& sorted, double p) {
  return sorted[static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1))];
}

// The run's phases, in order; the observers count what the current phase measures.
enum class Phase { join, steady, detect, disseminate, done };

// One default run: each phase is a method, and what passes between phases is state
// of this object, read once by report().
class DefaultRun {
 public:
  explicit DefaultRun(const DefaultRunOptions& o)
      : o_(o), world_(o.seed, o.pair_keys), n_(static_cast<std::uint32_t>(o.nodes)), victim_(n_ - 1),
        sees_all_(n_, false), detected_(n_, false), saw_update_(n_, false), busy_(n_, false) {}

  nlohmann::json run();

 private:
  void observe();
  void on_event(std::uint32_t observer, const MembershipEvent& e);
  void on_input(std::uint32_t i);
  void mark_settled();
  void join();
  void steady();
  void detect();
  void disseminate();
  nlohmann::json report() const;
  void settled_fields(nlohmann::json& report) const;

  const DefaultRunOptions& o_;
  World world_;
  const std::uint32_t n_;
  const std::uint32_t victim_;
  Phase phase_ = Phase::join;
  // join: who sees all n members alive right now (only i's own input changes i's view).
  std::vector<bool> sees_all_;
  std::uint32_t seeing_all_ = 0;
  bool joined_ = false;
  Time joined_at_{0};
  Traffic steady_begin_, steady_end_;
  std::uint64_t datagrams_begin_ = 0, datagrams_end_ = 0;
  std::int64_t cpu_ns_ = 0;
  // The settled part of the window: from the first moment no member has updates
  // queued for gossip (the join has had its full retransmit share) to its end.
  std::optional<Time> settled_at_;
  Traffic settled_begin_;
  std::uint64_t settled_datagrams_begin_ = 0;
  std::uint64_t false_dead_ = 0;
  std::vector<double> detections_;
  std::vector<bool> detected_;
  Time crash_at_{0};
  std::size_t update_seen_ = 0;
  std::vector<bool> saw_update_;
  // steady: who still has updates queued for gossip, until the settled moment.
  std::vector<bool> busy_;
  std::uint32_t busy_count_ = 0;
  bool disseminated_ = false;
  Time update_at_{0}, disseminated_at_{0};
};

void DefaultRun::on_event(std::uint32_t observer, const MembershipEvent& e) {
  // Every member reports every join (10^8 events at 10,000 members): leave those
  // before any lookup.
  // The anchor counts memberlist's NotifyLeave, which fires for dead and for left.
  const bool verdict = e.kind == MembershipEvent::Kind::failed || e.kind == MembershipEvent::Kind::left;
  if (!verdict && !(phase_ == Phase::disseminate && e.kind == MembershipEvent::Kind::updated)) return;
  const auto subject = world_.index_of(e.member);
  if (!subject) return;
  // Nobody has crashed yet. The anchor's NotifyLeave log fills from the start and is
  // read (and cleared) at the window's end: the join counts too.
  if (verdict && (phase_ == Phase::join || phase_ == Phase::steady)) ++false_dead_;
  if (verdict && phase_ == Phase::detect && *subject == victim_ && !detected_[observer]) {
    detected_[observer] = true;
    detections_.push_back(to_seconds(world_.now() - crash_at_));
    if (detections_.size() >= n_ - 1) world_.stop();
  }
  if (phase_ == Phase::disseminate && *subject == 0 && e.kind == MembershipEvent::Kind::updated &&
      !saw_update_[observer]) {
    saw_update_[observer] = true;
    if (++update_seen_ >= n_ - 2) world_.stop();  // every live member but the author
  }
}

void DefaultRun::on_input(std::uint32_t i) {
  if (phase_ == Phase::join) {
    // memberlist's NumMembers, the anchor's test: every member known and neither
    // dead nor left (a suspect still counts).
    const Node& node = world_.node(i);
    const bool now_sees = node.count(MemberState::alive) + node.count(MemberState::suspect) == n_;
    if (now_sees == sees_all_[i]) return;
    sees_all_[i] = now_sees;
    seeing_all_ = now_sees ? seeing_all_ + 1 : seeing_all_ - 1;
    if (seeing_all_ == n_) world_.stop();
  } else if (phase_ == Phase::steady && !settled_at_) {
    const bool now_busy = world_.node(i).pending_updates() > 0;
    if (now_busy == busy_[i]) return;
    busy_[i] = now_busy;
    busy_count_ = now_busy ? busy_count_ + 1 : busy_count_ - 1;
    if (busy_count_ == 0) mark_settled();
  }
}

void DefaultRun::observe() {
  world_.observe([this](std::uint32_t observer, const MembershipEvent& e) { on_event(observer, e); });
  world_.observe_inputs([this](std::uint32_t i) { on_input(i); });
}

void DefaultRun::join() {
  world_.join(0, {});
  const Duration join_step(static_cast<std::int64_t>(o_.join_interval_ms * 1000));
  for (std::uint32_t i = 1; i < n_; ++i) {
    world_.run_until(Time(join_step * i));
    world_.join(i, {0});
  }
  world_.run_until(seconds(o_.join_limit_s));
  joined_ = seeing_all_ == n_;
  joined_at_ = world_.now();
}

// The anchor's window: it opens at join convergence and lasts steady_s, join tail
// included. Traffic, CPU and false verdicts are counted over it; the settled part
// (from the moment every dissemination queue is empty) is a second, extra figure.
void DefaultRun::steady() {
  phase_ = Phase::steady;
  for (std::uint32_t i = 0; i < n_; ++i) {
    busy_[i] = world_.node(i).pending_updates() > 0;
    if (busy_[i]) ++busy_count_;
  }
  steady_begin_ = traffic(world_);
  datagrams_begin_ = datagrams(world_);
  if (busy_count_ == 0) mark_settled();
  const std::int64_t cpu_before = world_.cpu_ns();
  // CPU time depends on the machine, like wall_s: measured only when asked, and only
  // when every member verifies its own signatures (a shared cache would make it too
  // low). The clock read is a system call: it would slow shared-cache giants by half.
  world_.set_cpu_accounting(o_.wall_time && world_.private_caches());
  world_.run_for(seconds(o_.steady_s));
  world_.set_cpu_accounting(false);
  cpu_ns_ = world_.cpu_ns() - cpu_before;
  steady_end_ = traffic(world_);
  datagrams_end_ = datagrams(world_);
}

void DefaultRun::mark_settled() {
  settled_at_ = world_.now();
  settled_begin_ = traffic(world_);
  settled_datagrams_begin_ = datagrams(world_);
}

// Crash the last member without a word; everyone else should declare it failed.
void DefaultRun::detect() {
  phase_ = Phase::detect;
  world_.crash(victim_);
  crash_at_ = world_.now();
  world_.run_until(crash_at_ + seconds(o_.detect_limit_s));
}

// A PeerInfo update by member 0, until every live member has it.
void DefaultRun::disseminate() {
  phase_ = Phase::disseminate;
  update_at_ = world_.now();
  PeerInfo info = world_.node(0).member(world_.id(0))->announcement->info;
  info.metadata = {'u', 'p', 'd', 'a', 't', 'e', 'd'};
  info.last_updated_ms += 1;
  (void)world_.set_info(0, info);
  if (n_ > 2) world_.run_until(update_at_ + seconds(o_.dissemination_limit_s));
  disseminated_ = update_seen_ >= n_ - 2;
  disseminated_at_ = world_.now();
  phase_ = Phase::done;
}

// The extra, settled-window figures: null when the queues never emptied in the window.
void DefaultRun::settled_fields(nlohmann::json& report) const {
  const Time end = joined_at_ + seconds(o_.steady_s);
  if (!settled_at_ || *settled_at_ >= end) {
    report["settled_start_s"] = report["settled_window_s"] = nullptr;
    report["settled_bytes_per_node_per_s"] = report["settled_packets_per_node_per_s"] = nullptr;
    return;
  }
  const double window_s = to_seconds(end - *settled_at_);
  const double node_seconds = static_cast<double>(n_) * window_s;
  report["settled_start_s"] = to_seconds(*settled_at_);
  report["settled_window_s"] = window_s;
  report["settled_bytes_per_node_per_s"] = static_cast<double>(steady_end_.bytes - settled_begin_.bytes) / node_seconds;
  report["settled_packets_per_node_per_s"] =
      static_cast<double>(datagrams_end_ - settled_datagrams_begin_) / node_seconds;
}

nlohmann::json DefaultRun::report() const {
  std::vector<double> detections = detections_;
  std::sort(detections.begin(), detections.end());
  nlohmann::json report;
  report["impl"] = "swell";
  report["nodes"] = o_.nodes;
  report["loss"] = o_.loss;
  report["seed"] = o_.seed;
  report["steady_s"] = o_.steady_s;
  report["authentication"] = o_.pair_keys == PairKeys::hashed
                                 ? "fast: ed25519 claims + blake2b-128 datagram tags under id-hashed pair keys"
                                 : "real: ed25519 claims + blake2b-128 datagram tags under x25519 pair keys";
  report["join_converge_s"] = joined_ ? nlohmann::json(to_seconds(joined_at_)) : nlohmann::json(nullptr);
  report["steady_start_s"] = to_seconds(joined_at_);
  const double node_seconds = static_cast<double>(n_) * std::max(o_.steady_s, 1e-9);
  report["bytes_per_node_per_s"] = static_cast<double>(steady_end_.bytes - steady_begin_.bytes) / node_seconds;
  report["packets_per_node_per_s"] = static_cast<double>(datagrams_end_ - datagrams_begin_) / node_seconds;
  report["messages_per_node_per_s"] = static_cast<double>(steady_end_.packets - steady_begin_.packets) / node_seconds;
  if (o_.wall_time) {
    report["cpu_ms_per_node_per_s"] = world_.private_caches()
                                          ? nlohmann::json(static_cast<double>(cpu_ns_) / 1e6 / node_seconds)
                                          : nlohmann::json(nullptr);
  }
  report["claim_caches"] = world_.private_caches() ? "private" : "shared";
  report["stream_segment_loss"] = o_.network.streams.segment_loss;
  report["false_dead_in_steady"] = false_dead_;
  settled_fields(report);
  report["detect_observers"] = detections.size();
  if (!detections.empty()) {
    report["detect_first_s"] = percentile(detections, 0);
    report["detect_median_s"] = percentile(detections, 0.5);
    report["detect_last_s"] = percentile(detections, 1);
  } else {
    report["detect_first_s"] = report["detect_median_s"] = report["detect_last_s"] = nullptr;
  }
  // Extra fields (not the anchor's): the failure detector, as configured and as run.
  report["mode"] = to_string(o_.config.mode);
  report["mode_at_end"] = to_string(world_.node(0).mode());
  std::uint64_t switches = 0;
  for (std::uint32_t i = 0; i < n_; ++i) {
    if (world_.is_up(i)) switches = std::max(switches, world_.node(i).stats().mode_switches);
  }
  report["mode_switches"] = switches;
  report["verdict_spread_s"] = detections.empty() ? nlohmann::json(nullptr)
                                                  : nlohmann::json(percentile(detections, 1) - percentile(detections, 0));
  report["dissemination_s"] =
      disseminated_ ? nlohmann::json(to_seconds(disseminated_at_ - update_at_)) : nlohmann::json(nullptr);
  report["events"] = world_.events_processed();
  report["digest"] = digest_hex(world_.digest());
  report["join_interval_ms"] = o_.join_interval_ms;
  return report;
}

nlohmann::json DefaultRun::run() {
  world_.set_private_caches(o_.private_caches.value_or(o_.nodes <= kPrivateCachesUpTo));
  world_.network().apply(o_.network);
  world_.spawn(n_, o_.config);
  if (o_.loss > 0) {
    for (std::uint32_t i = 0; i < n_; ++i) world_.network().set_inbound_loss(i, o_.loss);
  }
  observe();
  join();
  steady();
  detect();
  disseminate();
  return report();
}

}  // namespace

nlohmann::json run_default(const DefaultRunOptions& options) {
  // Read the clock only when asked: tests run this with wall_time false.
  using Clock = std::chrono::steady_clock;
  const auto wall_start = options.wall_time ? Clock::now() : Clock::time_point{};
  DefaultRun run(options);
  nlohmann::json report = run.run();
  if (options.wall_time) add_wall_fields(report, wall_start);  // before the World is torn down
  return report;
}

}  // namespace swell::sim
