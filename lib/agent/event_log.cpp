#include "agent/event_log.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <system_error>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "agent/member_json.h"
#include "agent/no_sigpipe.h"

namespace swell::agent {
namespace {

constexpr std::string_view kPrefix = "swell-agent: ";
// A non-blocking fd that stays full this long counts as a failed write rather than
// stalling the caller forever.
constexpr int kFullFdWaitMs = 1000;

// Writes all of data (waiting up to kFullFdWaitMs for a full non-blocking fd); false on
// any error, with errno telling which.
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write_no_sigpipe(fd, data);
    if (n >= 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, kFullFdWaitMs) <= 0) return false;
  }
  return true;
}

// "2.5", "10", "0.25": seconds with at most three decimals, trailing zeros dropped.
std::string format_seconds(Duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", to_seconds(d));
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// "1 nack", "2 nacks".
std::string count_of(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// The evidence part of a failed line: what an operator needs to tell a crash from a flaky link.
std::string describe_evidence(const FailureEvidence& e) {
  std::string s;
  auto add = [&s](const std::string& part) { s += (s.empty() ? "" : ", ") + part; };
  if (!e.first_suspected_by.is_zero()) add("suspected by " + e.first_suspected_by.short_hex());
  add(count_of(e.confirmations.size(), "confirmation"));
  add(count_of(static_cast<std::size_t>(e.nacks_seen < 0 ? 0 : e.nacks_seen), "nack"));
  if (e.probed_by_us) add("our probe failed too");
  // A zero timeout means we accepted another member's verdict rather than timing out ourselves.
  if (e.timeout_used.count() > 0) {
    add("timeout " + format_seconds(e.timeout_used) + " s");
  } else if (!e.declared_by.is_zero()) {
    add("declared by " + e.declared_by.short_hex());
  }
  if (e.local_health > 0) add("local health " + std::to_string(e.local_health));
  if (e.flapping) add("held down: flapping");
  if (e.degraded) add("held down: degraded");
  return s;
}

// Peer-supplied strings reach the terminal: control characters (a newline would forge a
// second log line) become '?'.
std::string printable(std::string_view line) {
  std::string out(line);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return out;
}

}  // namespace

std::uint64_t unix_now_ms() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count());
}

std::string describe_event(const MembershipEvent& event) {
  std::string s = to_string(event.kind);
  const Announcement* a = event.announcement.get();
  s += ' ';
  if (a != nullptr && !a->info.id.empty()) {
    s += a->info.id + " (" + event.member.short_hex() + ")";
  } else {
    s += event.member.short_hex();
  }
  if (a != nullptr && !a->swim_address.empty()) s += " at " + a->swim_address;
  switch (event.kind) {
    case MembershipEvent::Kind::failed:
      return s + ": " + (event.evidence ? describe_evidence(*event.evidence) : "no evidence attached");
    case MembershipEvent::Kind::joined:
    case MembershipEvent::Kind::updated:
      if (a != nullptr) {
        s += ": serves " + (a->info.address.empty() ? std::string("nothing") : a->info.address) + " as " +
             std::string(to_string(a->info.node_type));
        if (a->info.is_load_balancer) s += " (load balancer)";
        return s + ", incarnation " + std::to_string(event.incarnation);
      }
      break;
    case MembershipEvent::Kind::suspected:
    case MembershipEvent::Kind::left:
    case MembershipEvent::Kind::recovered: break;
    case MembershipEvent::Kind::name_conflict:
      if (event.name_owner) return s + ": lost its name to " + event.name_owner->short_hex();
      break;
    case MembershipEvent::Kind::rotated: return s + ": moved from key " + event.previous.short_hex() + ", incarnation " +
                                                std::to_string(event.incarnation);
  }
  return s + ": incarnation " + std::to_string(event.incarnation);
}

Result<std::unique_ptr<EventLog>> EventLog::open(const EventLogOptions& options) {
  if (options.events_file.empty()) {
    return std::unique_ptr<EventLog>(new EventLog(STDOUT_FILENO, false, options));
  }
  // O_APPEND: each line lands whole at the end even if an operator's tool also appends.
  const int fd = ::open(options.events_file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    const std::string reason = std::error_code(errno, std::generic_category()).message();
    return Error{ErrorCode::io, "cannot open events file " + options.events_file + ": " + reason +
                                    "; create its directory or make it writable, or leave events_file "
                                    "empty to write events to stdout"};
  }
  return std::unique_ptr<EventLog>(new EventLog(fd, true, options));
}

EventLog::EventLog(int events_fd, bool owns_fd, const EventLogOptions& options)
    : events_fd_(events_fd), owns_fd_(owns_fd), quiet_(options.quiet), human_fd_(options.human_fd) {}

EventLog::~EventLog() {
  if (owns_fd_) ::close(events_fd_);
}

void EventLog::write(const MembershipEvent& event) { write(event, unix_now_ms()); }

void EventLog::write(const MembershipEvent& event, std::uint64_t unix_ms) {
  try {
    // replace: a peer's name that is not valid UTF-8 must not make dump() throw.
    const std::string line =
        event_json(event, unix_ms).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    const std::string human = quiet_ ? std::string() : std::string(kPrefix) + printable(describe_event(event)) + "\n";
    const std::lock_guard lock(mutex_);
    if (write_all(events_fd_, line)) {
      ++lines_written_;
    } else {
      ++write_errors_;
    }
    if (!quiet_) write_human(human);
  } catch (...) {
    // Only allocation can throw here; losing one line beats losing the process.
    ++write_errors_;
  }
}

void EventLog::log_line(std::string_view line) {
  if (!quiet_) log_problem(line);
}

void EventLog::log_problem(std::string_view line) {
  try {
    const std::string text = std::string(kPrefix) + printable(line) + "\n";
    const std::lock_guard lock(mutex_);
    write_human(text);
  } catch (...) {
    ++human_write_errors_;
  }
}

void EventLog::write_human(std::string_view line) {
  if (!write_all(human_fd_, line)) ++human_write_errors_;
}

}  // namespace swell::agent
