// The C ABI's error side: a status from a C++ Error, and the calling thread's last
// error message behind swell_last_error_message().
#pragma once

#include <string_view>

#include "swell/result.h"
#include "swell/swell.h"

namespace swell::capi {

/// Records message as this thread's last error and returns status; never throws.
swell_status fail(swell_status status, std::string_view message) noexcept;
/// Records error's message and returns its code negated (the C ABI's status).
swell_status fail(const Error& error) noexcept;
/// Records an SWELL_EINVAL naming the NULL argument of function, and returns it.
swell_status null_argument(std::string_view function, std::string_view argument) noexcept;

}  // namespace swell::capi
