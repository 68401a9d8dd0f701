// The runtime's one source of seeds: libsodium's CSPRNG (the core's Rng is seeded once
// from it; the core itself never touches a global RNG).
#pragma once

#include <cstdint>

namespace swell::runtime {

/// 64 random bits from randombytes_buf.
std::uint64_t random_seed();

}  // namespace swell::runtime
