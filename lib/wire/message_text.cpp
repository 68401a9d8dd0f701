#include "wire/message_text.h"

#include "wire/mode_decision.h"
#include "wire/reach_messages.h"

#include "wire/claims.h"
#include "wire/messages.h"

namespace swell::wire {
namespace {

std::string peer_info_text(const PeerInfo& info) {
  return "id=" + info.id + " address=" + info.address + " metrics_port=" + std::to_string(info.metrics_port) +
         " type=" + std::string(to_string(info.node_type)) + " lb=" + (info.is_load_balancer ? "1" : "0") +
         " last_updated_ms=" + std::to_string(info.last_updated_ms) + " version=" + std::to_string(info.version) +
         " metadata=" + std::to_string(info.metadata.size()) + "B";
}

std::string claim_text(const Claim& claim) {
  struct Render {
    std::string operator()(const AliveClaim& c) const {
      return "by " + c.info.owner.short_hex() + " incarnation=" + std::to_string(c.info.version) +
             " swim=" + c.swim_address + " " + peer_info_text(c.info);
    }
    std::string operator()(const SuspectClaim& c) const {
      return "by " + c.author.short_hex() + " subject=" + c.subject.short_hex() +
             " incarnation=" + std::to_string(c.incarnation);
    }
    std::string operator()(const DeadClaim& c) const {
      return "by " + c.author.short_hex() + " subject=" + c.subject.short_hex() +
             " incarnation=" + std::to_string(c.incarnation);
    }
    std::string operator()(const LeaveClaim& c) const {
      return "by " + c.subject.short_hex() + " incarnation=" + std::to_string(c.incarnation);
    }
    std::string operator()(const RevocationClaim& c) const {
      return "by " + c.author.short_hex() + " revokes " + c.subject.short_hex();
    }
    std::string operator()(const RotationClaim& c) const {
      return "by " + c.author.short_hex() + " moves to " + c.successor.short_hex() +
             " incarnation=" + std::to_string(c.incarnation);
    }
    std::string operator()(const MajorityViewClaim& c) const {
      std::string text = "by " + c.author.short_hex() + " epoch=" + std::to_string(c.epoch) +
                         " entries=" + std::to_string(c.view.size());
      for (const PeerInfo& info : c.view) text += " [" + peer_info_text(info) + "]";
      return text;
    }
  };
  return std::visit(Render{}, claim);
}

std::string undecodable(const Error& error) { return "<undecodable: " + error.message + ">"; }

std::string status_text(MemberStatus status) {
  switch (status) {
    case MemberStatus::alive: return "alive";
    case MemberStatus::suspect: return "suspect";
    case MemberStatus::dead: return "dead";
    case MemberStatus::left: return "left";
  }
  return "unknown";
}

}  // namespace

std::string describe_message(MessageKind kind, ByteView body, const DecodeLimits& limits) {
  const std::string name(to_string(kind));
  switch (kind) {
    case MessageKind::ping: {
      auto r = decode_ping(body);
      return r.ok() ? name : name + " " + undecodable(r.error());
    }
    case MessageKind::ping_req: {
      auto r = decode_ping_req(body);
      return r.ok() ? name + " target=" + r.value().target.short_hex() + " at " + r.value().target_address
                    : name + " " + undecodable(r.error());
    }
    case MessageKind::ack:
    case MessageKind::nack: {
      auto r = decode_ack(body);
      return r.ok() ? name + " probe_seq=" + std::to_string(r.value()) : name + " " + undecodable(r.error());
    }
    case MessageKind::push_pull_request:
    case MessageKind::push_pull_response: {
      auto r = decode_push_pull(body, limits);
      if (!r.ok()) return name + " " + undecodable(r.error());
      std::string text = name + (r.value().join ? " join" : "") + " members=" + std::to_string(r.value().members.size());
      for (const MemberRecord& m : r.value().members) {
        auto alive = decode_claim_payload(m.alive.payload, limits);
        text += " [" + status_text(m.status) + " " +
                (alive.ok() ? author_of(alive.value()).short_hex() : std::string("?")) + "]";
      }
      return text;
    }
    case MessageKind::compound: return name;
    case MessageKind::heartbeat: {
      auto hb = decode_heartbeat(body);
      if (!hb.ok()) return name + " " + undecodable(hb.error());
      return name + " digest " + std::to_string(hb.value().view_digest) + (hb.value().wants_view ? " wants-view" : "");
    }
    case MessageKind::mode_decision: {
      auto got = decode_signed_mode_decision(body);
      if (!got.ok()) return name + " " + undecodable(got.error());
      return name + " epoch " + std::to_string(got.value().decision.epoch) +
             (got.value().decision.mode == 0 ? " swim" : " majority") + " by " + got.value().decision.author.short_hex();
    }
    case MessageKind::reach_view: {
      auto view = decode_reach_view(body, limits);
      if (!view.ok()) return name + " " + undecodable(view.error());
      return name + " " + std::to_string(view.value().unreachable.size()) + " unreachable";
    }
    case MessageKind::suspect:
    case MessageKind::alive:
    case MessageKind::dead:
    case MessageKind::leave:
    case MessageKind::majority_view:
    case MessageKind::revocation:
    case MessageKind::rotation: {
      auto split = decode_signed_claim(body);
      if (!split.ok()) return name + " " + undecodable(split.error());
      auto claim = decode_claim_payload(split.value().payload, limits);
      return claim.ok() ? name + " " + claim_text(claim.value()) : name + " " + undecodable(claim.error());
    }
  }
  return name;
}

}  // namespace swell::wire
