// Fuzzes the receive path of a datagram: decode_envelope, open_envelope (authenticator
// under a fixed pairwise key) and the decoder of every message kind inside.
//
// Each input is tried three times: as a whole datagram (its last 16 bytes are the tag,
// so only unmutated seeds pass the MAC), as an envelope the target seals itself with
// the right key, so mutated envelopes get past the MAC to the message decoders, and as
// the plaintext (kind || body) of an encrypted envelope (Config::encrypt) the target
// encrypts itself, so decode_plaintext sees every mutation too.
#include <cstddef>
#include <cstdint>

#include <sodium.h>

#include "crypto/claim_auth.h"
#include "crypto/sealed_envelope.h"
#include "fixed_peers.h"
#include "invariant.h"
#include "wire/claims.h"
#include "wire/envelope.h"
#include "wire/messages.h"

namespace {

using namespace swell;
using namespace swell::wire;

const DecodeLimits kLimits{};

// Known issue (found by this target, reproducer seeds/envelope/regression-leftover-messages):
// when a compound entry has an unknown or nested compound kind, decode_envelope returns
// early (lib/wire/envelope.cpp, the return inside the compound loop) and leaves the
// entries split before it in out.messages; crypto::open_envelope passes that through.
// Those failures are unknown_kind or bad_field_type. Set this to true once envelope.cpp
// clears the messages on every failure, as it does on its other error paths.
constexpr bool kEveryFailureClearsMessages = true;

bool may_leave_messages(const Error& error) {
  return !kEveryFailureClearsMessages &&
         (error.code == ErrorCode::unknown_kind || error.code == ErrorCode::bad_field_type);
}

struct Receiver {
  NodeId sender = fixtures::identity(fuzz::kSenderSeed).id();
  crypto::MacKey key = fuzz::pairwise_key();

