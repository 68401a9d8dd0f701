#include "sodium_runtime.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace swell {

void require_sodium() {
  static const bool started = [] {
    if (sodium_init() < 0) {
      std::fputs("swell: libsodium failed to initialise\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)started;
}

}  // namespace swell
