// The one way the runtime turns a failed libuv call into an error value.
#pragma once

#include <uv.h>

#include <string>

#include "swell/result.h"

namespace swell::runtime {

/// An io error saying what could not be done and libuv's reason.
inline Error uv_error(const char* what, int rc) {
  return Error{ErrorCode::io, std::string(what) + ": " + uv_strerror(rc)};
}

}  // namespace swell::runtime
