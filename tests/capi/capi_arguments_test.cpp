// Every swell.h function given NULL: SWELL_EINVAL (or 0/NULL) and a message naming the
// argument, never a crash; status names; the thread-local last error.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <thread>

#include "capi_fixtures.h"

namespace {

std::string last_message() { return swell_last_error_message(); }

bool names(const std::string& function, const std::string& argument) {
  return last_message() == function + ": " + argument + " is NULL";
}

}  // namespace

TEST_CASE("every function rejects NULL arguments with SWELL_EINVAL and names the argument") {
  swell_agent_options o = capi_test::loopback_options("n");
  swell_agent* agent = reinterpret_cast<swell_agent*>(&o);  // never dereferenced: checked first
  swell_event event;
  swell_member member;

  CHECK(swell_agent_start(&o, nullptr) == SWELL_EINVAL);
  CHECK(names("swell_agent_start", "out"));
  swell_agent* out = agent;
  CHECK(swell_agent_start(nullptr, &out) == SWELL_EINVAL);
  CHECK(names("swell_agent_start", "options"));
  CHECK(out == nullptr);  // *out is cleared on every failure

  CHECK(swell_agent_leave(nullptr, 10) == SWELL_EINVAL);
  CHECK(names("swell_agent_leave", "agent"));
  CHECK(swell_agent_stop(nullptr) == SWELL_EINVAL);
  CHECK(names("swell_agent_stop", "agent"));
  CHECK(swell_agent_set_local_info(nullptr, &o) == SWELL_EINVAL);
  CHECK(names("swell_agent_set_local_info", "agent"));
  CHECK(swell_agent_set_local_info(agent, nullptr) == SWELL_EINVAL);
  CHECK(names("swell_agent_set_local_info", "options"));
  CHECK(swell_agent_poll_event(nullptr, &event) == SWELL_EINVAL);
  CHECK(names("swell_agent_poll_event", "agent"));
  CHECK(swell_agent_poll_event(agent, nullptr) == SWELL_EINVAL);
  CHECK(names("swell_agent_poll_event", "event"));
  CHECK(swell_agent_id(nullptr) == nullptr);
  CHECK(names("swell_agent_id", "agent"));
  CHECK(swell_agent_address(nullptr) == nullptr);
  CHECK(names("swell_agent_address", "agent"));
  CHECK(swell_agent_join(nullptr, nullptr, 0) == SWELL_EINVAL);
  CHECK(names("swell_agent_join", "agent"));
  CHECK(swell_agent_force_leave(nullptr, "00") == SWELL_EINVAL);
  CHECK(names("swell_agent_force_leave", "agent"));
  CHECK(swell_agent_snapshot(nullptr) == nullptr);
  CHECK(names("swell_agent_snapshot", "agent"));

  CHECK(swell_snapshot_member_count(nullptr) == 0);
  CHECK(names("swell_snapshot_member_count", "snapshot"));
  CHECK(swell_snapshot_count(nullptr, SWELL_STATE_ALIVE) == 0);
  CHECK(names("swell_snapshot_count", "snapshot"));
  CHECK(swell_snapshot_member(nullptr, 0, &member) == SWELL_EINVAL);
  CHECK(names("swell_snapshot_member", "snapshot"));
  CHECK(swell_snapshot_local_health(nullptr) == 0);
  CHECK(names("swell_snapshot_local_health", "snapshot"));
  std::uint64_t value = 0;
  CHECK(swell_snapshot_counter(nullptr, "node.probes", &value) == SWELL_EINVAL);
  CHECK(names("swell_snapshot_counter", "snapshot"));

  swell_agent_options_init(nullptr);
  CHECK(names("swell_agent_options_init", "options"));
  swell_agent_free(nullptr);      // no-op, like free(NULL)
  swell_snapshot_free(nullptr);
}

TEST_CASE("swell_strerror names every status, and the version functions answer") {
  CHECK(std::string(swell_strerror(SWELL_OK)) == "ok");
  CHECK(std::string(swell_strerror(SWELL_EINVAL)) == "invalid_argument");
  CHECK(std::string(swell_strerror(SWELL_ECONFIG)) == "invalid_config");
  CHECK(std::string(swell_strerror(SWELL_EIO)) == "io");
  CHECK(std::string(swell_strerror(SWELL_EKEY_MISSING)) == "key_file_missing");
  CHECK(std::string(swell_strerror(SWELL_EKEY_PERMISSIONS)) == "key_file_permissions");
  CHECK(std::string(swell_strerror(SWELL_EKEY_CORRUPT)) == "key_file_corrupt");
  CHECK(std::string(swell_strerror(SWELL_ECRYPTO)) == "crypto");
  CHECK(std::string(swell_strerror(SWELL_EPEER_INFO)) == "invalid_peer_info");
  CHECK(std::string(swell_strerror(SWELL_ENOT_RUNNING)) == "not_running");
  CHECK(std::string(swell_strerror(SWELL_EWRONG_STATE)) == "wrong_state");
  CHECK(std::string(swell_strerror(SWELL_EUNKNOWN_MEMBER)) == "unknown_member");
  CHECK(std::string(swell_strerror(SWELL_EAGAIN)) == "again");
  CHECK(std::string(swell_strerror(SWELL_EINTERNAL)) == "internal");
  CHECK(std::string(swell_strerror(-36)) == "bad_mac");  // any ErrorCode, defined as a macro or not
  CHECK(std::string(swell_strerror(-99)) == "unknown_error");
  CHECK(std::string(swell_strerror(7)) == "unknown_error");
  CHECK(std::string(swell_strerror(-2147483647 - 1)) == "unknown_error");
  CHECK(swell_abi_version() == SWELL_ABI_VERSION);
  CHECK(std::strlen(swell_version()) > 0);
}

TEST_CASE("the last error message is per thread, and a successful call keeps it") {
  CHECK(swell_agent_stop(nullptr) == SWELL_EINVAL);
  const std::string here = last_message();
  std::string there;
  std::thread other([&] {
    there = last_message();
    (void)swell_agent_leave(nullptr, 0);
  });
  other.join();
  CHECK(there.empty());  // a fresh thread has no error yet
  CHECK(last_message() == here);  // the other thread's failure did not touch ours
  CHECK(swell_abi_version() == SWELL_ABI_VERSION);
  CHECK(last_message() == here);
}