  // The receiver knows exactly one member, by full id or by compact name.
  crypto::SenderKey key_for(const SenderName& name) const {
    if (name.full ? name.id == sender : name.prefix == sender.prefix64()) return {sender, &key};
    return {};
  }
};

const Receiver& receiver() {
  static const Receiver r;
  return r;
}

void decode_claim_message(ByteView body) {
  auto view = decode_signed_claim(body);
  if (!view.ok()) return;
  SWELL_FUZZ_REQUIRE(view.value().signature.size() == 64);
  SWELL_FUZZ_REQUIRE(fuzz::within(view.value().payload, body) && fuzz::within(view.value().signature, body));
  auto claim = crypto::verify_claim(view.value(), kLimits);
  if (!claim.ok()) return;
  auto payload = decode_claim_payload(view.value().payload, kLimits);
  SWELL_FUZZ_REQUIRE(payload.ok() && payload.value() == claim.value());
}

void decode_message(const MessageView& message) {
  switch (message.kind) {
    case MessageKind::ping:
      (void)decode_ping(message.body);
      break;
    case MessageKind::ping_req:
      if (auto req = decode_ping_req(message.body); req.ok()) {
        SWELL_FUZZ_REQUIRE(validate_address(req.value().target_address).ok());
      }
      break;
    case MessageKind::ack:
      (void)decode_ack(message.body);
      break;
    case MessageKind::nack:
      (void)decode_nack(message.body);
      break;
    case MessageKind::suspect:
    case MessageKind::alive:
    case MessageKind::dead:
    case MessageKind::leave:
    case MessageKind::majority_view:
      decode_claim_message(message.body);
      break;
    case MessageKind::push_pull_request:
    case MessageKind::push_pull_response:
      if (auto state = decode_push_pull(message.body, kLimits); state.ok()) {
        SWELL_FUZZ_REQUIRE(state.value().members.size() <= kLimits.max_members);
        for (const MemberRecord& m : state.value().members) {
          (void)crypto::verify_claim(crypto::view_of(m.alive), kLimits);
          if (m.status_claim) (void)crypto::verify_claim(crypto::view_of(*m.status_claim), kLimits);
        }
      }
      break;
    case MessageKind::compound:
      SWELL_FUZZ_REQUIRE(message.kind != MessageKind::compound);  // decode_envelope refuses nesting
      break;
  }
}

// What every successful split guarantees, whatever the bytes.
void check_split(ByteView bytes, const EnvelopeView& env) {
  SWELL_FUZZ_REQUIRE(bytes.size() <= kLimits.max_datagram_bytes);
  SWELL_FUZZ_REQUIRE(env.version == kProtocolVersion);
  SWELL_FUZZ_REQUIRE(env.authenticated.data() == bytes.data());
  SWELL_FUZZ_REQUIRE(env.authenticated.size() + kTagSize == bytes.size());
  SWELL_FUZZ_REQUIRE(env.tag.size() == kTagSize && env.tag.data() == bytes.data() + env.authenticated.size());
  SWELL_FUZZ_REQUIRE(!env.messages.empty() && env.messages.size() <= kLimits.max_messages);
  if (env.kind == MessageKind::compound) {
    for (const MessageView& m : env.messages) SWELL_FUZZ_REQUIRE(m.kind != MessageKind::compound);
  } else {
    SWELL_FUZZ_REQUIRE(env.messages.size() == 1 && env.messages[0].kind == env.kind);
  }
  for (const MessageView& m : env.messages) {
    SWELL_FUZZ_REQUIRE(!m.body.empty() && fuzz::within(m.body, env.authenticated));
    SWELL_FUZZ_REQUIRE(static_cast<std::uint8_t>(m.kind) >= 1 && static_cast<std::uint8_t>(m.kind) <= kMaxMessageKind);
  }
  if (env.sender.full) {
    SWELL_FUZZ_REQUIRE(env.sender.prefix == env.sender.id.prefix64());
  } else {
    SWELL_FUZZ_REQUIRE(env.sender.id.is_zero());
  }
}

// Splits and opens one datagram; decodes every message if it opens. tag_is_valid:
// the caller appended the right tag, so a known sender's datagram must open.
void receive(ByteView bytes, bool tag_is_valid, EnvelopeView& env) {
  const std::size_t max_bytes = kLimits.max_datagram_bytes;
  auto split = decode_envelope(bytes, max_bytes, kLimits, env);
  if (bytes.size() > max_bytes) SWELL_FUZZ_REQUIRE(!split.ok() && split.error().code == ErrorCode::oversized);
  if (split.ok()) {
    check_split(bytes, env);
    // One byte less of allowance must refuse the same datagram before reading it.
    EnvelopeView smaller;
    auto refused = decode_envelope(bytes, bytes.size() - 1, kLimits, smaller);
    SWELL_FUZZ_REQUIRE(!refused.ok() && refused.error().code == ErrorCode::oversized && smaller.messages.empty());
  } else {
    SWELL_FUZZ_REQUIRE(env.messages.empty() || may_leave_messages(split.error()));
  }
  const SenderName sender = env.sender;

  auto opened = crypto::open_envelope(
      bytes, max_bytes, kLimits, [](const SenderName& name) { return receiver().key_for(name); }, env);
  if (!split.ok()) {
    SWELL_FUZZ_REQUIRE(!opened.ok() && opened.error().code == split.error().code);
    return;
  }
  if (receiver().key_for(sender).key == nullptr) {
    SWELL_FUZZ_REQUIRE(!opened.ok() && opened.error().code == ErrorCode::unknown_sender);
    return;
  }
  if (!opened.ok()) {
    SWELL_FUZZ_REQUIRE(!tag_is_valid && opened.error().code == ErrorCode::bad_mac && env.messages.empty());
    return;
  }
  check_split(bytes, env);
  for (const MessageView& m : env.messages) decode_message(m);
}

// Encrypts plaintext as the sender would (version 2, compact sender name) and opens it
// at the receiver: it must open exactly when decode_plaintext accepts the plaintext,
// and a flipped ciphertext byte must never open.
void receive_encrypted(ByteView plaintext) {
  static const crypto::PairKey key = fuzz::aead_key();
  if (plaintext.empty() || plaintext.size() > 1200) return;
  const NodeId sender = receiver().sender;
  Bytes bytes = {0x94, kEncryptedVersion, 0xc4, 8};
  bytes.insert(bytes.end(), sender.bytes().begin(), sender.bytes().begin() + 8);
  bytes.push_back(0x07);  // seq 7
  bytes.push_back(0xc4);
  bytes.push_back(static_cast<std::uint8_t>(kNonceSize));
  bytes.insert(bytes.end(), kNonceSize, 0x5a);
  const std::size_t at = bytes.size();
  bytes.insert(bytes.end(), plaintext.begin(), plaintext.end());
  bytes.resize(bytes.size() + kTagSize);
  unsigned long long tag_length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt_detached(bytes.data() + at, bytes.data() + at + plaintext.size(),
                                                      &tag_length, bytes.data() + at, plaintext.size(), bytes.data(),
                                                      at, nullptr, bytes.data() + at - kNonceSize, key.data());
  auto lookup = [](const SenderName& name) {
    crypto::SenderKey found;
    if (name.prefix == receiver().sender.prefix64()) found = {receiver().sender, &key};
    return found;
  };
  EnvelopeView env;
  auto opened = crypto::open_envelope(bytes, kLimits.max_datagram_bytes, kLimits, lookup, env,
                                      crypto::ZeroTag::reject, crypto::Protection::aead);
  if (opened.ok()) {
    SWELL_FUZZ_REQUIRE(!env.messages.empty());
    for (const MessageView& m : env.messages) decode_message(m);
  } else {
    SWELL_FUZZ_REQUIRE(env.messages.empty() && opened.error().code != ErrorCode::bad_mac);
  }
  bytes[at] ^= 0x01;
  auto tampered = crypto::open_envelope(bytes, kLimits.max_datagram_bytes, kLimits, lookup, env,
                                        crypto::ZeroTag::reject, crypto::Protection::aead);
  SWELL_FUZZ_REQUIRE(!tampered.ok() && tampered.error().code == ErrorCode::bad_mac && env.messages.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  EnvelopeView env;  // reused for both tries, as receivers reuse theirs
  receive(ByteView(data, size), /*tag_is_valid=*/false, env);

  Bytes sealed(data, data + size);
  crypto::append_tag(receiver().key, sealed);
  receive(sealed, /*tag_is_valid=*/true, env);

  receive_encrypted(ByteView(data, size));
  return 0;
}
