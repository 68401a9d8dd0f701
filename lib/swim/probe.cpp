// Probing (SWIM section 4, Lifeguard section 4): one target per probe interval in a
// shuffled round-robin order (ProbeScheduler); direct pings, then k indirect probes
// through relays (relay.cpp); the local health score stretches the interval and
// timeouts when this node itself is the slow one.
#include <algorithm>

#include "swim/formulas.h"
#include "swim/node_core.h"

namespace swell {

void NodeCore::send_ping(std::uint32_t index, bool introduce) {
  Bytes body;
  wire::encode_ping(body);
  const Sent sent = send_datagram(index, {{wire::MessageKind::ping, body}}, SendOptions{true, introduce});
  probe_->ping_seqs.push_back(sent.seq);
  ++probe_->pings_sent;
}

void NodeCore::start_probe(Time now) {
  const Duration interval = swim::scale_by_health(config_.probe_interval, awareness_.score());
  ++probe_generation_;
  probe_.reset();
  const auto target = probe_order_.next(table_.size(), rng_, [this](std::uint32_t i) { return probeable(i); });
  if (!target) {
    schedule(interval, now, swim::ProbeStart{probe_generation_});
    return;
  }
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
    schedule(timeout * attempt / config_.ping_attempts, now, swim::ProbeResend{probe_generation_});
  }
  schedule(timeout, now, swim::ProbeIndirect{probe_generation_});
  schedule(interval, now, swim::ProbeEnd{probe_generation_});
}

void NodeCore::on_probe_resend(std::uint64_t generation) {
  if (!probe_ || probe_->generation != generation || probe_->acked) return;
  const auto index = table_.find(probe_->target);
  if (!index) return;
  send_ping(*index, false);
}

void NodeCore::on_probe_indirect(std::uint64_t generation) {
  if (!probe_ || probe_->generation != generation || probe_->acked) return;
  const auto index = table_.find(probe_->target);
  if (!index) return;
  ++stats_.indirect_probes;
  Bytes body;
  wire::encode_ping_req(wire::PingReq{probe_->target, address_of(*index)}, body);
  for (const std::uint32_t relay : random_members(static_cast<std::size_t>(config_.indirect_checks), &probe_->target)) {
    const Sent sent = send_datagram(relay, {{wire::MessageKind::ping_req, body}});
    probe_->request_seqs.push_back(sent.seq);
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
  const bool final_check = suspicion != suspicions_.end() && suspicion->second.in_final_check();
  if (probe.acked) {
    awareness_.apply_delta(-1);
    if (final_check) {
      // It answered: alive after all, though its refutation has not reached us (it
      // usually rides on the ack). Give it a fresh suspicion period to arrive.
      suspicion->second.restart(now);
      arm_suspicion_timer(probe.target, suspicion->second);
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

void NodeCore::on_ack(std::uint64_t seq) {
  if (probe_ && !probe_->acked &&
      (std::find(probe_->ping_seqs.begin(), probe_->ping_seqs.end(), seq) != probe_->ping_seqs.end() ||
       std::find(probe_->request_seqs.begin(), probe_->request_seqs.end(), seq) != probe_->request_seqs.end())) {
    probe_->acked = true;
    // It answered a ping that named us in full with our alive claim attached, or
    // compactly: either way it knows us now, so later pings can be 33 bytes.
    if (const auto index = table_.find(probe_->target)) table_.at(*index).knows_us = true;
    return;
  }
  forward_relay_ack(seq);  // late or unknown acks are harmless
}

void NodeCore::on_nack(std::uint64_t seq) {
  if (probe_ &&
      std::find(probe_->request_seqs.begin(), probe_->request_seqs.end(), seq) != probe_->request_seqs.end()) {
    ++probe_->nacks;
  }
}

}  // namespace swell
