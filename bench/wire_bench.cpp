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

// --- Config::encrypt: the same datagrams authenticated only (Mac) and encrypted (Aead) ---
// Each pair builds the envelope from already-encoded bodies and seals it (or opens and
// splits it), so the difference is the cipher and the 26-byte nonce; "bytes" is the
// datagram's size. A 1400-byte budget holds 26 bytes less of claims when encrypted.
struct AeadPair {
  crypto::PairKey key = crypto::derive_pair_key(pair().a, pair().b.id(), {"", crypto::KeyPurpose::aead}).value();
  crypto::NonceSequence nonces{1, 2, pair().a.id()};
  crypto::SenderKey operator()(const SenderName& s) const {
    return {pair().a.id(), (s.full ? s.id == pair().a.id() : s.prefix == pair().a.id().prefix64()) ? &key : nullptr};
  }
};

AeadPair& aead() {
  static AeadPair p;
  return p;
}

// Fills builder with a ping (kind 0) or with as many signed alive claims as fit (kind 1).
void fill(DatagramBuilder& builder, int kind) {
  static const Bytes ping = [] { Bytes b; encode_ping(b); return b; }();
  static const std::vector<Bytes> claims = [] {
    std::vector<Bytes> out;
    for (std::uint8_t i = 10; i < 40; ++i) {
      const Identity author = fixtures::identity(i);
      Bytes body;
      encode_signed_claim(fixtures::signed_claim(author, fixtures::alive(author, 3)), body);
      out.push_back(std::move(body));
    }
    return out;
  }();
  builder.begin(false, pair().a.id(), 4321);
  if (kind == 0) {
    builder.add(MessageKind::ping, ping);
    return;
  }
  for (const Bytes& c : claims) {
    if (!builder.add(MessageKind::alive, c)) break;
  }
}

Bytes sealed_as(int kind, bool encrypted) {
  DatagramBuilder builder(1400, encrypted);
  fill(builder, kind);
  Bytes out;
  if (encrypted) crypto::seal_envelope(builder, aead().key, out, &aead().nonces);
  else crypto::seal_envelope(builder, pair().key, out);
  return out;
}

void seal_bench(benchmark::State& state, bool encrypted) {
  const int kind = static_cast<int>(state.range(0));
  DatagramBuilder builder(1400, encrypted);
  fill(builder, kind);
  Bytes out;
  for (auto _ : state) {
    if (encrypted) crypto::seal_envelope(builder, aead().key, out, &aead().nonces);
    else crypto::seal_envelope(builder, pair().key, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
  state.counters["messages"] = static_cast<double>(builder.count());
}

void open_bench(benchmark::State& state, bool encrypted) {
  const int kind = static_cast<int>(state.range(0));
  const Bytes datagram = sealed_as(kind, encrypted);
  EnvelopeView env;
  const DecodeLimits limits;
  for (auto _ : state) {
    auto ok = encrypted ? crypto::open_envelope(datagram, 1400, limits, aead(), env, crypto::ZeroTag::reject,
                                                crypto::Protection::aead)
                        : crypto::open_envelope(datagram, 1400, limits, pair(), env);
    benchmark::DoNotOptimize(ok.ok());
  }
  state.counters["bytes"] = static_cast<double>(datagram.size());
  state.counters["messages"] = static_cast<double>(env.messages.size());
}

// Argument 0: a ping; 1: a full compound of alive claims.
void BM_SealMac(benchmark::State& state) { seal_bench(state, false); }
void BM_SealAead(benchmark::State& state) { seal_bench(state, true); }
void BM_OpenMac(benchmark::State& state) { open_bench(state, false); }
void BM_OpenAead(benchmark::State& state) { open_bench(state, true); }
BENCHMARK(BM_SealMac)->Arg(0)->Arg(1);
BENCHMARK(BM_SealAead)->Arg(0)->Arg(1);
BENCHMARK(BM_OpenMac)->Arg(0)->Arg(1);
BENCHMARK(BM_OpenAead)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
