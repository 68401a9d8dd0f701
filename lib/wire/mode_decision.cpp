#include "wire/mode_decision.h"

#include <algorithm>
#include <cstring>

#include "wire/claims.h"
#include "wire/msgpack_reader.h"
#include "wire/msgpack_writer.h"
#include "wire/peer_info_codec.h"

namespace swell::wire {
namespace {

// Domain separation: a decision's signature can never verify as a claim's.
constexpr char kDomain[] = "swell-mode-v1";

}  // namespace

Bytes encode_mode_decision_payload(const ModeDecision& decision) {
  Bytes out;
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_array(3);
  pack_node_id(packer, decision.author);
  packer.pack_uint64(decision.epoch);
  packer.pack_uint8(decision.mode);
  return out;
}

Bytes mode_decision_message(ByteView payload, std::string_view cluster_label) {
  // Bound to the label like every claim (docs/security.md), so a decision relayed from
  // another cluster never verifies; the unnamed cluster signs tag and payload only.
  const std::size_t label_bytes = cluster_label.empty() ? 0 : 1 + cluster_label.size();
  Bytes message(sizeof kDomain + label_bytes + payload.size());
  std::memcpy(message.data(), kDomain, sizeof kDomain);  // including the NUL
  if (label_bytes > 0) {
    // One length byte: Config::validate bounds a label to 64 bytes.
    message[sizeof kDomain] = static_cast<std::uint8_t>(std::min<std::size_t>(cluster_label.size(), 255));
    std::memcpy(message.data() + sizeof kDomain + 1, cluster_label.data(), cluster_label.size());
  }
  if (!payload.empty()) std::memcpy(message.data() + sizeof kDomain + label_bytes, payload.data(), payload.size());
  return message;
}

Bytes encode_signed_mode_decision(ByteView payload, const Signature& signature) {
  Bytes out;
  ByteSink sink(out);
  Packer packer(sink);
  packer.pack_array(2);
  pack_bin(packer, payload);
  pack_bin(packer, ByteView(signature));
  return out;
}

Result<SignedModeDecision> decode_signed_mode_decision(ByteView body) {
  MsgpackReader outer(body);
  outer.array_of(2, "mode-decision");
  SignedModeDecision got;
  got.payload = outer.bin("mode-decision payload");
  const ByteView sig = outer.bin_of(64, "mode-decision signature");
  outer.expect_end("mode-decision");
  if (!outer.ok()) return outer.error();
  std::memcpy(got.signature.data(), sig.data(), got.signature.size());
  MsgpackReader reader(got.payload);
  reader.array_of(3, "mode-decision payload");
  got.decision.author = read_node_id(reader, "mode-decision author");
  got.decision.epoch = reader.uint_at_most(kMaxIncarnation - 1, "mode-decision epoch");
  got.decision.mode = static_cast<std::uint8_t>(reader.uint_at_most(1, "mode-decision mode"));
  reader.expect_end("mode-decision payload");
  if (!reader.ok()) return reader.error();
  return got;
}

Result<ModeDecision> verify_mode_decision(ByteView body, std::string_view cluster_label) {
  auto got = decode_signed_mode_decision(body);
  if (!got.ok()) return got.error();
  if (!verify_signature(got.value().decision.author, mode_decision_message(got.value().payload, cluster_label),
                        got.value().signature)) {
    return Error{ErrorCode::bad_signature, "mode decision by " + got.value().decision.author.short_hex() +
                                               " has a signature that does not verify; dropped"};
  }
  return got.value().decision;
}

}  // namespace swell::wire
