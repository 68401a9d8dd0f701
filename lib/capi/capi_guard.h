// Every C entry point runs its body through guarded(): no C++ exception may unwind into
// a C, Rust or Python caller's frames (that is undefined behaviour there).
#pragma once

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string_view>

#include "capi/capi_errors.h"

namespace swell::capi {

/// Records the SWELL_EINTERNAL of an exception escaping function; returns the status.
inline swell_status internal_failure(std::string_view function, const char* what) noexcept {
  // No allocation here: this may be reporting std::bad_alloc.
  char message[512];
  const int n = std::snprintf(message, sizeof message, "%.*s: internal error: %s",
                              static_cast<int>(function.size()), function.data(), what);
  const std::size_t length = n < 0 ? 0 : std::min(static_cast<std::size_t>(n), sizeof message - 1);
  return fail(SWELL_EINTERNAL, std::string_view(message, length));
}

/// Runs body (returning a swell_status); an exception becomes SWELL_EINTERNAL.
template <class Body>
swell_status guarded(std::string_view function, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    return internal_failure(function, e.what());
  } catch (...) {
    return internal_failure(function, "unknown exception");
  }
}

/// Runs body (returning a T); an exception records SWELL_EINTERNAL and yields fallback.
template <class T, class Body>
T guarded_value(std::string_view function, T fallback, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    (void)internal_failure(function, e.what());
  } catch (...) {
    (void)internal_failure(function, "unknown exception");
  }
  return fallback;
}

}  // namespace swell::capi
