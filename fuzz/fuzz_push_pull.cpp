// Fuzzes decode_push_pull.
//
// Invariants: a decoded state respects max_members and pairs each status with a
// status claim exactly when the member is not alive; re-encoding it gives a body no
// longer than the input that decodes to an equal state; tighter limits never accept
// what looser ones refuse.
#include <cstddef>
#include <cstdint>

#include "invariant.h"
#include "wire/messages.h"

namespace {

using namespace swell;
using namespace swell::wire;

const DecodeLimits kLimits{};

DecodeLimits tight_limits() {
  DecodeLimits limits;
  limits.max_members = 2;
  return limits;
}

void check_state(const PushPull& state, const DecodeLimits& limits) {
  SWELL_FUZZ_REQUIRE(state.members.size() <= limits.max_members);
  for (const MemberRecord& m : state.members) {
    SWELL_FUZZ_REQUIRE(static_cast<std::uint8_t>(m.status) <= static_cast<std::uint8_t>(MemberStatus::left));
    SWELL_FUZZ_REQUIRE(m.status_claim.has_value() == (m.status != MemberStatus::alive));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView body(data, size);
  auto decoded = decode_push_pull(body, kLimits);
  auto tight = decode_push_pull(body, tight_limits());
  if (tight.ok()) {
    SWELL_FUZZ_REQUIRE(decoded.ok() && decoded.value() == tight.value());
    check_state(tight.value(), tight_limits());
  }
  if (!decoded.ok()) return 0;
  const PushPull& state = decoded.value();
  check_state(state, kLimits);

  Bytes encoded;
  encode_push_pull(state, encoded);
  SWELL_FUZZ_REQUIRE(encoded.size() <= size);
  auto again = decode_push_pull(encoded, kLimits);
  SWELL_FUZZ_REQUIRE(again.ok() && again.value() == state);
  Bytes reencoded;
  encode_push_pull(again.value(), reencoded);
  SWELL_FUZZ_REQUIRE(reencoded == encoded);
  return 0;
}
