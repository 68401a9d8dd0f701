// Suspicion: distinct confirmations, the shrinking deadline, the evidence it yields.
#include "swim/suspicion.h"

#include <doctest/doctest.h>

#include "fixtures/sample_messages.h"

namespace swell::swim {
namespace {

using std::chrono::seconds;

const NodeId& id(std::uint8_t n) {
  static std::array<NodeId, 8> ids = [] {
    std::array<NodeId, 8> out;
    for (std::uint8_t i = 0; i < out.size(); ++i) out[i] = fixtures::identity(static_cast<std::uint8_t>(i + 1)).id();
    return out;
  }();
  return ids[n];
}

// min 2 s, max 6 s: the timeout is 6 s with no confirmation and 2 s with 3.
Suspicion raised_at(Time t, int expected = 3) { return Suspicion(id(0), t, seconds(2), seconds(6), expected); }

TEST_CASE("with no confirmation the deadline is the maximum timeout from the start") {
  const Suspicion s = raised_at(Time(seconds(10)));
  CHECK(s.deadline() == Time(seconds(16)));
  CHECK(s.started() == Time(seconds(10)));
  CHECK(s.accuser() == id(0));
}

TEST_CASE("each distinct signer confirms once and moves the deadline earlier, down to the minimum") {
  Suspicion s = raised_at(Time(0));
  Time previous = s.deadline();
  for (std::uint8_t k = 1; k <= 3; ++k) {
    CHECK(s.confirm(id(k)));
    CHECK(s.deadline() < previous);
    previous = s.deadline();
  }
  CHECK(s.deadline() == Time(seconds(2)));  // the minimum, reached at `expected`
  CHECK_FALSE(s.confirm(id(4)));            // beyond expected: nothing changes
  CHECK(s.deadline() == Time(seconds(2)));
}

TEST_CASE("the accuser and repeated signers do not count") {
  Suspicion s = raised_at(Time(0));
  CHECK_FALSE(s.confirm(id(0)));  // the accuser's own second claim
  CHECK(s.deadline() == Time(seconds(6)));
  CHECK(s.confirm(id(1)));
  const Time after_one = s.deadline();
  CHECK_FALSE(s.confirm(id(1)));
  CHECK(s.deadline() == after_one);
  CHECK(s.signed_by(id(0)));
  CHECK(s.signed_by(id(1)));
  CHECK_FALSE(s.signed_by(id(2)));
}

TEST_CASE("one confirmation of three takes the logarithmic share of the span") {
  // Lifeguard: max - (max - min) * log(1 + 1) / log(3 + 1) = 6 - 4 * 0.5 = 4 s.
  Suspicion s = raised_at(Time(0));
  REQUIRE(s.confirm(id(1)));
  CHECK(s.deadline() == Time(seconds(4)));
}

TEST_CASE("expecting no confirmations starts at the minimum") {
  Suspicion s = raised_at(Time(0), 0);
  CHECK(s.deadline() == Time(seconds(2)));
  CHECK_FALSE(s.confirm(id(1)));
}

TEST_CASE("a restart after a successful final check gives a new period from now") {
  Suspicion s = raised_at(Time(0));
  REQUIRE(s.confirm(id(1)));
  s.begin_final_check();
  CHECK(s.in_final_check());
  s.restart(Time(seconds(30)));
  CHECK_FALSE(s.in_final_check());
  CHECK(s.started() == Time(seconds(30)));
  CHECK(s.deadline() == Time(seconds(34)));  // confirmations are kept
}

TEST_CASE("only a recent probe that failed after the suspicion began is fresh evidence") {
  Suspicion s = raised_at(Time(0));
  const Duration recent = seconds(1);
  CHECK_FALSE(s.has_fresh_evidence(Time(seconds(1)), recent));
  s.record_failed_probe(false, 2, Time(seconds(1)));  // the probe that raised it
  CHECK_FALSE(s.has_fresh_evidence(Time(seconds(1)), recent));
  s.record_failed_probe(true, 1, Time(seconds(2)));
  CHECK(s.has_fresh_evidence(Time(seconds(2)), recent));
  CHECK(s.has_fresh_evidence(Time(seconds(3)), recent));
  // Older than `recent`: the subject may have recovered from a stall since.
  CHECK_FALSE(s.has_fresh_evidence(Time(seconds(3) + std::chrono::milliseconds(1)), recent));
  // An answered probe outdates what we held.
  s.record_failed_probe(true, 1, Time(seconds(4)));
  s.record_answered_probe();
  CHECK_FALSE(s.has_fresh_evidence(Time(seconds(4)), recent));
}

TEST_CASE("evidence names the accuser, the confirmers, our probe and the verdict's author") {
  Suspicion s = raised_at(Time(seconds(5)));
  REQUIRE(s.confirm(id(2)));
  REQUIRE(s.confirm(id(3)));
  s.record_failed_probe(true, 4, Time(seconds(6)));
  s.record_failed_probe(true, 1, Time(seconds(7)));  // the most nacks seen is kept
  const FailureEvidence e = s.evidence(id(7), seconds(3), 2);
  CHECK(e.first_suspected_by == id(0));
  CHECK(e.confirmations == std::vector<NodeId>{id(2), id(3)});
  CHECK(e.nacks_seen == 4);
  CHECK(e.probed_by_us);
  CHECK(e.declared_by == id(7));
  CHECK(e.timeout_used == seconds(3));
  CHECK(e.local_health == 2);
  CHECK(e.suspected_at == Time(seconds(5)));
}

TEST_CASE("a verdict accepted without a suspicion names its author as accuser and declarer") {
  const FailureEvidence e = accepted_verdict_evidence(id(5), Time(seconds(9)), 1);
  CHECK(e.first_suspected_by == id(5));
  CHECK(e.declared_by == id(5));
  CHECK(e.confirmations.empty());
  CHECK_FALSE(e.probed_by_us);
  CHECK(e.timeout_used == Duration{0});
  CHECK(e.suspected_at == Time(seconds(9)));
  CHECK(e.local_health == 1);
}

TEST_CASE("the timer generation names the armed timer") {
  Suspicion s = raised_at(Time(0));
  CHECK(s.timer_generation() == 0);
  s.set_timer_generation(42);
  CHECK(s.timer_generation() == 42);
}

TEST_CASE("another member's verdict needs kVerdictQuorum distinct signers or our own failed probe") {
  Suspicion s = raised_at(Time(0), /*expected=*/1);
  CHECK_FALSE(s.accepts_verdict());  // the accuser alone
  CHECK(s.confirm(id(1)));
  CHECK_FALSE(s.confirm(id(2)));     // beyond Lifeguard's expected: no earlier deadline...
  CHECK_FALSE(s.accepts_verdict());
  CHECK_FALSE(s.confirm(id(2)));     // ...but remembered once for the quorum
  CHECK(s.signers().size() == 3);
  CHECK_FALSE(s.confirm(id(3)));
  CHECK(s.accepts_verdict());        // accuser + three more: four distinct signers
  CHECK(s.signers().size() == 4);
  CHECK_FALSE(s.confirm(id(4)));
  CHECK(s.signers().size() == 4);    // bounded: the wire may name any number
}

TEST_CASE("one signer repeating itself never makes a quorum") {
  Suspicion s = raised_at(Time(0));
  for (int i = 0; i < 10; ++i) (void)s.confirm(id(0));
  CHECK(s.signers().size() == 1);
  CHECK_FALSE(s.accepts_verdict());
}

TEST_CASE("our own failed probe lets us accept a verdict until the subject answers us") {
  Suspicion s = raised_at(Time(0));
  s.record_failed_probe(/*fresh=*/false, 0, Time(seconds(1)));
  CHECK(s.accepts_verdict());
  s.record_answered_probe();
  CHECK_FALSE(s.accepts_verdict());
  s.record_failed_probe(true, 1, Time(seconds(2)));
  CHECK(s.accepts_verdict());
  s.restart(Time(seconds(3)));  // it answered our final check
  CHECK_FALSE(s.accepts_verdict());
}

}  // namespace
}  // namespace swell::swim
