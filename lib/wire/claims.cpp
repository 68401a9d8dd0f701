#include "wire/claims.h"

#include "wire/msgpack_reader.h"
#include "wire/msgpack_writer.h"
#include "wire/peer_info_codec.h"

namespace swell::wire {
namespace {

struct PayloadPacker {
  Packer& packer;
  void operator()(const AliveClaim& c) const {
    // A certificate adds a thirteenth field; without one the claim is as it always was.
    packer.pack_array(c.certificate.empty() ? 12 : 13);
    packer.pack_uint8(static_cast<std::uint8_t>(MessageKind::alive));
    pack_node_id(packer, c.info.owner);
    packer.pack_uint64(c.info.version);
    pack_str(packer, c.swim_address);
    pack_announced_fields(packer, c.info);
    pack_bin(packer, c.info.metadata);
    if (!c.certificate.empty()) pack_bin(packer, c.certificate);
    // Last, so a stored claim can point at it (swim::StoredClaim::agreement_key).
    pack_bin(packer, ByteView(c.agreement_key));
  }
  void operator()(const SuspectClaim& c) const { accusation(MessageKind::suspect, c.author, c.subject, c.incarnation); }
  void operator()(const DeadClaim& c) const {
    // A plain verdict keeps the four fields it always had; a hold-down (cause 1) or a
    // force-leave (cause 2) adds a fifth.
    const int cause = c.degraded ? 1 : c.retired ? 2 : 0;
    accusation(MessageKind::dead, c.author, c.subject, c.incarnation, cause != 0 ? 5 : 4);
    if (cause != 0) packer.pack_uint8(static_cast<std::uint8_t>(cause));
  }
  void operator()(const LeaveClaim& c) const {
    packer.pack_array(3);
    packer.pack_uint8(static_cast<std::uint8_t>(MessageKind::leave));
    pack_node_id(packer, c.subject);
    packer.pack_uint64(c.incarnation);
  }
  void operator()(const MajorityViewClaim& c) const {
    packer.pack_array(4);
    packer.pack_uint8(static_cast<std::uint8_t>(MessageKind::majority_view));
    pack_node_id(packer, c.author);
    packer.pack_uint64(c.epoch);
    packer.pack_array(static_cast<std::uint32_t>(c.view.size()));
    for (const PeerInfo& info : c.view) pack_peer_info(packer, info);
  }
  void operator()(const RevocationClaim& c) const {
    packer.pack_array(4);
    packer.pack_uint8(static_cast<std::uint8_t>(MessageKind::revocation));
    pack_node_id(packer, c.author);
    pack_node_id(packer, c.subject);
    packer.pack_uint64(c.issued_unix_ms);
  }
  void operator()(const RotationClaim& c) const {
    packer.pack_array(6);
    packer.pack_uint8(static_cast<std::uint8_t>(MessageKind::rotation));
    pack_node_id(packer, c.author);
    pack_node_id(packer, c.successor);
    packer.pack_uint64(c.incarnation);
    pack_bin(packer, c.successor_alive);
    pack_bin(packer, ByteView(c.consent));
  }
  void accusation(MessageKind kind, const NodeId& author, const NodeId& subject, std::uint64_t incarnation,
                  std::uint32_t arity = 4) const {
    packer.pack_array(arity);
    packer.pack_uint8(static_cast<std::uint8_t>(kind));
    pack_node_id(packer, author);
    pack_node_id(packer, subject);
    packer.pack_uint64(incarnation);
  }
};

template <class Accusation>
Accusation read_accusation(MsgpackReader& reader) {
  Accusation c{};
  c.author = read_node_id(reader, "claim author");
  c.subject = read_node_id(reader, "claim subject");
  c.incarnation = reader.uint_at_most(kMaxIncarnation, "claim incarnation");
  if (reader.ok() && c.author == c.subject) {
    reader.fail(ErrorCode::bad_field_type, "a member cannot accuse itself; claim dropped");
  }
  return c;
}

// A verdict names cause 1 (degraded) or 2 (retired) in a fifth field; a plain one has none.
DeadClaim read_dead_claim(MsgpackReader& reader, bool has_cause) {
  DeadClaim c = read_accusation<DeadClaim>(reader);
  if (!has_cause) return c;
  const std::uint64_t cause = reader.uint_at_most(2, "dead cause");
  if (reader.ok() && cause == 0) {
    reader.fail(ErrorCode::bad_field_type, "dead cause 0 is written as a four-field claim; claim dropped");
  }
  c.degraded = cause == 1;
  c.retired = cause == 2;
  return c;
}

RevocationClaim read_revocation(MsgpackReader& reader) {
  RevocationClaim c{};
  c.author = read_node_id(reader, "revocation author");
  c.subject = read_node_id(reader, "revocation subject");
  c.issued_unix_ms = reader.uint("revocation issued_unix_ms");
  if (reader.ok() && c.author == c.subject) {
    reader.fail(ErrorCode::bad_field_type, "a CA key cannot revoke itself; claim dropped");
  }
  return c;
}

AliveClaim read_alive_claim(MsgpackReader& reader, const DecodeLimits& limits, bool has_certificate);

RotationClaim read_rotation(MsgpackReader& reader, const DecodeLimits& limits) {
  RotationClaim c{};
  c.author = read_node_id(reader, "rotation author");
  c.successor = read_node_id(reader, "rotation successor");
  c.incarnation = reader.uint_at_most(kMaxIncarnation, "rotation incarnation");
  const ByteView successor_alive = reader.bin("rotation successor_alive");
  const ByteView consent = reader.bin_of(c.consent.size(), "rotation consent");
  if (!reader.ok()) return c;
  if (c.author == c.successor) {
    reader.fail(ErrorCode::bad_field_type, "a key cannot be its own successor; claim dropped");
    return c;
  }
  // Only the shape here (an alive claim of the successor); its signature and the
  // consent are checked where claims are verified (crypto::verify_rotation).
  auto inner = decode_signed_claim(successor_alive);
  // The kind first: a rotation nested in a rotation is refused without decoding it.
  MsgpackReader peek(inner.ok() ? inner.value().payload : ByteView{});
  peek.array();
  const bool is_alive = inner.ok() && peek.uint("claim kind") == static_cast<std::uint64_t>(MessageKind::alive) &&
                        peek.ok();
  auto alive = is_alive ? decode_claim_payload(inner.value().payload, limits)
                        : Result<Claim>(Error{ErrorCode::bad_field_type, "not an alive claim"});
  if (!alive.ok() || !std::holds_alternative<AliveClaim>(alive.value()) ||
      std::get<AliveClaim>(alive.value()).info.owner != c.successor) {
    reader.fail(ErrorCode::bad_field_type, "rotation successor_alive is not an alive claim of the successor" +
                                               (alive.ok() ? std::string() : ": " + alive.error().message));
    return c;
  }
  c.successor_alive.assign(successor_alive.begin(), successor_alive.end());
  std::copy(consent.begin(), consent.end(), c.consent.begin());
  return c;
}

AliveClaim read_alive_claim(MsgpackReader& reader, const DecodeLimits& limits, bool has_certificate) {
  AliveClaim c;
  c.info.owner = read_node_id(reader, "alive author");
  c.info.version = reader.uint_at_most(kMaxIncarnation, "alive incarnation");
  const std::string_view swim_address = reader.str("alive swim_address");
  read_announced_fields(reader, c.info);
  read_metadata(reader, c.info, limits.peer_info);
  const ByteView certificate = has_certificate ? reader.bin("alive certificate") : ByteView{};
  const ByteView agreement_key = reader.bin_of(c.agreement_key.size(), "alive agreement_key");
  if (reader.ok()) {
    std::copy(agreement_key.begin(), agreement_key.end(), c.agreement_key.begin());
    if (auto valid = validate_address(swim_address); !valid.ok()) {
      reader.fail(ErrorCode::invalid_peer_info, "alive swim_address: " + valid.error().message);
    }
    c.swim_address.assign(swim_address);
  }
  if (reader.ok() && has_certificate) {
    // Only its shape is checked here; whether its CA is trusted and its signature holds
    // is each receiver's admission decision (swim::Admission).
    if (auto cert = decode_certificate(certificate); !cert.ok()) {
      reader.fail(ErrorCode::bad_field_type, "alive certificate: " + cert.error().message);
    }
    c.certificate.assign(certificate.begin(), certificate.end());
  }
  check_peer_info(reader, c.info, limits.peer_info);
  return c;
}

}  // namespace

MessageKind kind_of(const Claim& claim) {
  constexpr MessageKind kinds[] = {MessageKind::alive, MessageKind::suspect, MessageKind::dead, MessageKind::leave,
                                   MessageKind::majority_view, MessageKind::revocation, MessageKind::rotation};
  return kinds[claim.index()];
}

const NodeId& author_of(const Claim& claim) {
  return std::visit(
      [](const auto& c) -> const NodeId& {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, AliveClaim>) return c.info.owner;
        else if constexpr (std::is_same_v<T, LeaveClaim>) return c.subject;
        else return c.author;
      },
      claim);
}

