// Datagram intake: authenticate, check the replay window, dispatch each message.
#include "crypto/sealed_envelope.h"
#include "swim/node_core.h"

namespace swell {

namespace {

void count_drop(NodeStats& stats, ErrorCode code) {
  ++stats.datagrams_dropped;
  switch (code) {
    case ErrorCode::bad_mac: ++stats.dropped_bad_mac; break;
    case ErrorCode::unknown_sender: ++stats.dropped_unknown_sender; break;
    case ErrorCode::replayed: ++stats.dropped_replayed; break;
    case ErrorCode::wrong_protection: ++stats.dropped_wrong_protection; break;
    case ErrorCode::not_admitted: ++stats.dropped_not_admitted; break;
    default: ++stats.dropped_malformed; break;
  }
}

}  // namespace

swim::PeerSession* NodeCore::session_for(const wire::SenderName& sender, NodeId& id) {
  if (sender.full) {
    id = sender.id;
  } else {
    const auto index = table_.find_prefix(sender.prefix);
    if (!index) return nullptr;
    id = table_.at(*index).id();
  }
  // A member never accepts its own name: that is a reflected datagram.
  if (id == identity_.id()) return nullptr;
  return keys_.session(id);
}

Result<void> NodeCore::admit_sender(const NodeId& sender) {
  // A key refused before (revoked, not listed, a bad or expired certificate) is not
  // heard at all: nothing it sends is applied, answered or gossiped.
  const AdmissionRefusal why = admission_.check_key(sender);
  if (why == AdmissionRefusal::none) return success();
  count_refusal(why);
  count_drop(stats_, ErrorCode::not_admitted);
  return Error{ErrorCode::not_admitted, "datagram from " + sender.short_hex() + ", whose key is not admitted (" +
                                            to_string(why) + "); dropped"};
}

Result<void> NodeCore::receive(std::string_view from, ByteView datagram, Time now) {
  ++stats_.datagrams_received;
  if (phase_ == Phase::idle) {
    count_drop(stats_, ErrorCode::wrong_state);
    return Error{ErrorCode::wrong_state, "datagram before join(); dropped"};
  }
  swim::PeerSession* session = nullptr;
  auto opened = crypto::open_envelope(
      datagram, config_.max_datagram_bytes, limits_,
      [&](const wire::SenderName& name) {
        crypto::SenderKey found;
        session = session_for(name, found.id);
        found.key = session == nullptr ? nullptr : &session->key;
        return found;
      },
      envelope_, crypto::ZeroTag::reject, protection());
  if (!opened.ok()) {
    count_drop(stats_, opened.error().code);
    return opened.error();
  }
  const NodeId sender = opened.value().sender;
  if (auto admitted = admit_sender(sender); !admitted.ok()) return admitted;
  const swim::Freshness freshness = swim::record_sequence(*session, envelope_.seq);
  if (freshness == swim::Freshness::replayed) {
    count_drop(stats_, ErrorCode::replayed);
    return Error{ErrorCode::replayed, "datagram seq " + std::to_string(envelope_.seq) + " from " +
                                          sender.short_hex() + " was already received; dropped"};
  }
  session->last_heard = now;
  note_heard(sender, now);
  const bool fresh = freshness == swim::Freshness::fresh;
  // Anything but a lone ack is sent only to members the sender has in its table, so
  // from now on we may name ourselves compactly to it.
  const bool proves_membership =
      envelope_.messages.size() > 1 || envelope_.messages.front().kind != wire::MessageKind::ack;
  // The envelope view is reused by nested sends; copy the little we still need.
  const std::vector<wire::MessageView> messages = envelope_.messages;
  // An encrypted datagram's messages point into the decrypted copy: keep it (a moved
  // vector keeps its buffer) while they are handled.
  const Bytes plaintext = std::move(envelope_.plaintext);
  const std::uint64_t seq = envelope_.seq;
  // Set before replying, so the reply already uses our compact name.
  if (proves_membership) {
    if (const auto index = table_.find(sender)) table_.at(*index).knows_us = true;
  }
  // Claims first, so an ack sent below knows whether this datagram accused us of
  // something we have already refuted (then the ack carries our newest alive claim).
  bool stale_accusation = false;
  for (const wire::MessageView& message : messages) {
    if (!wire::is_claim(message.kind)) continue;
    stale_accusation |= handle_message(message, fresh, sender, seq, from, now) == ClaimOutcome::stale_accusation;
  }
  // Its own alive claim in this datagram was just refused: nothing else in it is heard.
  if (admission_.mode() != AdmissionMode::open && admission_.check_key(sender) != AdmissionRefusal::none) {
    return success();
  }
  bool answered = false;
  for (const wire::MessageView& message : messages) {
    if (wire::is_claim(message.kind)) continue;
    if (message.kind == wire::MessageKind::ping && fresh) {
      if (wire::decode_ping(message.body).ok()) answered = answer_ping(sender, seq, stale_accusation);
      continue;
    }
    handle_message(message, fresh, sender, seq, from, now);
  }
  // The sender still spreads a suspicion of us that we have refuted (it missed the
  // refutation): tell it directly, or it may condemn us when its timer runs out.
  if (stale_accusation && !answered && phase_ == Phase::joined) {
    if (const auto index = table_.find(sender)) {
      send_datagram(*index, {{wire::MessageKind::alive, table_.at(0).alive->body}}, SendOptions{false, false});
    }
  }
  return success();
}

bool NodeCore::answer_ping(const NodeId& sender, std::uint64_t seq, bool stale_accusation) {
  Bytes body;
  wire::encode_ack(seq, body);
  // Only members are answered: an ack then tells the prober that we know it, and a
  // stranger learns nothing. A prober we do not know resends with its alive claim
  // attached, which the claim pass has applied by the time we get here.
  const auto index = table_.find(sender);
  if (!index || table_.at(*index).state == MemberState::left) return false;
  if (stale_accusation) {
    send_datagram(*index, {{wire::MessageKind::ack, body}, {wire::MessageKind::alive, table_.at(0).alive->body}});
  } else {
    send_datagram(*index, {{wire::MessageKind::ack, body}});
  }
  return true;
}

NodeCore::ClaimOutcome NodeCore::handle_message(const wire::MessageView& message, bool fresh, const NodeId& sender,
                                                std::uint64_t seq, std::string_view from, Time now) {
  switch (message.kind) {
    case wire::MessageKind::ack:
      if (fresh) {
        auto acked = wire::decode_ack(message.body);
        if (acked.ok()) on_ack(acked.value());
      }
      break;
    case wire::MessageKind::nack:
      if (fresh) {
        auto nacked = wire::decode_nack(message.body);
        if (nacked.ok()) on_nack(nacked.value());
      }
      break;
    case wire::MessageKind::ping_req: {
      // A stale one is dropped and counted: relaying it could answer a probe long over.
      if (!fresh) {
        ++stats_.messages_rejected;
        break;
      }
      auto req = wire::decode_ping_req(message.body);
      if (req.ok()) on_ping_req(req.value(), sender, seq, from, now);
      else ++stats_.messages_rejected;
      break;
    }
    case wire::MessageKind::alive:
    case wire::MessageKind::suspect:
    case wire::MessageKind::dead:
    case wire::MessageKind::leave:
    case wire::MessageKind::majority_view:
    case wire::MessageKind::revocation:
    case wire::MessageKind::rotation:
      // Signed claims carry their own authority and ordering, so they are honoured
      // even from a stale datagram (a restarted peer's first words). Majority mode
      // (lib/hybrid) consumes views; the SWIM core only checks them.
      return accept_claim(message.body, message.kind, now, ClaimSource::gossip, &sender);
    case wire::MessageKind::heartbeat: {
      auto heartbeat = wire::decode_heartbeat(message.body);
      if (heartbeat.ok()) on_heartbeat(heartbeat.value(), sender, now);
      else ++stats_.messages_rejected;
      break;
    }
    case wire::MessageKind::mode_decision:
      on_mode_decision(message.body, sender, now);
      break;
    case wire::MessageKind::reach_view: {
      // A stale copy could be older than the one we hold: only fresh datagrams count.
      if (!fresh) break;
      auto view = wire::decode_reach_view(message.body, limits_);
      if (view.ok()) on_reach_view(view.value(), sender, now);
      else ++stats_.messages_rejected;
      break;
    }
    default:
      // Push-pull travels on streams, never in datagrams.
      ++stats_.messages_rejected;
      break;
  }
  return ClaimOutcome::applied;
}

}  // namespace swell
