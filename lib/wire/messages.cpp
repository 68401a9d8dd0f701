#include "wire/messages.h"

#include "wire/msgpack_reader.h"
#include "wire/msgpack_writer.h"
#include "wire/peer_info_codec.h"

namespace swell::wire {
namespace {

Result<std::uint64_t> decode_probe_seq(ByteView body, const char* what) {
  MsgpackReader reader(body);
  const std::uint64_t seq = reader.uint(what);
  reader.expect_end(what);
  if (!reader.ok()) return reader.error();
  return seq;
}

}  // namespace

void encode_ping(Bytes& out) { out.push_back(0xc0); }

Result<void> decode_ping(ByteView body) {
  MsgpackReader reader(body);
  if (!reader.nil_if_present()) {
    return Error{ErrorCode::bad_field_type, "ping body must be nil"};
  }
  reader.expect_end("ping");
  if (!reader.ok()) return reader.error();
  return success();
}

void encode_ping_req(const PingReq& req, Bytes& out) {
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_array(2);
  pack_node_id(packer, req.target);
  pack_str(packer, req.target_address);
}

Result<PingReq> decode_ping_req(ByteView body) {
  MsgpackReader reader(body);
  reader.array_of(2, "ping-req");
  PingReq req;
  req.target = read_node_id(reader, "ping-req target");
  const std::string_view address = reader.str("ping-req target_address");
  reader.expect_end("ping-req");
  if (!reader.ok()) return reader.error();
  if (auto valid = validate_address(address); !valid.ok()) {
    return Error{ErrorCode::bad_field_type, "ping-req target_address: " + valid.error().message};
  }
  req.target_address.assign(address);
  return req;
}

void encode_ack(std::uint64_t probe_seq, Bytes& out) {
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_uint64(probe_seq);
}

Result<std::uint64_t> decode_ack(ByteView body) { return decode_probe_seq(body, "ack"); }

void encode_nack(std::uint64_t probe_seq, Bytes& out) { encode_ack(probe_seq, out); }

Result<std::uint64_t> decode_nack(ByteView body) { return decode_probe_seq(body, "nack"); }

void encode_push_pull(const PushPull& state, Bytes& out) {
  // One encoder: encode each claim body, then write them as a view.
  std::vector<Bytes> bodies;
  bodies.reserve(2 * state.members.size());
  PushPullView view;
  view.join = state.join;
  view.digest = state.digest;
  Bytes summary, wants;
  for (const SummaryEntry& e : state.summary) append_summary_entry(e, summary);
  for (const std::uint64_t prefix : state.wants) append_want(prefix, wants);
  view.summary = summary;
  view.wants = wants;
  for (const MemberRecord& m : state.members) {
    MemberRecordView record;
    record.status = m.status;
    encode_signed_claim(m.alive, bodies.emplace_back());
    record.alive = bodies.back();
    if (m.status_claim) {
      encode_signed_claim(*m.status_claim, bodies.emplace_back());
      record.status_claim = bodies.back();
    }
    view.members.push_back(record);
  }
  encode_push_pull_view(view, out);
}

Result<PushPullView> decode_push_pull_view(ByteView body, const DecodeLimits& limits) {
  MsgpackReader reader(body);
  reader.array_of(5, "push-pull");
  PushPullView state;
  state.join = reader.boolean("push-pull join");
  const std::uint32_t count = reader.array();
  if (reader.ok() && count > limits.max_members) {
    return Error{ErrorCode::oversized, "push-pull with " + std::to_string(count) + " members exceeds max_members " +
                                           std::to_string(limits.max_members)};
  }
  if (reader.ok()) state.members.reserve(count);
  for (std::uint32_t i = 0; i < count && reader.ok(); ++i) {
    MemberRecordView m;
    reader.array_of(3, "member record");
    m.status = static_cast<MemberStatus>(reader.uint_at_most(3, "member status"));
    m.alive = reader.raw_value("alive claim");
    const bool has_status_claim = !reader.nil_if_present();
    if (has_status_claim) m.status_claim = reader.raw_value("status claim");
    if (reader.ok() && has_status_claim != (m.status != MemberStatus::alive)) {
      reader.fail(ErrorCode::bad_field_type, "member record status " + std::to_string(static_cast<int>(m.status)) +
                                                 (has_status_claim ? " must not" : " must") + " carry a status claim");
    }
    for (const ByteView claim : {m.alive, m.status_claim}) {
      if (reader.ok() && !claim.empty()) {
        if (auto split = decode_signed_claim(claim); !split.ok()) reader.fail(split.error().code, split.error().message);
      }
    }
    state.members.push_back(m);
  }
  const ByteView digest = reader.bin_of(kStateDigestSize, "push-pull digest");
  if (reader.ok()) std::copy(digest.begin(), digest.end(), state.digest.begin());
  state.summary = reader.bin("push-pull summary");
  state.wants = reader.bin("push-pull wants");
  reader.expect_end("push-pull");
  if (!reader.ok()) return reader.error();
  if (state.summary.size() % kSummaryEntrySize != 0 || state.wants.size() % 8 != 0) {
    return Error{ErrorCode::bad_field_type, "push-pull summary or wants is not a whole number of entries"};
  }
  if (state.summary_size() > limits.max_members || state.wants_size() > limits.max_members) {
    return Error{ErrorCode::oversized, "push-pull summary or wants exceeds max_members " +
                                           std::to_string(limits.max_members)};
  }
  for (std::size_t i = 0; i < state.summary_size(); ++i) {
    const std::uint8_t status = state.summary[i * kSummaryEntrySize + 16];
    if (status > 3 || state.summary_entry(i).incarnation > kMaxIncarnation) {
      return Error{ErrorCode::bad_field_type, "push-pull summary entry " + std::to_string(i) +
                                                  " has a status above 3 or an incarnation above 2^62"};
    }
  }
  if (!reader.ok()) return reader.error();
  return state;
}

Result<PushPull> decode_push_pull(ByteView body, const DecodeLimits& limits) {
  auto view = decode_push_pull_view(body, limits);
  if (!view.ok()) return view.error();
  PushPull state;
  state.join = view.value().join;
  state.digest = view.value().digest;
  for (std::size_t i = 0; i < view.value().summary_size(); ++i) state.summary.push_back(view.value().summary_entry(i));
  for (std::size_t i = 0; i < view.value().wants_size(); ++i) state.wants.push_back(view.value().want(i));
  state.members.reserve(view.value().members.size());
  auto own = [](ByteView claim_body) {
    const SignedClaimView split = decode_signed_claim(claim_body).value();  // checked by the view decoder
    SignedClaim claim;
    claim.payload.assign(split.payload.begin(), split.payload.end());
    std::copy(split.signature.begin(), split.signature.end(), claim.signature.begin());
    return claim;
  };
  for (const MemberRecordView& m : view.value().members) {
    MemberRecord record;
    record.status = m.status;
    record.alive = own(m.alive);
    if (!m.status_claim.empty()) record.status_claim = own(m.status_claim);
    state.members.push_back(std::move(record));
  }
  return state;
}

void encode_push_pull_view(const PushPullView& state, Bytes& out) {
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_array(5);
  if (state.join) packer.pack_true(); else packer.pack_false();
  packer.pack_array(static_cast<std::uint32_t>(state.members.size()));
  for (const MemberRecordView& m : state.members) {
    packer.pack_array(3);
    packer.pack_uint8(static_cast<std::uint8_t>(m.status));
    sink.write(reinterpret_cast<const char*>(m.alive.data()), m.alive.size());
    if (m.status_claim.empty()) packer.pack_nil();
    else sink.write(reinterpret_cast<const char*>(m.status_claim.data()), m.status_claim.size());
  }
  pack_bin(packer, ByteView(state.digest));
  pack_bin(packer, state.summary);
  pack_bin(packer, state.wants);
}

namespace {

std::uint64_t load_be(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int k = 0; k < 8; ++k) v = v << 8 | p[k];
  return v;
}

void store_be(std::uint64_t v, Bytes& out) {
  for (int k = 7; k >= 0; --k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

}  // namespace

SummaryEntry PushPullView::summary_entry(std::size_t i) const {
  const std::uint8_t* p = summary.data() + i * kSummaryEntrySize;
  return SummaryEntry{load_be(p), load_be(p + 8), static_cast<MemberStatus>(p[16])};
}

std::uint64_t PushPullView::want(std::size_t i) const { return load_be(wants.data() + i * 8); }

void append_summary_entry(const SummaryEntry& entry, Bytes& out) {
  store_be(entry.prefix, out);
  store_be(entry.incarnation, out);
  out.push_back(static_cast<std::uint8_t>(entry.status));
}

void append_want(std::uint64_t prefix, Bytes& out) { store_be(prefix, out); }

}  // namespace swell::wire
