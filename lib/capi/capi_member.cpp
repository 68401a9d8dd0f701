// MemberSnapshot / event fields -> swell_member.
#include "capi/capi_member.h"

#include <cstring>

namespace swell::capi {

void write_hex(const NodeId& id, char (&out)[65]) noexcept {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::size_t i = 0;
  for (const std::uint8_t byte : id.bytes()) {
    out[i++] = kDigits[byte >> 4];
    out[i++] = kDigits[byte & 0x0f];
  }
  out[i] = '\0';
}

swell_member_state c_state(MemberState state) noexcept {
  switch (state) {
    case MemberState::alive: return SWELL_STATE_ALIVE;
    case MemberState::suspect: return SWELL_STATE_SUSPECT;
    case MemberState::dead: return SWELL_STATE_DEAD;
    case MemberState::left: return SWELL_STATE_LEFT;
  }
  return SWELL_STATE_DEAD;
}

void fill_member(const NodeId& id, MemberState state, std::uint64_t incarnation, const Announcement* announcement,
                 swell_member* out) noexcept {
  std::memset(out, 0, sizeof *out);
  std::memcpy(out->node_id, id.bytes().data(), sizeof out->node_id);
  write_hex(id, out->node_id_hex);
  out->state = c_state(state);
  out->incarnation = incarnation;
  // The runtime always attaches an announcement; "" keeps a C caller's strlen safe if not.
  static const char kEmpty[] = "";
  out->id = out->address = out->swim_address = kEmpty;
  out->node_type = SWELL_NODE_BACKEND;
  if (announcement == nullptr) return;
  const PeerInfo& info = announcement->info;
  out->id = info.id.c_str();
  out->address = info.address.c_str();
  out->swim_address = announcement->swim_address.c_str();
  out->metrics_port = info.metrics_port;
  out->node_type = static_cast<swell_node_type>(info.node_type);
  out->is_load_balancer = info.is_load_balancer ? 1 : 0;
  out->last_updated_ms = info.last_updated_ms;
  out->metadata = info.metadata.empty() ? nullptr : info.metadata.data();
  out->metadata_len = info.metadata.size();
}

}  // namespace swell::capi
