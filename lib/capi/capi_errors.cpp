// Status names, the thread-local last error message, and the C++ Error -> status mapping.
#include "capi/capi_errors.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>

namespace swell::capi {
namespace {

// A fixed buffer, so recording an error never allocates and so never throws (it may
// be recording an out-of-memory failure); longer messages are cut at a UTF-8 boundary.
constexpr std::size_t kMessageBytes = 1024;
thread_local char t_last_message[kMessageBytes] = "";

void record(std::string_view message) noexcept {
  std::size_t n = std::min(message.size(), kMessageBytes - 1);
  if (n < message.size()) {
    while (n > 0 && (static_cast<unsigned char>(message[n]) & 0xC0) == 0x80) --n;  // continuation byte
  }
  std::memcpy(t_last_message, message.data(), n);
  t_last_message[n] = '\0';
}

}  // namespace

swell_status fail(swell_status status, std::string_view message) noexcept {
  record(message);
  return status;
}

swell_status fail(const Error& error) noexcept { return fail(-static_cast<int>(error.code), error.message); }

swell_status null_argument(std::string_view function, std::string_view argument) noexcept {
  char message[256];
  const int n = std::snprintf(message, sizeof message, "%.*s: %.*s is NULL", static_cast<int>(function.size()),
                              function.data(), static_cast<int>(argument.size()), argument.data());
  const std::size_t length = n < 0 ? 0 : std::min(static_cast<std::size_t>(n), sizeof message - 1);
  return fail(SWELL_EINVAL, std::string_view(message, length));
}

}  // namespace swell::capi

extern "C" {

const char* swell_strerror(swell_status status) {
  if (status == SWELL_OK) return "ok";
  if (status == SWELL_EAGAIN) return "again";
  if (status == SWELL_EINTERNAL) return "internal";
  if (status > 0 || status == INT_MIN) return "unknown_error";
  // to_string's names are string literals, so .data() is NUL-terminated and static.
  return swell::to_string(static_cast<swell::ErrorCode>(-status)).data();
}

const char* swell_last_error_message(void) { return swell::capi::t_last_message; }

}  // extern "C"
