// Relaying for others' indirect probes (SWIM's ping-req, Lifeguard's nack): ping the
// target on the requester's behalf, forward its ack, or nack before the requester's
// probe period ends so it learns the relay path works and the silence is the target's.
#include "swim/formulas.h"
#include "swim/node_core.h"

namespace swell {

std::uint64_t NodeCore::ping_relay_target(const NodeId& target, const std::string& address, bool introduce) {
  Bytes body;
  wire::encode_ping(body);
  if (const auto index = table_.find(target)) {
    return send_datagram(*index, {{wire::MessageKind::ping, body}}, SendOptions{true, introduce}).seq;
  }
  // Not in our table: name us in full with our alive claim, or it will not answer.
  return send_datagram_to(Recipient{target, address, false}, {{wire::MessageKind::ping, body}},
                          SendOptions{false, true})
      .seq;
}

void NodeCore::on_ping_req(const wire::PingReq& req, const NodeId& requester, std::uint64_t requester_seq,
                           std::string_view from, Time now) {
  if (phase_ != Phase::joined) return;
  // Relays in flight are bounded: a flood of ping-reqs cannot grow memory.
  constexpr std::size_t kMaxRelays = 1024;
  if (relays_.size() >= kMaxRelays || req.target == identity_.id()) return;
  const std::uint64_t seq = ping_relay_target(req.target, req.target_address, false);
  if (seq == 0) return;
  relays_[seq] = Relay{requester, requester_seq, std::string(from), req.target, req.target_address, {seq}};
  relay_pings_[seq] = seq;
  // A second ping a third of the way in: one lost datagram should not fail the relay.
  const Duration timeout = swim::scale_by_health(config_.probe_timeout, awareness_.score());
  schedule(timeout / 3, now, swim::RelayResend{seq});
  schedule(timeout * 8 / 10, now, swim::RelayNack{seq});
}

bool NodeCore::forward_relay_ack(std::uint64_t seq) {
  auto alias = relay_pings_.find(seq);
  if (alias == relay_pings_.end()) return false;
  auto relay = relays_.find(alias->second);
  if (relay == relays_.end()) return false;
  Bytes body;
  wire::encode_ack(relay->second.requester_seq, body);
  const Relay r = relay->second;
  for (const std::uint64_t s : r.ping_seqs) relay_pings_.erase(s);
  relays_.erase(relay);
  // The relayed ack goes twice: it is the last hop of four, and losing it alone
  // would turn a successful indirect probe into a suspicion. Duplicates are harmless.
  for (int copy = 0; copy < 2; ++copy) {
    if (const auto index = table_.find(r.requester)) {
      send_datagram(*index, {{wire::MessageKind::ack, body}}, SendOptions{copy == 0, false});
    } else {
      send_datagram_to(Recipient{r.requester, r.requester_address, false}, {{wire::MessageKind::ack, body}},
                       SendOptions{false, false});
    }
  }
  return true;
}

void NodeCore::on_relay_resend(std::uint64_t first_seq) {
  auto relay = relays_.find(first_seq);
  if (relay == relays_.end()) return;
  // The resend introduces us, in case the target does not know us.
  const std::uint64_t seq = ping_relay_target(relay->second.target, relay->second.target_address, true);
  if (seq == 0) return;
  relay->second.ping_seqs.push_back(seq);
  relay_pings_[seq] = first_seq;
}

void NodeCore::on_relay_timeout(std::uint64_t first_seq) {
  auto relay = relays_.find(first_seq);
  if (relay == relays_.end()) return;
  const Relay r = relay->second;
  for (const std::uint64_t s : r.ping_seqs) relay_pings_.erase(s);
  relays_.erase(relay);
  Bytes body;
  wire::encode_nack(r.requester_seq, body);
  if (const auto index = table_.find(r.requester)) send_datagram(*index, {{wire::MessageKind::nack, body}});
}

}  // namespace swell
