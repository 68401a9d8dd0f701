#include "runtime/random_seed.h"

#include <sodium.h>

namespace swell::runtime {

std::uint64_t random_seed() {
  // sodium_init is idempotent and thread-safe; it fails only without an entropy source.
  if (sodium_init() < 0) return 0x5eed5eed5eed5eedull;  // no entropy source: still a valid seed
  std::uint64_t seed = 0;
  randombytes_buf(&seed, sizeof seed);
  return seed;
}

}  // namespace swell::runtime
