// A seed's answer to a join is bounded by Config::join_answer_records, and the joiner
// still ends with the whole table: its summary-first exchange with another member,
// started as soon as the answer turns out to be a sample, fetches the rest
// (docs/protocol.md, "Anti-entropy and join").
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

#include "swim/wiring.h"
#include "wire/decode_limits.h"
#include "wire/envelope.h"
#include "wire/messages.h"

namespace swell {
namespace {

using std::chrono::seconds;
using testing::Wiring;

/// The push-pull a stream message carries, decoded without checking its tag (the test
/// reads what went over the wire; the receiving node has already authenticated it).
wire::PushPullView push_pull_of(ByteView bytes, wire::EnvelopeView& envelope) {
  const wire::DecodeLimits limits;
  REQUIRE(wire::decode_envelope(bytes, limits.max_stream_bytes, limits, envelope).ok());
  REQUIRE(envelope.messages.size() == 1);
  auto view = wire::decode_push_pull_view(envelope.messages[0].body, limits);
  REQUIRE(view.ok());
  return view.value();
}

/// What the join answers of a run looked like.
struct JoinAnswers {
  std::size_t count = 0;        // join answers seen
  std::size_t max_records = 0;  // records in the largest
  std::size_t max_bytes = 0;    // bytes of the largest
};

void watch_join_answers(Wiring& w, JoinAnswers& seen) {
  w.observe_streams([&seen](std::size_t, std::size_t, ByteView request, ByteView answer) {
    wire::EnvelopeView request_envelope, answer_envelope;
    if (!push_pull_of(request, request_envelope).join) return;
    ++seen.count;
    seen.max_records = std::max(seen.max_records, push_pull_of(answer, answer_envelope).members.size());
    seen.max_bytes = std::max(seen.max_bytes, answer.size());
  });
}

/// Member i knows members 0 .. n-1 (itself included), all alive.
bool knows_all_alive(Wiring& w, std::size_t i, std::size_t n) {
  if (w.node(i).count(MemberState::alive) != n) return false;
  for (std::size_t j = 0; j < n; ++j) {
    if (j != i && w.state(i, j) != MemberState::alive) return false;
  }
  return true;
}

/// Starts a cluster of members 0 .. m-1 through member 0 and waits until it has converged.
void start_converged(Wiring& w, std::size_t m) {
  testing::start_cluster(w, m);
  REQUIRE(w.run_for(seconds(60), [&] {
    for (std::size_t i = 0; i < m; ++i) {
      if (!knows_all_alive(w, i, m)) return false;
    }
    return true;
  }));
}

/// A converged cluster of `members` joined through member 0; then one more member joins
/// through member 1, whose answer is a sample of `bound` records. Records when the
/// joiner's first rounds (digest only) were answered.
struct SampledJoin {
  SampledJoin(std::size_t members, std::size_t bound, std::uint64_t seed) : w(configs(members, bound), seed) {
    start_converged(w, members);
    w.observe_streams([this, members](std::size_t from, std::size_t, ByteView request, ByteView) {
      wire::EnvelopeView envelope;
      const wire::PushPullView view = push_pull_of(request, envelope);
      if (from == members && !view.join && view.members.empty() && view.wants_size() == 0) {
        exchanges.push_back(w.now());
      }
    });
    joined_at = w.now();
    REQUIRE(w.node(members).join({w.address(1)}, joined_at).ok());
    w.flush();
  }
  static std::vector<Config> configs(std::size_t members, std::size_t bound) {
    std::vector<Config> out(members + 1, Config::local());
    out[1].join_answer_records = bound;
    return out;
  }
  Wiring w;
  std::vector<Time> exchanges;
  Time joined_at{};
};

TEST_CASE("a seed of a large table answers a join with at most join_answer_records records") {
  constexpr std::size_t kMembers = 48, kBound = 8;
  Config config = Config::local();
  config.join_answer_records = kBound;
  Wiring w(kMembers + 1, config, 5);
  JoinAnswers seen;
  watch_join_answers(w, seen);
  start_converged(w, kMembers);  // the first 47 joins were bounded too
  CHECK(seen.count == kMembers - 1);
  CHECK(seen.max_records <= kBound);

  // One more member joins an existing 48-member cluster.
  seen = JoinAnswers{};
  const std::size_t joiner = kMembers;
  REQUIRE(w.node(joiner).join({w.address(0)}, w.now()).ok());
  w.flush();  // instant delivery: the join, its answer and the exchange that follows
  CHECK(seen.count == 1);
  CHECK(seen.max_records == kBound);  // the seed and 7 sampled members, of 49
  // Each record is a signed alive claim of ~150 bytes: the whole table would be ~7 KB.
  CHECK(seen.max_bytes < 2 * kBound * 150);
  // Yet the joiner holds the whole table at the same instant, as with a full answer.
  CHECK(knows_all_alive(w, joiner, kMembers + 1));
  // Its own record came back in the answer; that is no reason to refute.
  CHECK(w.node(joiner).stats().refutations == 0);
  CHECK(w.node(joiner).member(w.id(joiner))->incarnation == 1);
  // And the cluster learns of it by gossip.
  CHECK(w.run_for(seconds(10), [&] { return w.all_alive(); }));
}

TEST_CASE("a table no larger than join_answer_records goes whole, and no exchange follows") {
  constexpr std::size_t kMembers = 6;
  Config config = Config::local();
  config.join_answer_records = kMembers + 1;  // the seed's table once the joiner is in it
  Wiring w(kMembers + 1, config, 9);
  start_converged(w, kMembers);
  std::size_t streams_after_join = 0, records = 0;
  w.observe_streams([&](std::size_t from, std::size_t, ByteView request, ByteView answer) {
    wire::EnvelopeView request_envelope, answer_envelope;
    if (from != kMembers) return;
    ++streams_after_join;
    if (push_pull_of(request, request_envelope).join) records = push_pull_of(answer, answer_envelope).members.size();
  });
  REQUIRE(w.node(kMembers).join({w.address(0)}, w.now()).ok());
  w.flush();
  CHECK(records == kMembers + 1);
  CHECK(streams_after_join == 1);  // the join alone: the digests matched
  CHECK(knows_all_alive(w, kMembers, kMembers + 1));
}

TEST_CASE("a joiner whose catch-up brought hundreds of records exchanges again a quarter second later") {
  constexpr std::size_t kMembers = 300, kBound = 8;
  // The cluster joins through member 0 with the default bound; the joiner joins through
  // member 1, whose answer is a sample of 8, so its catch-up brings 292 records.
  SampledJoin j(kMembers, kBound, 13);
  Wiring& w = j.w;
  const std::size_t joiner = kMembers;
  const std::vector<Time>& exchanges = j.exchanges;
  const Time joined_at = j.joined_at;
  REQUIRE(exchanges.size() == 1);  // the catch-up: it brought 292 records, 256 or more
  CHECK(knows_all_alive(w, joiner, kMembers + 1));
  w.run_until(joined_at + std::chrono::milliseconds(600));
  // One follow-up at 250 ms; it found the tables nearly equal, so none at 500 ms (the
  // next is the first early exchange at 1 s, or a periodic one).
  REQUIRE(exchanges.size() >= 2);
  CHECK(exchanges[1] == joined_at + std::chrono::milliseconds(250));
  CHECK(std::count(exchanges.begin(), exchanges.end(), joined_at + std::chrono::milliseconds(500)) == 0);
}

TEST_CASE("an exchange that brought records soon after joining is repeated a second later") {
  constexpr std::size_t kMembers = 48, kBound = 8;
  SampledJoin j(kMembers, kBound, 17);
  Wiring& w = j.w;
  const std::vector<Time>& exchanges = j.exchanges;
  const Time joined_at = j.joined_at;
  REQUIRE(exchanges.size() == 1);  // the catch-up brought the 41 records the sample lacked
  w.run_until(joined_at + std::chrono::milliseconds(1500));
  // At 1 s the early exchange and the repeat of the catch-up; both found equal tables,
  // so nothing is repeated at 2 s beyond the early series' own exchange.
  CHECK(std::count(exchanges.begin(), exchanges.end(), joined_at + seconds(1)) == 2);
  w.run_until(joined_at + std::chrono::milliseconds(2500));
  CHECK(std::count(exchanges.begin(), exchanges.end(), joined_at + seconds(2)) == 1);
}

}  // namespace
}  // namespace swell
