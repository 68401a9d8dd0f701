// DisseminationQueue: the retransmit limit, least-sent (then newest) first, the
// datagram's byte budget, invalidation of superseded claims, and the size cap.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "swim/dissemination_queue.h"
#include "wire/envelope.h"

namespace swell::swim {
namespace {

using wire::MessageKind;

NodeId node(std::uint8_t i) {
  std::array<std::uint8_t, NodeId::kSize> bytes{};
  bytes[0] = 0xa0;
  bytes[31] = i;
  return NodeId(bytes);
}

// A claim whose body is a msgpack bin8 of body_bytes bytes in all: 0xc4, the length,
// then the tag byte (to tell the claims apart in a datagram) and padding.
ClaimRef claim(std::uint8_t tag, MessageKind kind, std::uint8_t subject, std::uint64_t incarnation,
               std::uint8_t author = 0, std::size_t body_bytes = 120) {
  auto* c = new StoredClaim{};
  c->body.assign(body_bytes, 0x55);
  c->body[0] = 0xc4;
  c->body[1] = static_cast<std::uint8_t>(body_bytes - 2);
  c->body[2] = tag;
  c->body[3] = subject;
  c->kind = kind;
  c->subject = node(subject);
  c->author = node(kind == MessageKind::alive || kind == MessageKind::leave ? subject : author);
  c->incarnation = incarnation;
  return ClaimRef::take(c);
}

// One fill into a fresh datagram of budget bytes: the tags sent, in datagram order,
// decoded back out of the finished datagram.
struct Filled {
  std::size_t added = 0;
  std::size_t datagram_bytes = 0;
  std::vector<std::uint8_t> tags;
  std::vector<std::uint8_t> subjects;
};

Filled fill_one(DisseminationQueue& queue, std::size_t budget, int limit) {
  wire::DatagramBuilder builder(budget);
  builder.begin(/*full_sender=*/false, node(200), /*seq=*/7);
  Filled out;
  out.added = queue.fill(builder, limit);
  if (builder.count() == 0) return out;
  Bytes bytes;
  builder.finish(bytes);
  bytes.resize(bytes.size() + wire::kTagSize);  // the authenticator's place
  out.datagram_bytes = bytes.size();
  CHECK(out.datagram_bytes == builder.size());
  wire::DecodeLimits limits;
  limits.max_datagram_bytes = budget;
  wire::EnvelopeView view;
  REQUIRE(wire::decode_envelope(bytes, budget, limits, view).ok());
  for (const auto& m : view.messages) {
    REQUIRE(m.body.size() >= 3);
    out.tags.push_back(m.body[2]);
    out.subjects.push_back(m.body[3]);
  }
  CHECK(out.tags.size() == out.added);
  return out;
}

// The tags of the claims queued about subject, in send order, read from a copy of the
// queue drained into one large datagram (the queue itself is left as it was).
std::vector<std::uint8_t> queued_about(const DisseminationQueue& queue, std::uint8_t subject) {
  DisseminationQueue copy = queue;
  const Filled all = fill_one(copy, 65000, 1000);
  std::vector<std::uint8_t> tags;
  for (std::size_t k = 0; k < all.tags.size(); ++k) {
    if (all.subjects[k] == subject) tags.push_back(all.tags[k]);
  }
  return tags;
}

// Budgets for 120-byte claims: a datagram's fixed part is 30 bytes (header, compact
// sender, seq, 16-byte tag), each compound entry adds 2 and the array header 1.
constexpr std::size_t kRoomForOne = 200;    // 30 + 120 = 150; a second needs 275
constexpr std::size_t kRoomForThree = 400;  // 31 + 3 * 122 = 397

TEST_CASE("each claim is sent exactly retransmit_limit times, then leaves the queue") {
  for (const int limit : {1, 3, 12}) {
    CAPTURE(limit);
    DisseminationQueue queue(64);
    queue.enqueue(claim(1, MessageKind::alive, 1, 1));
    int sends = 0;
    for (int round = 0; round < limit + 5; ++round) {
      const Filled f = fill_one(queue, 1400, limit);
      sends += static_cast<int>(f.added);
      CHECK(queue.empty() == (sends == limit));
    }
    CHECK(sends == limit);
    CHECK(queue.size() == 0);
    CHECK(queue.drops() == 0);  // leaving after the last send is not a drop
  }
}

TEST_CASE("backlog keeps a storm's peak until the queue drains to a quarter of kCalm") {
  DisseminationQueue queue(1024);
  CHECK(queue.backlog() == 0);
  constexpr std::uint8_t kStorm = 200;
  for (std::uint8_t i = 1; i <= kStorm; ++i) queue.enqueue(claim(i, MessageKind::alive, i, 1));
  CHECK(queue.backlog() == kStorm);
  // Each claim sent once (limit 1) leaves the queue; the peak holds while it drains...
  while (queue.size() > DisseminationQueue::kCalm / 4 + 1) {
    fill_one(queue, kRoomForOne, 1);
    CHECK(queue.backlog() == (queue.size() > DisseminationQueue::kCalm / 4 ? kStorm : queue.size()));
  }
  CHECK(queue.backlog() == kStorm);
  // ... and is forgotten once it is down to kCalm / 4: the next claim is not a storm.
  fill_one(queue, kRoomForOne, 1);
  CHECK(queue.size() == DisseminationQueue::kCalm / 4);
  CHECK(queue.backlog() == queue.size());
  queue.enqueue(claim(250, MessageKind::alive, 250, 1));
  CHECK(queue.backlog() == DisseminationQueue::kCalm / 4 + 1);
}

TEST_CASE("first announcements leave at announcement_limit, other claims at retransmit_limit") {
  DisseminationQueue queue(64);
  queue.enqueue(claim(1, MessageKind::alive, 1, 1));    // a first announcement
  queue.enqueue(claim(2, MessageKind::alive, 2, 2));    // a refutation
  queue.enqueue(claim(3, MessageKind::suspect, 3, 1, 4));
  const Filled first = fill_one(queue, 1400, /*limit=*/3);
  CHECK(first.added == 3);
  wire::DatagramBuilder builder(1400);
  builder.begin(false, node(200), 8);
  CHECK(queue.fill(builder, 3, /*announcement_limit=*/2) == 3);
  CHECK(queue.size() == 2);  // the announcement was sent twice and left
  CHECK(queued_about(queue, 1).empty());
  CHECK(queued_about(queue, 2).size() == 1);
  CHECK(queued_about(queue, 3).size() == 1);
}

TEST_CASE("the least-sent claim goes first, the newest among equals") {
  DisseminationQueue queue(64);
  queue.enqueue(claim(1, MessageKind::alive, 1, 1));
  queue.enqueue(claim(2, MessageKind::alive, 2, 1));
  queue.enqueue(claim(3, MessageKind::alive, 3, 1));
  // One claim per datagram: the order of sends is the queue's order.
  const std::vector<std::uint8_t> expected = {3, 2, 1, 3, 2};
  std::vector<std::uint8_t> got;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Filled f = fill_one(queue, kRoomForOne, 10);
    REQUIRE(f.tags.size() == 1);
    got.push_back(f.tags[0]);
  }
  CHECK(got == expected);
  // Sends now: 3 and 2 twice, 1 once. A newcomer has been sent least: it jumps ahead
  // of claim 1, and once both are at one send it is still the newer.
  queue.enqueue(claim(4, MessageKind::alive, 4, 1));
  const std::vector<std::uint8_t> after = {4, 4, 1, 4, 3, 2, 1};
  got.clear();
  for (std::size_t i = 0; i < after.size(); ++i) {
    const Filled f = fill_one(queue, kRoomForOne, 10);
    REQUIRE(f.tags.size() == 1);
    got.push_back(f.tags[0]);
  }
  CHECK(got == after);
}

TEST_CASE("fill stops at the datagram's byte budget and leaves the rest for later") {
  DisseminationQueue queue(64);
  for (std::uint8_t i = 1; i <= 7; ++i) queue.enqueue(claim(i, MessageKind::alive, i, 1));
  const Filled first = fill_one(queue, kRoomForThree, 1);
  CHECK(first.added == 3);
  CHECK(first.datagram_bytes <= kRoomForThree);
  CHECK(first.tags == std::vector<std::uint8_t>{7, 6, 5});
  CHECK(queue.size() == 4);
  const Filled second = fill_one(queue, kRoomForThree, 1);
  CHECK(second.tags == std::vector<std::uint8_t>{4, 3, 2});
  const Filled third = fill_one(queue, kRoomForThree, 1);
  CHECK(third.tags == std::vector<std::uint8_t>{1});
  CHECK(queue.empty());

  SUBCASE("a claim larger than the room left is skipped, not sent past the budget") {
    DisseminationQueue q(64);
    q.enqueue(claim(1, MessageKind::alive, 1, 1, 0, 250));  // fits an empty 300-byte datagram
    q.enqueue(claim(2, MessageKind::alive, 2, 1, 0, 120));  // newest: first in line
    const Filled f = fill_one(q, 300, 5);
    CHECK(f.tags == std::vector<std::uint8_t>{2});  // 30 + 122 + 252 would exceed 300
    CHECK(f.datagram_bytes <= 300);
    CHECK(q.size() == 2);
    // Unsent, it still has its full count of sends: it goes first next time.
    const Filled next = fill_one(q, 1400, 5);
    CHECK(next.tags == std::vector<std::uint8_t>{1, 2});
    CHECK(q.drops() == 0);
  }
  SUBCASE("a datagram with no room takes nothing and counts no send") {
    DisseminationQueue q(64);
    q.enqueue(claim(1, MessageKind::alive, 1, 1));
    CHECK(fill_one(q, 100, 1).added == 0);
    CHECK(q.size() == 1);
  }
}

TEST_CASE("supersedes: newer incarnation, then stronger state, at equal incarnation") {
  struct Case {
    const char* what;
    ClaimRef newer, older;
    bool expected;
  };
  const Case cases[] = {
      {"alive 2 over alive 1", claim(1, MessageKind::alive, 1, 2), claim(2, MessageKind::alive, 1, 1), true},
      {"alive 1 not over alive 2", claim(1, MessageKind::alive, 1, 1), claim(2, MessageKind::alive, 1, 2), false},
      {"suspect 3 over alive 3", claim(1, MessageKind::suspect, 1, 3, 9), claim(2, MessageKind::alive, 1, 3), true},
      {"alive 3 not over suspect 3", claim(1, MessageKind::alive, 1, 3), claim(2, MessageKind::suspect, 1, 3, 9),
       false},
      {"alive 4 over suspect 3 (refutation)", claim(1, MessageKind::alive, 1, 4),
       claim(2, MessageKind::suspect, 1, 3, 9), true},
      {"dead 3 over suspect 3", claim(1, MessageKind::dead, 1, 3, 9), claim(2, MessageKind::suspect, 1, 3, 9), true},
      {"suspect 3 not over dead 3", claim(1, MessageKind::suspect, 1, 3, 9), claim(2, MessageKind::dead, 1, 3, 9),
       false},
      {"leave 3 over alive 3", claim(1, MessageKind::leave, 1, 3), claim(2, MessageKind::alive, 1, 3), true},
      {"suspect 5 over dead 4", claim(1, MessageKind::suspect, 1, 5, 9), claim(2, MessageKind::dead, 1, 4, 9), true},
      {"suspicions by two members are separate confirmations", claim(1, MessageKind::suspect, 1, 3, 8),
       claim(2, MessageKind::suspect, 1, 3, 9), false},
      {"the same member's suspicion twice is a duplicate", claim(1, MessageKind::suspect, 1, 3, 9),
       claim(2, MessageKind::suspect, 1, 3, 9), true},
      {"another subject never", claim(1, MessageKind::dead, 2, 9, 9), claim(2, MessageKind::alive, 1, 1), false},
      {"view epoch 2 over view epoch 1", claim(1, MessageKind::majority_view, 1, 2, 1),
       claim(2, MessageKind::majority_view, 1, 1, 1), true},
      {"an alive claim is not over a view", claim(1, MessageKind::alive, 1, 9),
       claim(2, MessageKind::majority_view, 1, 1, 1), false},
      {"a view is not over an alive claim", claim(1, MessageKind::majority_view, 1, 9, 1),
       claim(2, MessageKind::alive, 1, 1), false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    CHECK(supersedes(*c.newer, *c.older) == c.expected);
  }
}

TEST_CASE("a superseded claim leaves the queue; a superseded newcomer is ignored") {
  DisseminationQueue queue(64);
  queue.enqueue(claim(1, MessageKind::alive, 1, 1));
  queue.enqueue(claim(9, MessageKind::alive, 2, 1));  // another subject: untouched throughout
  auto tags_about = [&](std::uint8_t subject) { return queued_about(queue, subject); };

  queue.enqueue(claim(2, MessageKind::alive, 1, 2));  // newer incarnation
  CHECK(tags_about(1) == std::vector<std::uint8_t>{2});
  queue.enqueue(claim(3, MessageKind::alive, 1, 1));  // older: ignored
  CHECK(tags_about(1) == std::vector<std::uint8_t>{2});
  queue.enqueue(claim(4, MessageKind::suspect, 1, 2, 7));  // stronger state, same incarnation
  CHECK(tags_about(1) == std::vector<std::uint8_t>{4});
  queue.enqueue(claim(5, MessageKind::suspect, 1, 2, 8));  // a second accuser: both kept
  CHECK(queued_about(queue, 1).size() == 2);
  queue.enqueue(claim(6, MessageKind::suspect, 1, 2, 8));  // that accuser again: ignored
  CHECK(queued_about(queue, 1).size() == 2);
  queue.enqueue(claim(7, MessageKind::dead, 1, 2, 7));  // the verdict replaces both suspicions
  CHECK(tags_about(1) == std::vector<std::uint8_t>{7});
  queue.enqueue(claim(8, MessageKind::alive, 1, 3));  // it came back with a higher incarnation
  CHECK(tags_about(1) == std::vector<std::uint8_t>{8});

  CHECK(tags_about(2) == std::vector<std::uint8_t>{9});
  CHECK(queue.size() == 2);
  CHECK(queue.drops() == 0);  // superseded claims are not drops

  // Only the replacement is ever sent.
  const Filled f = fill_one(queue, 1400, 1);
  CHECK(f.tags == std::vector<std::uint8_t>{8, 9});
  CHECK(queue.empty());
}

TEST_CASE("the same claim queued twice is sent as one") {
  DisseminationQueue queue(64);
  const ClaimRef c = claim(1, MessageKind::alive, 1, 1);
  queue.enqueue(c);
  queue.enqueue(c);
  CHECK(queue.size() == 1);
  CHECK(fill_one(queue, 1400, 1).tags == std::vector<std::uint8_t>{1});
  CHECK(queue.empty());
}

TEST_CASE("a full queue drops the most-sent, oldest claim and counts it") {
  DisseminationQueue queue(3);
  for (std::uint8_t i = 1; i <= 3; ++i) queue.enqueue(claim(i, MessageKind::alive, i, 1));
  CHECK(queue.drops() == 0);
  SUBCASE("all unsent: the oldest goes") {
    queue.enqueue(claim(4, MessageKind::alive, 4, 1));
    queue.enqueue(claim(5, MessageKind::alive, 5, 1));
    CHECK(queue.size() == 3);
    CHECK(queue.drops() == 2);
    CHECK(queued_about(queue, 1).empty());
    CHECK(queued_about(queue, 2).empty());
    CHECK(fill_one(queue, 1400, 1).tags == std::vector<std::uint8_t>{5, 4, 3});
  }
  SUBCASE("the most-sent goes before an older but less-sent one") {
    REQUIRE(fill_one(queue, kRoomForOne, 10).tags == std::vector<std::uint8_t>{3});  // 3 sent once
    queue.enqueue(claim(4, MessageKind::alive, 4, 1));
    CHECK(queue.size() == 3);
    CHECK(queue.drops() == 1);
    CHECK(queued_about(queue, 3).empty());
    CHECK(queued_about(queue, 1).size() == 1);
  }
  SUBCASE("a long stream stays bounded and every drop is counted") {
    for (std::uint8_t i = 10; i < 110; ++i) {
      queue.enqueue(claim(i, MessageKind::alive, i, 1));
      CHECK(queue.size() <= 3);
    }
    CHECK(queue.size() == 3);
    CHECK(queue.drops() == 100);
  }
}

// fill() gives up after a few claims that did not fit, so claims that fit no datagram
// at all would keep the front of the order for ever and starve the rest: a claim that
// does not fit an otherwise empty datagram is dropped (and counted) instead.
TEST_CASE("claims that fit no datagram do not starve the others") {
  DisseminationQueue queue(64);
  queue.enqueue(claim(1, MessageKind::alive, 1, 1));
  REQUIRE(fill_one(queue, 1400, 3).tags == std::vector<std::uint8_t>{1});  // sent once: 2 to go
  // Eight claims larger than the whole datagram arrive (say from a member whose
  // max_datagram_bytes is larger, or relayed into a datagram with less room).
  for (std::uint8_t i = 10; i < 18; ++i) queue.enqueue(claim(i, MessageKind::alive, i, 1, 0, 250));
  int sends_of_1 = 1;
  for (int round = 0; round < 10; ++round) {
    for (const std::uint8_t tag : fill_one(queue, kRoomForOne, 3).tags) sends_of_1 += tag == 1;
  }
  CHECK(sends_of_1 == 3);
  CHECK(queue.drops() == 8);
  CHECK(queue.empty());
}

}  // namespace
}  // namespace swell::swim
