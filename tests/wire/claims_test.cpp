#include <doctest/doctest.h>

#include "fixtures/sample_messages.h"
#include "wire/claims.h"

using namespace swell;
using namespace swell::wire;

namespace {

Claim round_trip(const Claim& claim) {
  const Bytes payload = encode_claim_payload(claim);
  auto decoded = decode_claim_payload(payload, DecodeLimits{});
  REQUIRE_MESSAGE(decoded.ok(), decoded.error().message);
  return decoded.value();
}

}  // namespace

TEST_CASE("every claim kind round-trips through its payload") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  const AliveClaim alive = fixtures::alive(a, 7);
  CHECK(std::get<AliveClaim>(round_trip(alive)) == alive);
  const SuspectClaim suspect{a.id(), b.id(), 3};
  CHECK(std::get<SuspectClaim>(round_trip(suspect)) == suspect);
  const DeadClaim dead{b.id(), a.id(), 0xffffffffffull};
  CHECK(std::get<DeadClaim>(round_trip(dead)) == dead);
  const DeadClaim hold{b.id(), a.id(), 5, true};
  CHECK(std::get<DeadClaim>(round_trip(hold)) == hold);
  DeadClaim retire{b.id(), a.id(), 5};
  retire.retired = true;
  CHECK(std::get<DeadClaim>(round_trip(retire)) == retire);
  // A plain verdict keeps its four fields; a hold-down or a force-leave carries a fifth.
  CHECK(encode_claim_payload(dead)[0] == 0x94);
  CHECK(encode_claim_payload(hold)[0] == 0x95);
  CHECK(encode_claim_payload(hold).back() == 0x01);
  CHECK(encode_claim_payload(retire).back() == 0x02);
  const LeaveClaim leave{a.id(), 9};
  CHECK(std::get<LeaveClaim>(round_trip(leave)) == leave);
  MajorityViewClaim view{a.id(), 42, {fixtures::peer_info(a, 1), fixtures::peer_info(b, 2, 0)}};
  view.view[1].node_type = NodeType::governator;
  view.view[1].is_load_balancer = true;
  CHECK(std::get<MajorityViewClaim>(round_trip(view)) == view);
}

TEST_CASE("kind_of and author_of name the claim's kind and signer") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  CHECK(kind_of(fixtures::alive(a, 1)) == MessageKind::alive);
  CHECK(author_of(fixtures::alive(a, 1)) == a.id());
  CHECK(author_of(SuspectClaim{b.id(), a.id(), 1}) == b.id());
  CHECK(author_of(LeaveClaim{a.id(), 1}) == a.id());
  CHECK(kind_of(DeadClaim{b.id(), a.id(), 1}) == MessageKind::dead);
}

TEST_CASE("claim payload decode errors are typed") {
  const Identity a = fixtures::identity(1);
  const Identity b = fixtures::identity(2);
  const DecodeLimits limits;
  SUBCASE("self accusation") {
    const auto r = decode_claim_payload(encode_claim_payload(SuspectClaim{a.id(), a.id(), 1}), limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_field_type);
  }
  SUBCASE("metadata over the limit") {
    AliveClaim big = fixtures::alive(a, 1);
    big.info.metadata.assign(600, 1);
    const auto r = decode_claim_payload(encode_claim_payload(big), limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::oversized);
  }
  SUBCASE("invalid PeerInfo inside an alive") {
    AliveClaim bad = fixtures::alive(a, 1);
    bad.info.address = "nowhere";
    const auto r = decode_claim_payload(encode_claim_payload(bad), limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::invalid_peer_info);
  }
  SUBCASE("an agreement key that is not 32 bytes") {
    Bytes payload = encode_claim_payload(fixtures::alive(a, 1));
    REQUIRE(payload[payload.size() - 33] == 0x20);  // bin8 length of the last field
    payload[payload.size() - 33] = 0x1f;
    payload.pop_back();
    const auto r = decode_claim_payload(payload, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("agreement_key") != std::string::npos);
  }
  SUBCASE("an alive claim without its agreement key (the old 11 fields)") {
    Bytes payload = encode_claim_payload(fixtures::alive(a, 1));
    payload.resize(payload.size() - 34);
    payload[0] = 0x9b;  // fixarray of 11
    const auto r = decode_claim_payload(payload, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("12 fields") != std::string::npos);
  }
  SUBCASE("a dead cause other than 1 or 2") {
    Bytes payload = encode_claim_payload(DeadClaim{a.id(), b.id(), 1, true});
    payload.back() = 0x00;  // cause 0 must be written as a four-field claim
    auto r = decode_claim_payload(payload, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_field_type);
    payload.back() = 0x03;  // no such cause
    r = decode_claim_payload(payload, limits);
    REQUIRE_FALSE(r.ok());
  }
  SUBCASE("not a claim kind") {
    const Bytes payload{0x93, 0x01, 0x01, 0x01};  // [ping, 1, 1]
    const auto r = decode_claim_payload(payload, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::unknown_kind);
  }
  SUBCASE("wrong arity for the kind") {
    Bytes payload = encode_claim_payload(LeaveClaim{a.id(), 1});
    payload[0] = 0x94;  // claim 4 fields
    payload.push_back(0x00);
    const auto r = decode_claim_payload(payload, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::bad_field_type);
  }
  SUBCASE("truncated") {
    Bytes payload = encode_claim_payload(DeadClaim{a.id(), b.id(), 1});
    payload.resize(payload.size() - 1);
    const auto r = decode_claim_payload(payload, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::truncated);
  }
  SUBCASE("majority view over max_view_entries") {
    MajorityViewClaim view{a.id(), 1, {}};
    for (int i = 0; i < 5; ++i) view.view.push_back(fixtures::peer_info(a, 1, 0));
    DecodeLimits small;
    small.max_view_entries = 4;
    const auto r = decode_claim_payload(encode_claim_payload(view), small);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::oversized);
  }
}
