// swell_snapshot: a held shared_ptr<const AgentSnapshot>. Member strings are not copied
// (neither at creation nor lazily): swell_member points into the snapshot's immutable,
// shared Announcements, which live exactly as long as the snapshot is held.
#include <memory>
#include <string>

#include "capi/capi_enum.h"
#include "capi/capi_errors.h"
#include "capi/capi_guard.h"
#include "capi/capi_handle.h"
#include "capi/capi_member.h"
#include "swell/counters.h"

/// What a swell_snapshot* points to.
struct swell_snapshot {
  std::shared_ptr<const swell::AgentSnapshot> snapshot;  ///< Never null.
};

namespace swell::capi {
namespace {

swell_snapshot* take_snapshot(const swell_agent* agent) {
  if (agent == nullptr) {
    (void)null_argument("swell_agent_snapshot", "agent");
    return nullptr;
  }
  auto snapshot = agent->agent->snapshot();
  if (!snapshot) {
    (void)fail(SWELL_EINTERNAL, "swell_agent_snapshot: the agent published no snapshot");
    return nullptr;
  }
  return new swell_snapshot{std::move(snapshot)};
}

swell_status member_at(const swell_snapshot* snapshot, std::size_t index, swell_member* member) {
  static constexpr std::string_view kName = "swell_snapshot_member";
  if (snapshot == nullptr) return null_argument(kName, "snapshot");
  if (member == nullptr) return null_argument(kName, "member");
  const auto& members = *snapshot->snapshot->members;
  if (index >= members.size()) {
    return fail(SWELL_EINVAL, "swell_snapshot_member: index " + std::to_string(index) + " is past the end (" +
                                  std::to_string(members.size()) + " members)");
  }
  const MemberSnapshot& m = members[index];
  fill_member(m.id, m.state, m.incarnation, m.announcement.get(), member);
  return SWELL_OK;
}

std::size_t count_in(const swell_snapshot* snapshot, swell_member_state state) {
  if (snapshot == nullptr) {
    (void)null_argument("swell_snapshot_count", "snapshot");
    return 0;
  }
  const int value = enum_value(state);
  if (value < SWELL_STATE_ALIVE || value > SWELL_STATE_LEFT) {
    (void)fail(SWELL_EINVAL, "swell_snapshot_count: state " + std::to_string(value) +
                                 " is not a swell_member_state");
    return 0;
  }
  return snapshot->snapshot->count(static_cast<MemberState>(value));
}

swell_status counter_named(const swell_snapshot* snapshot, const char* name, std::uint64_t* value) {
  static constexpr std::string_view kName = "swell_snapshot_counter";
  if (snapshot == nullptr) return null_argument(kName, "snapshot");
  if (name == nullptr) return null_argument(kName, "name");
  if (value == nullptr) return null_argument(kName, "value");
  const std::string_view full(name);
  const auto dot = full.find('.');
  const std::string_view group = full.substr(0, dot);
  const std::string_view field = dot == std::string_view::npos ? std::string_view{} : full.substr(dot + 1);
  const AgentSnapshot& s = *snapshot->snapshot;
  std::vector<Counter> counters;
  if (group == "node") counters = counters_of(s.node);
  if (group == "transport") counters = counters_of(s.transport);
  for (const Counter& c : counters) {
    if (c.name == field) {
      *value = c.value;
      return SWELL_OK;
    }
  }
  return fail(SWELL_EINVAL, "swell_snapshot_counter: no counter named \"" + std::string(full.substr(0, 80)) +
                                "\": use node.<name> or transport.<name>, e.g. node.joins_refused "
                                "(docs/embedding.md lists them)");
}

}  // namespace
}  // namespace swell::capi

extern "C" {

swell_snapshot* swell_agent_snapshot(const swell_agent* agent) {
  return swell::capi::guarded_value<swell_snapshot*>("swell_agent_snapshot", nullptr,
                                                     [&] { return swell::capi::take_snapshot(agent); });
}

void swell_snapshot_free(swell_snapshot* snapshot) { delete snapshot; }

size_t swell_snapshot_member_count(const swell_snapshot* snapshot) {
  if (snapshot == nullptr) {
    (void)swell::capi::null_argument("swell_snapshot_member_count", "snapshot");
    return 0;
  }
  return snapshot->snapshot->members->size();
}

size_t swell_snapshot_count(const swell_snapshot* snapshot, swell_member_state state) {
  return swell::capi::guarded_value<std::size_t>("swell_snapshot_count", 0,
                                                 [&] { return swell::capi::count_in(snapshot, state); });
}

swell_status swell_snapshot_member(const swell_snapshot* snapshot, size_t index, swell_member* member) {
  return swell::capi::guarded("swell_snapshot_member",
                              [&] { return swell::capi::member_at(snapshot, index, member); });
}

int swell_snapshot_local_health(const swell_snapshot* snapshot) {
  if (snapshot == nullptr) {
    (void)swell::capi::null_argument("swell_snapshot_local_health", "snapshot");
    return 0;
  }
  return snapshot->snapshot->local_health;
}

swell_status swell_snapshot_counter(const swell_snapshot* snapshot, const char* name, uint64_t* value) {
  return swell::capi::guarded("swell_snapshot_counter",
                              [&] { return swell::capi::counter_named(snapshot, name, value); });
}

}  // extern "C"
