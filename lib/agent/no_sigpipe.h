// write_no_sigpipe: one write(2) that reports a vanished reader as EPIPE instead of
// raising SIGPIPE, without changing the process's signal dispositions.
//
//   if (write_no_sigpipe(fd, line) < 0 && errno == EPIPE) { /* reader went away */ }
#pragma once

#include <string_view>

#include <sys/types.h>

namespace swell::agent {

/// One write(2) of data to fd, as write(2) returns it (-1 with errno on error), never raising SIGPIPE.
ssize_t write_no_sigpipe(int fd, std::string_view data);

}  // namespace swell::agent
