// Datagram intake: authenticate, check the replay window, dispatch each message.
#include "crypto/datagram_codec.h"
#include "swim/node_core.h"

namespace swell {

namespace {

void count_drop(NodeStats& stats, ErrorCode code) {
  ++stats.datagrams_dropped;
  switch (code) {
    case ErrorCode::bad_mac: ++stats.dropped_bad_mac; break;
    case ErrorCode::unknown_sender: ++stats.dropped_unknown_sender; break;
    case ErrorCode::replayed: ++stats.dropped_replayed; break;
    default: ++stats.dropped_malformed; break;
  }
}

}  // namespace

const crypto::MacKey* NodeCore::key_for(const wire::SenderName& sender) {
  NodeId id;
  if (sender.full) {
    id = sender.id;
  } else {
    const auto index = table_.find_prefix(sender.prefix);
    if (!index) return nullptr;
    id = table_.at(*index).id();
  }
  // A member never accepts its own name: that is a reflected datagram.
  if (id == identity_.id()) return nullptr;
  swim::PeerSession* session = keys_.session(id);
  return session == nullptr ? nullptr : &session->key;
}

Result<void> NodeCore::receive(std::string_view from, ByteView datagram, Time now) {
  ++stats_.datagrams_received;
  if (phase_ == Phase::idle) {
    count_drop(stats_, ErrorCode::not_running);
    return Error{ErrorCode::not_running, "datagram before join(); dropped"};
  }
  auto opened = crypto::open_datagram(
      datagram, config_.max_datagram_bytes, limits_, [this](const wire::SenderName& s) { return key_for(s); },
      envelope_);
  if (!opened.ok()) {
    count_drop(stats_, opened.error().code);
    return opened;
  }
  const NodeId sender = envelope_.sender.full ? envelope_.sender.id
                                              : table_.at(*table_.find_prefix(envelope_.sender.prefix)).id();
  swim::PeerSession* session = keys_.session(sender);
  const swim::Freshness freshness = swim::record_sequence(*session, envelope_.seq);
  if (freshness == swim::Freshness::replayed) {
    count_drop(stats_, ErrorCode::replayed);
    return Error{ErrorCode::replayed, "datagram seq " + std::to_string(envelope_.seq) + " from " +
                                          sender.short_hex() + " was already received; dropped"};
  }
  const bool fresh = freshness == swim::Freshness::fresh;
  // Anything but a lone ack is sent only to members the sender has in its table, so
  // from now on we may name ourselves compactly to it.
  const bool proves_membership =
      envelope_.messages.size() > 1 || envelope_.messages.front().kind != wire::MessageKind::ack;
  // The envelope view is reused by nested sends; copy the little we still need.
  const std::vector<wire::MessageView> messages = envelope_.messages;
  const std::uint64_t seq = envelope_.seq;
  // Set before replying, so the reply already uses our compact name.
  if (proves_membership) {
    if (const auto index = table_.find(sender)) table_.at(*index).knows_us = true;
  }
  // Claims first, so an ack sent below knows whether this datagram accused us of
  // something we have already refuted (then the ack carries our newest alive claim).
  stale_accusation_seen_ = false;
  for (const wire::MessageView& message : messages) {
    if (wire::is_claim(message.kind)) handle_message(message, fresh, from, now);
  }
  for (const wire::MessageView& message : messages) {
    if (wire::is_claim(message.kind)) continue;
    if (message.kind == wire::MessageKind::ping_req && fresh) {
      auto req = wire::decode_ping_req(message.body);
      if (req.ok()) on_ping_req(req.value(), sender, seq, from, now);
      else ++stats_.messages_rejected;
      continue;
    }
    if (message.kind == wire::MessageKind::ping && fresh) {
      if (!wire::decode_ping(message.body).ok()) continue;
      Bytes body;
      wire::encode_ack(seq, body);
      const ByteView own_alive = table_.at(0).alive->body;
      // Only members are answered: an ack then tells the prober that we know it, and
      // a stranger learns nothing. A prober we do not know resends with its alive
      // claim attached, which the claim pass above has applied by the time we get here.
      const auto index = table_.find(sender);
      if (index && table_.at(*index).state != MemberState::left) {
        if (stale_accusation_seen_) {
          send_datagram(*index, {{wire::MessageKind::ack, body}, {wire::MessageKind::alive, own_alive}});
        } else {
          send_datagram(*index, {{wire::MessageKind::ack, body}});
        }
      }
      continue;
    }
    handle_message(message, fresh, from, now);
  }
  stale_accusation_seen_ = false;
  return success();
}

void NodeCore::handle_message(const wire::MessageView& message, bool fresh, std::string_view /*from*/, Time now) {
  switch (message.kind) {
    case wire::MessageKind::ack:
      if (fresh) {
        auto seq = wire::decode_ack(message.body);
        if (seq.ok()) on_ack(seq.value(), now);
      }
      break;
    case wire::MessageKind::nack:
      if (fresh) {
        auto seq = wire::decode_nack(message.body);
        if (seq.ok()) on_nack(seq.value());
      }
      break;
    case wire::MessageKind::alive:
    case wire::MessageKind::suspect:
    case wire::MessageKind::dead:
    case wire::MessageKind::leave:
      // Signed claims carry their own authority and ordering, so they are honoured
      // even from a stale datagram (a restarted peer's first words).
      accept_claim(message.body, message.kind, now);
      break;
    case wire::MessageKind::majority_view:
      // Majority mode (lib/hybrid) consumes views; the SWIM core only checks them.
      accept_claim(message.body, message.kind, now);
      break;
    default:
      // Push-pull travels on streams, never in datagrams.
      ++stats_.messages_rejected;
      break;
  }
}

}  // namespace swell