Bytes encode_claim_payload(const Claim& claim) {
  Bytes out;
  ByteSink sink(out);
  Packer packer(sink);
  std::visit(PayloadPacker{packer}, claim);
  return out;
}

Result<Claim> decode_claim_payload(ByteView payload, const DecodeLimits& limits) {
  MsgpackReader reader(payload);
  const std::uint32_t arity = reader.array_between(3, 13, "claim payload");
  const auto kind = static_cast<MessageKind>(reader.uint_at_most(kMaxMessageKind, "claim kind"));
  if (!reader.ok()) return reader.error();
  auto arity_is = [&](std::uint32_t expected) {
    if (arity != expected) {
      reader.fail(ErrorCode::bad_field_type, std::string(to_string(kind)) + " claim must have " +
                                                 std::to_string(expected) + " fields, found " + std::to_string(arity));
    }
    return reader.ok();
  };
  Claim claim = LeaveClaim{};
  switch (kind) {
    case MessageKind::alive: {
      if (arity != 13 && !arity_is(12)) break;
      claim = read_alive_claim(reader, limits, arity == 13);
      break;
    }
    case MessageKind::suspect:
      if (arity_is(4)) claim = read_accusation<SuspectClaim>(reader);
      break;
    case MessageKind::dead: {
      if (arity != 5 && !arity_is(4)) break;
      claim = read_dead_claim(reader, arity == 5);
      break;
    }
    case MessageKind::leave: {
      if (!arity_is(3)) break;
      LeaveClaim c{};
      c.subject = read_node_id(reader, "leave author");
      c.incarnation = reader.uint_at_most(kMaxIncarnation, "leave incarnation");
      claim = c;
      break;
    }
    case MessageKind::majority_view: {
      if (!arity_is(4)) break;
      MajorityViewClaim c{};
      c.author = read_node_id(reader, "majority-view author");
      c.epoch = reader.uint("majority-view epoch");
      const std::uint32_t count = reader.array();
      if (reader.ok() && count > limits.max_view_entries) {
        reader.fail(ErrorCode::oversized, "majority view of " + std::to_string(count) +
                                              " entries exceeds max_view_entries " +
                                              std::to_string(limits.max_view_entries));
      }
      if (reader.ok()) c.view.reserve(count);
      for (std::uint32_t i = 0; i < count && reader.ok(); ++i) c.view.push_back(read_peer_info(reader, limits.peer_info));
      claim = std::move(c);
      break;
    }
    case MessageKind::revocation:
      if (arity_is(4)) claim = read_revocation(reader);
      break;
    case MessageKind::rotation:
      if (arity_is(6)) claim = read_rotation(reader, limits);
      break;
    default:
      reader.fail(ErrorCode::unknown_kind, std::string(to_string(kind)) + " is not a claim kind");
      break;
  }
  reader.expect_end("claim payload");
  if (!reader.ok()) return reader.error();
  return claim;
}

void encode_signed_claim(const SignedClaim& claim, Bytes& out) {
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_array(2);
  pack_bin(packer, claim.payload);
  pack_bin(packer, ByteView(claim.signature));
}

Result<SignedClaimView> decode_signed_claim(ByteView body) {
  MsgpackReader reader(body);
  reader.array_of(2, "signed claim");
  SignedClaimView view;
  view.payload = reader.bin("claim payload");
  view.signature = reader.bin_of(64, "claim signature");
  reader.expect_end("signed claim");
  if (!reader.ok()) return reader.error();
  return view;
}

}  // namespace swell::wire
