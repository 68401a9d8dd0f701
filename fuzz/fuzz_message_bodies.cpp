// Fuzzes the unsigned message bodies: the first input byte picks the decoder (ping,
// ping-req, ack, nack, by its low two bits) and the rest is the body.
//
// Invariants: a ping body is accepted exactly when it is the one byte nil; ack and
// nack share one format; a decoded ping-req has a valid address; every decoded body
// re-encodes, no longer than the input, to one that decodes equal.
#include <cstddef>
#include <cstdint>

#include "invariant.h"
#include "wire/messages.h"

namespace {

using namespace swell;
using namespace swell::wire;

void fuzz_ping(ByteView body) {
  const bool accepted = decode_ping(body).ok();
  SWELL_FUZZ_REQUIRE(accepted == (body.size() == 1 && body[0] == 0xc0));
  if (!accepted) return;
  Bytes encoded;
  encode_ping(encoded);
  SWELL_FUZZ_REQUIRE(encoded.size() == 1 && encoded[0] == body[0]);
}

void fuzz_ping_req(ByteView body) {
  auto req = decode_ping_req(body);
  if (!req.ok()) return;
  SWELL_FUZZ_REQUIRE(validate_address(req.value().target_address).ok());
  Bytes encoded;
  encode_ping_req(req.value(), encoded);
  SWELL_FUZZ_REQUIRE(encoded.size() <= body.size());
  auto again = decode_ping_req(encoded);
  SWELL_FUZZ_REQUIRE(again.ok() && again.value() == req.value());
}

void fuzz_probe_reply(ByteView body, bool nack) {
  auto ack = decode_ack(body);
  auto nacked = decode_nack(body);
  SWELL_FUZZ_REQUIRE(ack.ok() == nacked.ok());
  if (!ack.ok()) {
    SWELL_FUZZ_REQUIRE(ack.error().code == nacked.error().code);
    return;
  }
  SWELL_FUZZ_REQUIRE(ack.value() == nacked.value());
  Bytes encoded;
  if (nack) encode_nack(nacked.value(), encoded); else encode_ack(ack.value(), encoded);
  SWELL_FUZZ_REQUIRE(encoded.size() <= body.size());
  auto again = nack ? decode_nack(encoded) : decode_ack(encoded);
  SWELL_FUZZ_REQUIRE(again.ok() && again.value() == ack.value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView body(data + 1, size - 1);
  switch (data[0] & 3) {
    case 0: fuzz_ping(body); break;
    case 1: fuzz_ping_req(body); break;
    case 2: fuzz_probe_reply(body, /*nack=*/false); break;
    default: fuzz_probe_reply(body, /*nack=*/true); break;
  }
  return 0;
}
