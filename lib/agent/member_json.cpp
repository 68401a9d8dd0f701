#include "agent/member_json.h"

#include <string>

#include "agent/tags.h"

namespace swell::agent {
namespace {

std::string hex_of(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

// Member JSON from its parts, so events (which carry no MemberSnapshot) share it.
nlohmann::json member_fields(const NodeId& id, MemberState state, std::uint64_t incarnation,
                             const Announcement* announcement) {
  nlohmann::json j = {{"id", id.to_hex()}, {"state", to_string(state)}, {"incarnation", incarnation}};
  if (announcement == nullptr) return j;
  const PeerInfo& info = announcement->info;
  j["name"] = info.id;
  j["address"] = info.address;
  j["swim_address"] = announcement->swim_address;
  j["node_type"] = std::string(to_string(info.node_type));
  j["metrics_port"] = info.metrics_port;
  j["is_load_balancer"] = info.is_load_balancer;
  j["last_updated_ms"] = info.last_updated_ms;
  if (auto tags = decode_tags(info.metadata)) {
    j["tags"] = *tags;
  } else {
    j["metadata_hex"] = hex_of(info.metadata);
  }
  return j;
}

}  // namespace

nlohmann::json member_json(const MemberSnapshot& member) {
  nlohmann::json j = member_fields(member.id, member.state, member.incarnation, member.announcement.get());
  if (member.name_lost_to) j["name_lost_to"] = member.name_lost_to->to_hex();
  return j;
}

nlohmann::json evidence_json(const FailureEvidence& e) {
  nlohmann::json confirmations = nlohmann::json::array();
  for (const NodeId& id : e.confirmations) confirmations.push_back(id.to_hex());
  return {{"first_suspected_by", e.first_suspected_by.to_hex()},
          {"confirmations", confirmations},
          {"nacks_seen", e.nacks_seen},
          {"probed_by_us", e.probed_by_us},
          {"declared_by", e.declared_by.to_hex()},
          {"timeout_s", to_seconds(e.timeout_used)},
          {"local_health", e.local_health},
          {"flapping", e.flapping},
          {"degraded", e.degraded}};
}

nlohmann::json event_json(const MembershipEvent& event, std::uint64_t unix_ms) {
  nlohmann::json j = {{"kind", to_string(event.kind)},
                      {"time_ms", unix_ms},
                      {"member", member_fields(event.member, state_after(event.kind), event.incarnation,
                                               event.announcement.get())}};
  if (event.evidence) j["evidence"] = evidence_json(*event.evidence);
  if (event.name_owner) j["name_owner"] = event.name_owner->to_hex();
  if (event.kind == MembershipEvent::Kind::rotated) j["previous"] = event.previous.to_hex();
  return j;
}

}  // namespace swell::agent
