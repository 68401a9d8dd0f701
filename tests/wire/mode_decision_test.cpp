// Mode decisions: a signed, epoch-numbered choice of failure detector, bound to the
// cluster label like every claim.
#include <doctest/doctest.h>

#include "fixtures/sample_messages.h"
#include "wire/mode_decision.h"

using namespace swell;
using namespace swell::wire;

namespace {

Bytes signed_decision(const Identity& author, const ModeDecision& decision, std::string_view label) {
  const Bytes payload = encode_mode_decision_payload(decision);
  return encode_signed_mode_decision(payload, author.sign(mode_decision_message(payload, label)));
}

}  // namespace

TEST_CASE("a mode decision verifies under its own label only") {
  const Identity a = fixtures::identity(3);
  const ModeDecision decision{a.id(), 7, 1};
  for (std::string_view label : {"", "blue"}) {
    CAPTURE(label);
    const Bytes body = signed_decision(a, decision, label);
    auto got = verify_mode_decision(body, label);
    REQUIRE_MESSAGE(got.ok(), got.error().message);
    CHECK(got.value() == decision);
  }
  const Bytes blue = signed_decision(a, decision, "blue");
  for (std::string_view other : {"", "green", "blu", "blue "}) {
    CAPTURE(other);
    auto got = verify_mode_decision(blue, other);
    REQUIRE_FALSE(got.ok());
    CHECK(got.error().code == ErrorCode::bad_signature);
  }
  // The unnamed cluster signs tag and payload alone, as before labels.
  const Bytes payload = encode_mode_decision_payload(decision);
  CHECK(mode_decision_message(payload, "").size() == sizeof("swell-mode-v1") + payload.size());
  CHECK(mode_decision_message(payload, "blue").size() == sizeof("swell-mode-v1") + 1 + 4 + payload.size());
}
