#include "wire/message_kind.h"

namespace swell::wire {

std::string_view to_string(MessageKind kind) {
  switch (kind) {
    case MessageKind::ping: return "ping";
    case MessageKind::ping_req: return "ping-req";
    case MessageKind::ack: return "ack";
    case MessageKind::nack: return "nack";
    case MessageKind::suspect: return "suspect";
    case MessageKind::alive: return "alive";
    case MessageKind::dead: return "dead";
    case MessageKind::leave: return "leave";
    case MessageKind::push_pull_request: return "push-pull-request";
    case MessageKind::push_pull_response: return "push-pull-response";
    case MessageKind::compound: return "compound";
    case MessageKind::majority_view: return "majority-view";
    case MessageKind::revocation: return "revocation";
    case MessageKind::rotation: return "rotation";
    case MessageKind::heartbeat: return "heartbeat";
    case MessageKind::reach_view: return "reach-view";
    case MessageKind::mode_decision: return "mode-decision";
  }
  return "unknown";
}

bool is_claim(MessageKind kind) {
  return kind == MessageKind::suspect || kind == MessageKind::alive || kind == MessageKind::dead ||
         kind == MessageKind::leave || kind == MessageKind::majority_view || kind == MessageKind::revocation ||
         kind == MessageKind::rotation;
}

bool is_known(std::uint64_t kind) {
  return (kind >= 1 && kind <= static_cast<std::uint64_t>(MessageKind::mode_decision)) ||
         kind == static_cast<std::uint64_t>(MessageKind::revocation) ||
         kind == static_cast<std::uint64_t>(MessageKind::rotation);
}

}  // namespace swell::wire
