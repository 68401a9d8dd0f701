// Probing (SWIM section 4, Lifeguard section 4): one target per probe interval in a
// shuffled round-robin order; direct pings, then k indirect probes through relays;
// relays nack when the target stays silent; the local health score stretches the
// interval and timeouts when this node itself is the slow one.
#include <algorithm>
#include <numeric>

#include "swim/formulas.h"
#include "swim/node_core.h"

namespace swell {

using swim::TimerKind;

std::optional<std::uint32_t> NodeCore::next_probe_target() {
  // At most two passes: finish this round, then reshuffle once.
  for (int pass = 0; pass < 2; ++pass) {
    while (probe_cursor_ < probe_order_.size()) {
      const std::uint32_t index = probe_order_[probe_cursor_++];
      if (index == 0 || index >= table_.size()) continue;
      const MemberState state = table_.at(index).state;
      if (state == MemberState::alive || state == MemberState::suspect) return index;
    }
    probe_order_.clear();
    probe_order_.resize(table_.size() - 1);  // from empty: exactly the capacity needed
    std::iota(probe_order_.begin(), probe_order_.end(), 1u);
    rng_.shuffle(probe_order_);
    probe_cursor_ = 0;
    if (probe_order_.empty()) break;
  }
  return std::nullopt;
}

void NodeCore::send_ping(std::uint32_t index, bool full_sender) {
  Bytes body;
  wire::encode_ping(body);
  std::uint64_t seq = 0;
  send_datagram(index, {{wire::MessageKind::ping, body}}, &seq, true, full_sender);
  probe_->ping_seqs.push_back(seq);
  ++probe_->pings_sent;
}

void NodeCore::start_probe(Time now) {
  const Duration interval = swim::scale_by_health(config_.probe_interval, awareness_.score());
  ++probe_generation_;
  probe_.reset();
  const auto target = next_probe_target();
  if (target) {
    probe_ = Probe{};
    probe_->target = table_.at(*target).id();
    probe_->started = now;
    probe_->generation = probe_generation_;
    ++stats_.probes;
    send_ping(*target, false);
    const Duration timeout = swim::scale_by_health(config_.probe_timeout, awareness_.score());
    // Resends spread over the direct timeout: a single lost datagram costs a resend,
    // not an indirect probe or a suspicion.
    for (int attempt = 1; attempt < config_.ping_attempts; ++attempt) {
      schedule(timeout * attempt / config_.ping_attempts, now, TimerKind::probe_resend, probe_generation_);
    }
    schedule(timeout, now, TimerKind::probe_indirect, probe_generation_);
    schedule(interval, now, TimerKind::probe_end, probe_generation_);
  } else {
    schedule(interval, now, TimerKind::probe, probe_generation_);
  }
}

void NodeCore::on_probe_resend(std::uint64_t generation, Time /*now*/) {
  if (!probe_ || probe_->generation != generation || probe_->acked) return;
  const auto index = table_.find(probe_->target);
  if (!index) return;
  send_ping(*index, false);
}

void NodeCore::on_probe_indirect(std::uint64_t generation, Time /*now*/) {
  if (!probe_ || probe_->generation != generation || probe_->acked) return;
  const auto index = table_.find(probe_->target);
  if (!index) return;
  ++stats_.indirect_probes;
  Bytes body;
  wire::encode_ping_req(wire::PingReq{probe_->target, address_of(*index)}, body);
  for (const std::uint32_t relay : random_members(static_cast<std::size_t>(config_.indirect_checks), &probe_->target)) {
    std::uint64_t seq = 0;
    send_datagram(relay, {{wire::MessageKind::ping_req, body}}, &seq);
    probe_->request_seqs.push_back(seq);
  }
  // One more direct try alongside, as memberlist's fallback does, naming us in full
  // with our alive claim attached: the target may not know us (it missed our
  // announcement, or restarted), and it answers only members it knows.
  send_ping(*index, true);
}

void NodeCore::on_probe_end(std::uint64_t generation, Time now) {
  if (!probe_ || probe_->generation != generation) return;
  const Probe probe = *probe_;
  auto suspicion = suspicions_.find(probe.target);
  const bool final_check = suspicion != suspicions_.end() && suspicion->second.verifying;
  if (probe.acked) {
    awareness_.apply_delta(-1);
    if (final_check) {
      // It answered: alive after all, though its refutation has not reached us (it
      // usually rides on the ack). Give it a fresh suspicion period to arrive.
      suspicion->second.verifying = false;
      suspicion->second.started = now;
      schedule_suspicion(probe.target, suspicion->second, now);
    }
  } else {
    const int expected_nacks = static_cast<int>(probe.request_seqs.size());
    // Lifeguard: relays that answered neither ack nor nack suggest our own network is at fault.
    awareness_.apply_delta(expected_nacks > 0 ? std::max(0, expected_nacks - probe.nacks) : 1);
    if (const auto index = table_.find(probe.target)) suspect_member(*index, now, true, probe.nacks);
    if (final_check) declare_dead(probe.target, now);
  }
  start_probe(now);
}

void NodeCore::on_ack(std::uint64_t seq, Time now) {
  if (probe_ && !probe_->acked &&
      (std::find(probe_->ping_seqs.begin(), probe_->ping_seqs.end(), seq) != probe_->ping_seqs.end() ||
       std::find(probe_->request_seqs.begin(), probe_->request_seqs.end(), seq) != probe_->request_seqs.end())) {
    probe_->acked = true;
    // It answered a ping that named us in full with our alive claim attached, or
    // compactly: either way it knows us now, so later pings can be 33 bytes.
    if (const auto index = table_.find(probe_->target)) table_.at(*index).knows_us = true;
    return;
  }
  auto alias = relay_pings_.find(seq);
  if (alias == relay_pings_.end()) return;  // late or unknown: harmless
  auto relay = relays_.find(alias->second);
  if (relay == relays_.end()) return;
  Bytes body;
  wire::encode_ack(relay->second.requester_seq, body);
  const Relay r = relay->second;
  for (const std::uint64_t s : r.ping_seqs) relay_pings_.erase(s);
  relays_.erase(relay);
  // The relayed ack goes twice: it is the last hop of four, and losing it alone
  // would turn a successful indirect probe into a suspicion. Duplicates are harmless.
  for (int copy = 0; copy < 2; ++copy) {
    if (const auto index = table_.find(r.requester)) {
      send_datagram(*index, {{wire::MessageKind::ack, body}}, nullptr, copy == 0);
    } else {
      send_datagram_to(r.requester, r.requester_address, true, {{wire::MessageKind::ack, body}}, nullptr, false);
    }
  }
  (void)now;
}

void NodeCore::on_nack(std::uint64_t seq) {
  if (probe_ &&
      std::find(probe_->request_seqs.begin(), probe_->request_seqs.end(), seq) != probe_->request_seqs.end()) {
    ++probe_->nacks;
  }
}

void NodeCore::on_ping_req(const wire::PingReq& req, const NodeId& requester, std::uint64_t requester_seq,
                           std::string_view from, Time now) {
  if (phase_ != Phase::joined) return;
  // Relays in flight are bounded: a flood of ping-reqs cannot grow memory.
  constexpr std::size_t kMaxRelays = 1024;
  if (relays_.size() >= kMaxRelays) return;
  Bytes body;
  wire::encode_ping(body);
  std::uint64_t seq = 0;
  if (req.target == identity_.id()) return;
  if (const auto index = table_.find(req.target)) {
    send_datagram(*index, {{wire::MessageKind::ping, body}}, &seq);
  } else {
    send_datagram_to(req.target, req.target_address, true, {{wire::MessageKind::ping, body}}, &seq, false, true);
  }
  if (seq == 0) return;
  relays_[seq] = Relay{requester, requester_seq, std::string(from), req.target, req.target_address, {seq}};
  relay_pings_[seq] = seq;
  // A second ping a third of the way in: one lost datagram should not fail the relay.
  const Duration timeout = swim::scale_by_health(config_.probe_timeout, awareness_.score());
  schedule(timeout / 3, now, TimerKind::relay_resend, seq);
  // Lifeguard: nack before the requester's probe period ends, so it learns the relay
  // path works and the silence is the target's.
  schedule(timeout * 8 / 10, now, TimerKind::relay_nack, seq);
}

void NodeCore::on_relay_resend(std::uint64_t first_seq, Time /*now*/) {
  auto relay = relays_.find(first_seq);
  if (relay == relays_.end()) return;
  Bytes body;
  wire::encode_ping(body);
  std::uint64_t seq = 0;
  const NodeId target = relay->second.target;
  // The resend introduces us, in case the target does not know us.
  if (const auto index = table_.find(target)) {
    send_datagram(*index, {{wire::MessageKind::ping, body}}, &seq, true, true);
  } else {
    send_datagram_to(target, relay->second.target_address, true, {{wire::MessageKind::ping, body}}, &seq, false, true);
  }
  if (seq == 0) return;
  relay->second.ping_seqs.push_back(seq);
  relay_pings_[seq] = first_seq;
}

void NodeCore::on_relay_timeout(std::uint64_t seq, Time /*now*/) {
  auto relay = relays_.find(seq);
  if (relay == relays_.end()) return;
  const Relay r = relay->second;
  for (const std::uint64_t s : r.ping_seqs) relay_pings_.erase(s);
  relays_.erase(relay);
  Bytes body;
  wire::encode_nack(r.requester_seq, body);
  if (const auto index = table_.find(r.requester)) send_datagram(*index, {{wire::MessageKind::nack, body}});
}

}  // namespace swell
