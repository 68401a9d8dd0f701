// Probing (SWIM section 4, Lifeguard section 4): one target per probe interval in a
// shuffled round-robin order (ProbeScheduler); direct pings, then k indirect probes
// through relays (relay.cpp); the local health score stretches the interval and
// timeouts when this node itself is the slow one.
#include <algorithm>

#include "swim/formulas.h"
#include "swim/node_core.h"

namespace swell {

Duration NodeCore::lane_interval(std::uint8_t lane) const {
  const Duration interval = swim::scale_by_health(config_.probe_interval, awareness_.score());
  if (lane == 0 || lane == kCheckLane) return interval;
  if (probe_order_.order() != ProbeOrder::ring || config_.round_robin_every == 0) return Duration::max();
  return interval * config_.round_robin_every;
}

NodeCore::Probe* NodeCore::probe_with(std::uint64_t generation) {
  for (auto& probe : probes_) {
    if (probe && probe->generation == generation) return &*probe;
  }
  return nullptr;
}

void NodeCore::stop_probing() {
  for (std::uint8_t lane = 0; lane < kLanes; ++lane) {
    lane_generation_[lane] = ++next_probe_generation_;  // pending lane timers go stale
    probes_[lane].reset();
  }
}

std::uint64_t NodeCore::send_ping_to(std::uint32_t index, bool introduce) {
  Bytes body;
  wire::encode_ping(body);
  return send_datagram(index, {{wire::MessageKind::ping, body}}, SendOptions{true, introduce}).seq;
}

void NodeCore::send_ping(Probe& probe, std::uint32_t index, bool introduce) {
  probe.ping_seqs.push_back(send_ping_to(index, introduce));
  ++probe.pings_sent;
}

void NodeCore::send_trial_round(Probe& probe, std::uint32_t index) {
  const std::size_t round = probe.ping_seqs.size();
  send_ping(probe, index, false);
  if (probe.controls.empty()) return;
  const auto which = static_cast<std::uint8_t>(round % probe.controls.size());
  if (const auto control = table_.find(probe.controls[which])) {
    probe.control_seqs.push_back(send_ping_to(*control, false));
    probe.control_of.push_back(which);
  }
}

void NodeCore::start_probe(std::uint8_t lane, Time now) {
  const Duration interval = lane_interval(lane);
  const std::uint64_t generation = lane_generation_[lane] = ++next_probe_generation_;
  probes_[lane].reset();
  auto probeable_member = [this](std::uint32_t i) { return probeable(i); };
  // The check lane: a held-down member due its probation check, or one on trial.
  std::optional<std::uint32_t> target;
  bool probation = false;
  bool trial = false;
  if (lane == kCheckLane) {
    if (const auto due = damper_.due(now)) {
      target = table_.find(due->member);
      const bool dead = target && table_.at(*target).state == MemberState::dead;
      // Probation is for members we hold dead, a trial for members we still hold up.
      const bool checkable = target && (due->trial ? !dead && table_.at(*target).state != MemberState::left : dead);
      if (checkable) {
        damper_.check_started(due->member, now);
        probation = !due->trial;
        trial = due->trial;
      } else {
        damper_.forget(due->member);
        target.reset();
      }
    }
  }
  if (!target && lane == 0) {
    target = probe_order_.next(table_.size(), rng_, probeable_member,
                               [this](std::uint32_t i) { return table_.at(i).id().prefix64(); });
  } else if (!target && lane == 1) {
    target = probe_order_.next_round_robin(table_.size(), rng_, probeable_member);
  }
  if (!target) {
    schedule(interval, now, swim::ProbeStart{generation, lane});
    return;
  }
  // emplace(Probe{}), not emplace(): clang 14 decides whether Probe is default-
  // constructible while NodeCore is still incomplete (its member initializers unparsed),
  // caches "no", and refuses emplace() with no arguments.
  Probe& probe = probes_[lane].emplace(Probe{});
  probe.target = table_.at(*target).id();
  probe.started = now;
  probe.generation = generation;
  probe.lane = lane;
  probe.probation = probation;
  probe.trial = trial;
  ++stats_.probes;
  if (trial) {
    probe.controls.clear();
    for (const std::uint32_t i : random_members(kTrialControls, &probe.target)) probe.controls.push_back(table_.at(i).id());
    send_trial_round(probe, *target);
  } else {
    send_ping(probe, *target, false);
  }
  const Duration timeout = swim::scale_by_health(config_.probe_timeout, awareness_.score());
  // Resends spread over the direct timeout: a single lost datagram costs a resend,
  // not an indirect probe or a suspicion. A check sends all its pings, answered or
  // not: it measures how much of what it is sent the member answers.
  const int pings = probe.trial ? kTrialRounds : probe.probation ? kCheckPings : config_.ping_attempts;
  for (int attempt = 1; attempt < pings; ++attempt) {
    schedule(timeout * attempt / pings, now, swim::ProbeResend{generation});
  }
  schedule(timeout, now, swim::ProbeIndirect{generation});
  // The probe's verdict comes after one probe interval whatever the lane.
  schedule(swim::scale_by_health(config_.probe_interval, awareness_.score()), now, swim::ProbeEnd{generation});
}

void NodeCore::on_probe_resend(std::uint64_t generation) {
  Probe* probe = probe_with(generation);
  if (probe == nullptr || (probe->acked && !probe->judged())) return;
  const auto index = table_.find(probe->target);
  if (!index) return;
  if (probe->trial) {
    send_trial_round(*probe, *index);
  } else {
    send_ping(*probe, *index, false);
  }
}

void NodeCore::on_probe_indirect(std::uint64_t generation) {
  Probe* probe = probe_with(generation);
  // A check asks whether the member answers us promptly, not whether anyone can reach
  // it: no relays.
  if (probe == nullptr || probe->acked || probe->judged()) return;
  const auto index = table_.find(probe->target);
  if (!index) return;
  ++stats_.indirect_probes;
  Bytes body;
  wire::encode_ping_req(wire::PingReq{probe->target, address_of(*index)}, body);
  const NodeId target = probe->target;
  for (const std::uint32_t relay : random_members(static_cast<std::size_t>(config_.indirect_checks), &target)) {
    const Sent sent = send_datagram(relay, {{wire::MessageKind::ping_req, body}});
    probe->request_seqs.push_back(sent.seq);
    probe->relays.push_back(table_.at(relay).id());
  }
  // One more direct try alongside, as memberlist's fallback does, naming us in full
  // with our alive claim attached: the target may not know us (it missed our
  // announcement, or restarted), and it answers only members it knows.
  send_ping(*probe, *index, true);
}

void NodeCore::on_probe_end(std::uint64_t generation, Time now) {
  Probe* in_flight = probe_with(generation);
  if (in_flight == nullptr) return;
  const Probe probe = *in_flight;
  probes_[probe.lane].reset();
  judge_link(probe, now);
  if (probe.judged()) {
    start_probe(kCheckLane, now);
    return;
  }
  auto suspicion = suspicions_.find(probe.target);
  const bool final_check = suspicion != suspicions_.end() && suspicion->second.in_final_check();
  if (probe.acked) {
    awareness_.apply_delta(-1);
    if (suspicion != suspicions_.end()) suspicion->second.record_answered_probe();
    if (final_check) {
      // It answered: alive after all, though its refutation has not reached us (it
      // usually rides on the ack). Give it a fresh suspicion period to arrive.
      suspicion->second.restart(now);
      arm_suspicion_timer(probe.target, suspicion->second);
    }
  } else {
    update_health(probe);
    if (const auto index = table_.find(probe.target)) suspect_member(*index, now, probe.nacks);
    if (final_check) declare_dead(probe.target, now);
  }
  if (probe.lane == 0) {
    start_probe(0, now);
  } else {
    // The extra lane waits out the rest of its longer interval.
    const Duration rest = std::max(Duration{0}, lane_interval(1) - (now - probe.started));
    schedule(rest, now, swim::ProbeStart{lane_generation_[1], 1});
  }
}

void NodeCore::update_health(const Probe& probe) {
  // Lifeguard: relays that answered neither ack nor nack suggest our own network is at
  // fault. Only relays we heard from lately count: in a partition the relays across it
  // are silent because they are unreachable, which says nothing about us, and counting
  // them would stretch every timeout on both sides just when failures need detecting.
  const Duration recent = 2 * swim::scale_by_health(config_.probe_interval, awareness_.score());
  int reachable = 0;
  for (const NodeId& relay : probe.relays) {
    // A lookup only: reading when we last heard from it must not derive a key.
    const swim::PeerSession* session = keys_.find(relay);
    if (session != nullptr && session->any_seen && session->last_heard + recent >= probe.started) ++reachable;
  }
  if (probe.relays.empty()) {
    awareness_.apply_delta(1);
  } else {
    awareness_.apply_delta(std::max(0, reachable - probe.nacks));
  }
}

void NodeCore::on_ack(std::uint64_t seq) {
  auto holds = [seq](const std::vector<std::uint64_t>& seqs) {
    return std::find(seqs.begin(), seqs.end(), seq) != seqs.end();
  };
  for (auto& probe : probes_) {
    if (!probe) continue;
    if (holds(probe->control_seqs)) {
      if (!holds(probe->control_answered_seqs)) probe->control_answered_seqs.push_back(seq);
      return;
    }
    const bool direct = holds(probe->ping_seqs);
    if (!direct && !holds(probe->request_seqs)) continue;
    // Each ping counts once, however often its ack arrives (duplicated datagrams).
    if (direct && !holds(probe->answered_seqs)) probe->answered_seqs.push_back(seq);
    if (probe->acked) return;
    probe->acked = true;
    // It answered a ping that named us in full with our alive claim attached, or
    // compactly: either way it knows us now, so later pings can be 33 bytes.
    if (const auto index = table_.find(probe->target)) table_.at(*index).knows_us = true;
    return;
  }
  forward_relay_ack(seq);  // late or unknown acks are harmless
}

void NodeCore::on_nack(std::uint64_t seq) {
  for (auto& probe : probes_) {
    if (probe && std::find(probe->request_seqs.begin(), probe->request_seqs.end(), seq) != probe->request_seqs.end()) {
      ++probe->nacks;
    }
  }
}

}  // namespace swell
