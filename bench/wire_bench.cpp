// The wire codec against the raw libsodium primitives on the same bytes: what does
// encoding, framing and decoding add on top of the authentication itself?
//
// Pairs (codec vs raw) for a ping, an ack and a full 1400-byte compound of signed
// alive claims. Run: build/bench/swell-wire-bench --benchmark_min_time=0.5
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <cstring>

#include "crypto/claim_auth.h"
#include "crypto/sealed_envelope.h"
#include "fixtures/sample_messages.h"
#include "wire/messages.h"

namespace {

using namespace swell;
using namespace swell::wire;

struct Pair {
  Identity a = fixtures::identity(1);
  Identity b = fixtures::identity(2);
  crypto::MacKey key = crypto::derive_mac_key(a, b.id()).value();
  crypto::SenderKey operator()(const SenderName& s) const {
    return {a.id(), (s.full ? s.id == a.id() : s.prefix == a.id().prefix64()) ? &key : nullptr};
  }
};

Pair& pair() {
  static Pair p;
  return p;
}

Bytes sealed_ping() {
  DatagramBuilder builder;
  builder.begin(false, pair().a.id(), 4321);
  Bytes body, out;
  encode_ping(body);
  builder.add(MessageKind::ping, body);
  crypto::seal_envelope(builder, pair().key, out);
  return out;
}

// Ping: build the envelope and authenticate it.
void BM_PingSeal(benchmark::State& state) {
  DatagramBuilder builder;
  Bytes body, out;
  std::uint64_t seq = 4321;
  for (auto _ : state) {
    builder.begin(false, pair().a.id(), seq);
    body.clear();
    encode_ping(body);
    builder.add(MessageKind::ping, body);
    crypto::seal_envelope(builder, pair().key, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_PingSeal);

// Raw: the same keyed BLAKE2b over the same envelope bytes.
void BM_PingSealRawMac(benchmark::State& state) {
  const Bytes datagram = sealed_ping();
  const ByteView envelope(datagram.data(), datagram.size() - kTagSize);
  std::uint8_t tag[kTagSize];
  for (auto _ : state) {
    crypto_generichash(tag, sizeof tag, envelope.data(), envelope.size(), pair().key.data(), pair().key.size());
    benchmark::DoNotOptimize(tag);
  }
}
BENCHMARK(BM_PingSealRawMac);

// Ping: split the envelope, find the key, verify, decode the body.
void BM_PingOpen(benchmark::State& state) {
  const Bytes datagram = sealed_ping();
  EnvelopeView env;
  const DecodeLimits limits;
  for (auto _ : state) {
    auto ok = crypto::open_envelope(datagram, 1400, limits, pair(), env);
    auto body = decode_ping(env.messages[0].body);
    benchmark::DoNotOptimize(ok.ok() && body.ok());
  }
}
BENCHMARK(BM_PingOpen);

// Raw: verify the same tag over the same bytes.
void BM_PingOpenRawMac(benchmark::State& state) {
  const Bytes datagram = sealed_ping();
  const ByteView envelope(datagram.data(), datagram.size() - kTagSize);
  const ByteView tag(datagram.data() + envelope.size(), kTagSize);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::verify_tag(pair().key, envelope, tag));
}
BENCHMARK(BM_PingOpenRawMac);

// A compound of signed alive claims filling the 1400-byte budget, as gossip sends it.
struct FullCompound {
  std::vector<Identity> authors;
  std::vector<Bytes> payloads;  // unsigned claim payloads, one per author
  std::vector<SignedClaim> claims;
  Bytes datagram;
  FullCompound() {
    DatagramBuilder builder(1400);
    builder.begin(false, pair().a.id(), 99);
    Bytes ping;
    encode_ping(ping);
    builder.add(MessageKind::ping, ping);
    for (std::uint8_t n = 10;; ++n) {
      Identity author = fixtures::identity(n);
      Bytes payload = encode_claim_payload(fixtures::alive(author, n));
      SignedClaim claim = crypto::sign_claim(author, payload);
      Bytes body;
      encode_signed_claim(claim, body);
      if (!builder.add(MessageKind::alive, body)) break;
      authors.push_back(std::move(author));
      payloads.push_back(std::move(payload));
      claims.push_back(std::move(claim));
    }
    crypto::seal_envelope(builder, pair().key, datagram);
  }
};

FullCompound& compound() {
  static FullCompound c;
  return c;
}

// What Ed25519 signs for each claim of the compound: the domain tag, then the payload.
std::vector<Bytes> signed_messages() {
  std::vector<Bytes> messages;
  for (const Bytes& p : compound().payloads) {
    Bytes m(sizeof "swell-claim-v1");
    std::memcpy(m.data(), "swell-claim-v1", m.size());
    m.insert(m.end(), p.begin(), p.end());
    messages.push_back(std::move(m));
  }
  return messages;
}

// Sign every claim, encode, pack into one datagram and authenticate it.
void BM_CompoundSignSeal(benchmark::State& state) {
  DatagramBuilder builder(1400);
  Bytes ping, body, out;
  encode_ping(ping);
  for (auto _ : state) {
    builder.begin(false, pair().a.id(), 99);
    builder.add(MessageKind::ping, ping);
    for (std::size_t i = 0; i < compound().authors.size(); ++i) {
      const SignedClaim claim = crypto::sign_claim(compound().authors[i], compound().payloads[i]);
      body.clear();
      encode_signed_claim(claim, body);
      builder.add(MessageKind::alive, body);
    }
    crypto::seal_envelope(builder, pair().key, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
  state.counters["claims"] = static_cast<double>(compound().claims.size());
}
BENCHMARK(BM_CompoundSignSeal);

// Raw: Ed25519-sign the same payloads (with the same domain tag) and MAC the same datagram.
void BM_CompoundSignSealRaw(benchmark::State& state) {
  const Bytes& datagram = compound().datagram;
  const std::vector<Bytes> messages = signed_messages();
  std::uint8_t tag[kTagSize];
  for (auto _ : state) {
    for (std::size_t i = 0; i < messages.size(); ++i) {
      benchmark::DoNotOptimize(compound().authors[i].sign(messages[i]));
    }
    crypto_generichash(tag, sizeof tag, datagram.data(), datagram.size() - kTagSize, pair().key.data(),
                       pair().key.size());
    benchmark::DoNotOptimize(tag);
  }
}
BENCHMARK(BM_CompoundSignSealRaw);

// Authenticate, split, and verify and decode every claim.
void BM_CompoundOpenVerify(benchmark::State& state) {
  const Bytes& datagram = compound().datagram;
  EnvelopeView env;
  const DecodeLimits limits;
  for (auto _ : state) {
    bool ok = crypto::open_envelope(datagram, 1400, limits, pair(), env).ok();
    for (std::size_t i = 1; i < env.messages.size(); ++i) {
      auto view = decode_signed_claim(env.messages[i].body);
      ok = ok && view.ok() && crypto::verify_claim(view.value(), limits).ok();
    }
    if (!ok) state.SkipWithError("compound did not verify");
  }
  state.counters["bytes"] = static_cast<double>(datagram.size());
}
BENCHMARK(BM_CompoundOpenVerify);

// Raw: verify the same MAC and the same Ed25519 signatures.
void BM_CompoundOpenVerifyRaw(benchmark::State& state) {
  const Bytes& datagram = compound().datagram;
  const std::vector<Bytes> messages = signed_messages();
  const ByteView envelope(datagram.data(), datagram.size() - kTagSize);
  const ByteView tag(datagram.data() + envelope.size(), kTagSize);
  for (auto _ : state) {
    bool ok = crypto::verify_tag(pair().key, envelope, tag);
    for (std::size_t i = 0; i < messages.size(); ++i) {
      ok = ok && crypto_sign_verify_detached(compound().claims[i].signature.data(), messages[i].data(),
                                             messages[i].size(), compound().authors[i].id().bytes().data()) == 0;
    }
    if (!ok) state.SkipWithError("raw verify failed");
  }
}
BENCHMARK(BM_CompoundOpenVerifyRaw);

// The pairwise key a member derives once per peer (X25519 agreement plus BLAKE2b):
// what a new peer costs, and what --auth fast skips in the simulator.
void BM_DeriveMacKey(benchmark::State& state) {
  for (auto _ : state) {
    auto key = crypto::derive_mac_key(pair().a, pair().b.id());
    benchmark::DoNotOptimize(key.value().data());
  }
}
BENCHMARK(BM_DeriveMacKey);

}  // namespace

BENCHMARK_MAIN();
