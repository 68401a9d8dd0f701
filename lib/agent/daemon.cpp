#include "agent/daemon.h"

#include <algorithm>
#include <filesystem>

#include "agent/data_dir.h"
#include "agent/member_json.h"
#include "agent/member_store.h"
#include "agent/query_commands.h"
#include "agent/key_rotation.h"
#include "agent/revocation_file.h"
#include "agent/revoked_store.h"
#include "agent/seed_names.h"

namespace swell::agent {
namespace {

// The member list is written at most this often (and at shutdown).
constexpr std::chrono::seconds kSaveInterval{5};

// What a saved member list depends on: who is known, in what state, at what incarnation.
std::uint64_t members_hash(const std::vector<MemberSnapshot>& members) {
  std::uint64_t h = 1469598103934665603ull;
  for (const MemberSnapshot& m : members) {
    h = (h ^ m.id.prefix64()) * 1099511628211ull;
    h = (h ^ (m.incarnation << 2 | static_cast<std::uint64_t>(m.state))) * 1099511628211ull;
  }
  return h;
}

// Fields a reload cannot change on a running agent: they need a restart.
std::vector<std::string> needs_restart(const AgentSettings& now, const AgentSettings& next) {
  std::vector<std::string> changed;
  if (now.bind != next.bind) changed.emplace_back("bind");
  if (now.advertise != next.advertise) changed.emplace_back("advertise");
  if (now.http != next.http || now.http_token != next.http_token) changed.emplace_back("http");
  if (now.data_dir != next.data_dir) changed.emplace_back("data_dir");
  if (now.key_file != next.key_file) changed.emplace_back("key_file");
  if (now.preset != next.preset) changed.emplace_back("preset");
  if (now.handlers.commands != next.handlers.commands) changed.emplace_back("event_handlers");
  if (now.events_file != next.events_file) changed.emplace_back("events_file");
  // The allow-list file's keys are reloaded; its path, the mode, the CAs and the
  // certificate are part of the node's identity in the cluster.
  if (now.admission != next.admission) changed.emplace_back("admission");
  return changed;
}

// The checks that need the key (ca mode's certificate), and the revoked keys the data
// directory remembers, all before anything binds.
Result<void> prepare_admission(AgentSettings& s, const NodeId& self) {
  if (auto ok = check_own_certificate(s.admission, s.config.admission, self, s.info, unix_now_ms()); !ok.ok()) {
    return ok;
  }
  if (s.data_dir.empty()) return success();
  auto revoked = load_revoked_keys(s.data_dir);
  if (!revoked.ok()) return revoked.error();
  std::vector<NodeId>& keys = revoked.value();
  // The newest are kept, as the node itself forgets the oldest first.
  const std::size_t max = s.config.admission.max_revoked;
  if (keys.size() > max) keys.erase(keys.begin(), keys.end() - static_cast<std::ptrdiff_t>(max));
  s.config.admission.revoked = std::move(keys);
  return success();
}

}  // namespace

Daemon::Daemon(RunFlags flags, AgentSettings settings, std::unique_ptr<EventLog> log)
    : flags_(std::move(flags)), settings_(std::move(settings)), log_(std::move(log)) {}

Daemon::~Daemon() {
  if (http_) http_->stop();
  if (handlers_) handlers_->stop(std::chrono::milliseconds(0));
  if (agent_) agent_->stop();
}

Result<std::unique_ptr<Daemon>> Daemon::start(const RunFlags& flags) {
  auto settings = load_settings(flags);
  if (!settings.ok()) return settings.error();
  if (!settings.value().data_dir.empty()) {
    if (auto ok = prepare_data_dir(settings.value().data_dir); !ok.ok()) return ok.error();
  }
  auto identity = load_or_create_key(settings.value());
  if (!identity.ok()) return identity.error();
  if (auto ok = prepare_admission(settings.value(), identity.value().id()); !ok.ok()) return ok.error();
  auto log = EventLog::open({settings.value().events_file, settings.value().quiet});
  if (!log.ok()) return log.error();
  std::unique_ptr<Daemon> d(new Daemon(flags, std::move(settings.value()), std::move(log.value())));
  d->trusted_cas_ = d->settings_.config.admission.trusted_cas;
  d->cluster_label_ = d->settings_.config.cluster_label;
  d->installed_.key_file = d->settings_.key_file;
  if (d->settings_.config.admission.mode == AdmissionMode::ca) {
    d->installed_.certificate_file = d->settings_.admission.certificate_file;
  }
  EventLog* sink = d->log_.get();
  d->handlers_ = std::make_unique<EventHandlers>(d->settings_.handlers, identity.value().id(),
                                                 [sink](std::string_view line) { sink->log_problem(line); });
  d->log_admission();
  d->seeds_ = d->gather_seeds();
  // The API first: a port already taken then stops us before we join (and are seen to
  // fail); it answers 503 until the agent runs.
  if (auto ok = d->start_http(); !ok.ok()) return ok.error();
  if (auto ok = d->start_agent(std::move(identity.value())); !ok.ok()) return ok.error();
  return d;
}

std::vector<std::string> Daemon::gather_seeds() {
  std::vector<std::string> seeds = settings_.seeds;
  if (!settings_.data_dir.empty()) {
    // Configured seeds first: the remembered members are the fallback when they are down.
    std::string warning;
    const auto remembered = load_member_addresses(settings_.data_dir, &warning);
    // No member list yet is a first start, not a problem worth an operator's attention.
    const bool first_start = !std::filesystem::exists(settings_.data_dir + "/" + kMembersFileName);
    if (!warning.empty() && !first_start) log_->log_problem(warning);
    for (const std::string& a : remembered) {
      if (std::find(seeds.begin(), seeds.end(), a) == seeds.end()) seeds.push_back(a);
    }
    if (!remembered.empty()) {
      log_->log_line("data directory: " + std::to_string(remembered.size()) + " remembered member(s) to rejoin through");
    }
  }
  std::vector<std::string> problems;
  seeds = resolve_seed_names(seeds, &problems);
  for (const std::string& p : problems) log_->log_problem(p);
  return seeds;
}

Result<void> Daemon::start_agent(Identity identity) {
  AgentOptions o;
  o.identity = std::move(identity);
  o.config = settings_.config;
  o.info = settings_.info;
  o.info.last_updated_ms = unix_now_ms();
  o.bind_address = settings_.bind;
  o.advertise_address = settings_.advertise;
  o.seeds = seeds_;
  auto agent = Agent::start(std::move(o));
  if (!agent.ok()) return agent.error();
  agent_.emplace(std::move(agent.value()));
  live_agent_.store(&*agent_);
  // The address announced (the bound port filled in when asked for port 0): what a
  // reload keeps when the file still leaves it to the runtime.
  if (const MemberSnapshot* self = agent_->snapshot()->find(agent_->id()); self && self->announcement) {
    settings_.info.address = self->announcement->info.address;
  }
  log_->log_line(agent_->id().short_hex() + " (" + settings_.info.id + ", " +
                 std::string(to_string(settings_.info.node_type)) + ") running at " + agent_->address() +
                 (seeds_.empty() ? "; first member of a new cluster" : "; joining through " + std::to_string(seeds_.size()) + " seed(s)"));
  return success();
}

Result<void> Daemon::start_http() {
  if (settings_.http.empty()) return success();
  HttpApiOptions o;
  o.listen = settings_.http;
  o.token = settings_.http_token;
  o.seeds_configured = !seeds_.empty();
  o.snapshot = [this]() -> std::shared_ptr<const AgentSnapshot> {
    Agent* agent = live_agent_.load();
    return agent != nullptr ? agent->snapshot() : nullptr;
  };
  o.leave = [this]() -> Result<void> {
    leave_requested_.store(true);
    return success();
  };
  o.join = [this](std::vector<std::string> seeds) -> Result<void> {
    Agent* agent = live_agent_.load();
    if (agent == nullptr) return Error{ErrorCode::not_running, "the agent is still starting"};
    std::vector<std::string> problems;
    auto numeric = resolve_seed_names(seeds, &problems);
    if (numeric.empty() && !problems.empty()) return Error{ErrorCode::invalid_argument, problems.front()};
    return agent->join(numeric);
  };
  o.force_leave = [this](const NodeId& id) -> Result<void> {
    Agent* agent = live_agent_.load();
    if (agent == nullptr) return Error{ErrorCode::not_running, "the agent is still starting"};
    return agent->force_leave(id);
  };
  o.revoke = [this](Bytes revocation) { return revoke(std::move(revocation)); };
  o.rotate_key = [this](const std::string& body) { return rotate_key(body); };
  o.counters = [this] { return counters(); };
  o.events = &recent_;
  auto api = HttpApi::start(std::move(o));
  if (!api.ok()) {
    Error e = api.error();
    if (e.code == ErrorCode::io) e.message += "; pass --http with a free HOST:PORT (port 0 picks one), or --http \"\" for no API";
    return e;
  }
  http_ = std::move(api.value());
  const auto colon = settings_.http.rfind(':');
  log_->log_line("HTTP API at http://" + settings_.http.substr(0, colon) + ":" + std::to_string(http_->port()) + "/");
  return success();
}

void Daemon::log_admission() {
  const std::string line = describe_admission(settings_.admission, settings_.config.admission);
  // Open by omission is the one setting worth a warning at every start (docs/security.md).
  if (settings_.config.admission.mode == AdmissionMode::open && !settings_.admission.mode_chosen) {
    log_->log_problem(line);
  } else {
    log_->log_line(line);
  }
  if (const std::size_t n = settings_.config.admission.revoked.size(); n > 0) {
    log_->log_line("admission: " + std::to_string(n) + " revoked key(s) from " + settings_.data_dir + "/" +
                   kRevokedFileName + " stay refused");
  }
}

Result<NodeId> Daemon::revoke(Bytes revocation) const {
  Agent* agent = live_agent_.load();
  if (agent == nullptr) return Error{ErrorCode::not_running, "the agent is still starting"};
  // Checked here as well as by the node, which only counts a bad one: the operator
  // who sent it is told why.
  auto subject = check_revocation(revocation, trusted_cas_, cluster_label_);
  if (!subject.ok()) return subject.error();
  if (auto ok = agent->apply_revocation(std::move(revocation)); !ok.ok()) return ok.error();
  return subject;
}

Result<NodeId> Daemon::rotate_key(const std::string& body) {
  Agent* agent = live_agent_.load();
  if (agent == nullptr) return Error{ErrorCode::not_running, "the agent is still starting"};
  auto request = parse_rotation_body(body);
  if (!request.ok()) return request.error();
  // One at a time: each reads and replaces the installed files.
  std::lock_guard<std::mutex> lock(rotation_mutex_);
  const NodeId before = agent->id();
  auto moved = rotate_agent_key(*agent, installed_, request.value());
  if (moved.ok()) {
    log_->log_line("moved to key " + moved.value().to_hex() + " from " + before.to_hex() + "; " + installed_.key_file +
                   " holds the new key");
  }
  return moved;
}

void Daemon::save_revoked_if_changed() {
  const auto snap = agent_->snapshot();
  if (!snap->revoked || snap->revoked == saved_revoked_) return;
  const bool first = saved_revoked_ == nullptr;
  saved_revoked_ = snap->revoked;
  // The list the node started with is the one on disk already.
  if (first && *snap->revoked == settings_.config.admission.revoked) return;
  if (settings_.data_dir.empty()) {
    log_->log_line("admission: " + std::to_string(snap->revoked->size()) +
                   " revoked key(s), not kept across restarts: run with --data-dir to keep them");
    return;
  }
  if (auto ok = save_revoked_keys(settings_.data_dir, *snap->revoked); !ok.ok()) {
    ++revoked_save_errors_;
    log_->log_problem("could not save the revoked keys: " + ok.error().message);
    return;
  }
  log_->log_line("admission: " + std::to_string(snap->revoked->size()) + " revoked key(s) saved in " +
                 settings_.data_dir + "/" + kRevokedFileName);
}

void Daemon::reload_allowlist(const AgentSettings& next) {
  if (settings_.admission.mode != AdmissionMode::allowlist || next.admission != settings_.admission) return;
  const std::vector<NodeId>& keys = next.config.admission.allowed;
  if (keys == settings_.config.admission.allowed) {
    ++allowlist_reloads_;
    log_->log_line("reload: allow-list unchanged (" + std::to_string(keys.size()) + " key(s))");
    return;
  }
  if (auto ok = agent_->set_allowlist(keys); !ok.ok()) {
    ++allowlist_reload_failures_;
    log_->log_problem("reload: allow-list: " + ok.error().message);
    return;
  }
  settings_.config.admission.allowed = keys;
  ++allowlist_reloads_;
  log_->log_line("reload: allow-list now " + std::to_string(keys.size()) + " key(s) from " +
                 settings_.admission.allowlist_file);
}

DaemonCounters Daemon::counters() const {
  DaemonCounters c;
  c.handler_runs = handlers_->runs();
  c.handler_failures = handlers_->failures();
  c.handler_timeouts = handlers_->timeouts();
  c.handler_dropped = handlers_->dropped();
  c.event_lines_written = log_->lines_written();
  c.event_write_errors = log_->write_errors();
  c.allowlist_reloads = allowlist_reloads_.load();
  c.allowlist_reload_failures = allowlist_reload_failures_.load();
  c.revoked_save_errors = revoked_save_errors_.load();
  return c;
}

void Daemon::pump() {
  while (auto event = agent_->poll_event()) {
    const std::uint64_t now_ms = unix_now_ms();
    log_->write(*event, now_ms);
    handlers_->dispatch(*event, now_ms);
    recent_.push(event_json(*event, now_ms));
  }
  save_members_if_changed(false);
  save_revoked_if_changed();
}

void Daemon::save_members_if_changed(bool force) {
  if (settings_.data_dir.empty()) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now < next_save_) return;
  next_save_ = now + kSaveInterval;
  const auto snap = agent_->snapshot();
  const std::uint64_t hash = members_hash(*snap->members);
  if (!force && hash == saved_members_hash_) return;
  if (auto saved = save_members(settings_.data_dir, *snap->members); !saved.ok()) {
    log_->log_problem("could not save the member list: " + saved.error().message);
    return;
  }
  saved_members_hash_ = hash;
}

void Daemon::reload() {
  auto next = load_settings(flags_);
  if (!next.ok()) {
    const bool allowlist = settings_.admission.mode == AdmissionMode::allowlist;
    if (allowlist) ++allowlist_reload_failures_;
    log_->log_problem("reload: " + next.error().message + "; keeping the running settings" +
                      (allowlist ? " and allow-list" : ""));
    return;
  }
  for (const std::string& field : needs_restart(settings_, next.value())) {
    log_->log_problem("reload: " + field + " changed; restart the agent to apply it");
  }
  reload_allowlist(next.value());
  if (next.value().info.address.empty()) next.value().info.address = settings_.info.address;
  PeerInfo info = next.value().info;
  PeerInfo running = settings_.info;
  info.version = running.version = 0;
  info.last_updated_ms = running.last_updated_ms = 0;
  if (info == running) {
    log_->log_line("reload: PeerInfo and tags unchanged");
    return;
  }
  info.last_updated_ms = unix_now_ms();
  if (auto ok = agent_->set_local_info(info); !ok.ok()) {
    log_->log_problem("reload: " + ok.error().message);
    return;
  }
  settings_.info = next.value().info;
  settings_.tags = next.value().tags;
  log_->log_line("reload: announcing new PeerInfo and tags (" + std::to_string(settings_.tags.size()) + " tag(s))");
}

int Daemon::shutdown() {
  pump();
  save_members_if_changed(true);
  log_->log_line("leaving the cluster");
  if (auto left = agent_->leave(settings_.leave_timeout); !left.ok()) log_->log_problem("leave: " + left.error().message);
  pump();
  if (http_) http_->stop();
  handlers_->stop(settings_.leave_timeout);
  agent_->stop();
  log_->log_line("stopped");
  return kExitOk;
}

}  // namespace swell::agent
