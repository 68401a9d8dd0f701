// Majority mode (docs/majority.md): every member heartbeats every other, each keeps the
// latest reachability view of every peer, and a member is failed when a majority of the
// live members' views report it unreachable. It replaces probing only: the member
// table, the signed claims, refutation and dissemination are SWIM mode's, so a switch
// between modes changes no member's state.
#include "swim/node_core.h"

#include <algorithm>

#include "wire/reach_messages.h"

namespace swell {

bool NodeCore::majority_active() const { return mode_ == majority::Mode::majority; }

Duration NodeCore::silence_limit() const {
  // Lost heartbeats make observers' silences longer by an interval each, by p / (1 - p)
  // intervals on average at loss p (the mean run of losses before a heartbeat that
  // arrives). Three quarters of that, measured on our own inbound heartbeats, kept every
  // 3 s pause short of a majority at 20% loss over the seeds tried (docs/decision.md),
  // while a loss-free cluster keeps the shortest limit.
  const double total = heartbeats_heard_ + heartbeats_missed_;
  const double p = total < 20 ? 0 : std::min(0.9, heartbeats_missed_ / total);
  const auto allowance = Duration(static_cast<std::int64_t>(
      0.75 * p / (1 - p) * static_cast<double>(config_.heartbeat_interval.count())));
  return config_.stall_tolerance + config_.silence_margin + allowance;
}

void NodeCore::count_heartbeat(PeerReach& reach, Time now) {
  const Duration gap = now - reach.last_heartbeat;
  const Duration interval = config_.heartbeat_interval;
  const bool first = reach.last_heartbeat == Time{0};
  reach.last_heartbeat = now;
  // A gap over four intervals is a stall or a partition, not loss; asked-for and
  // stall-burst heartbeats come early and count as heard.
  if (first || gap > 4 * interval) return;
  const auto missed = static_cast<double>(std::max<std::int64_t>(0, (gap + interval / 2) / interval - 1));
  heartbeats_heard_ += 1;
  heartbeats_missed_ += missed;
  // A sliding estimate: halve both counts now and then, so a change of loss shows within
  // a few hundred heartbeats.
  if (heartbeats_heard_ + heartbeats_missed_ > 2000) {
    heartbeats_heard_ /= 2;
    heartbeats_missed_ /= 2;
  }
}

void NodeCore::note_heard(const NodeId& sender, Time now) {
  if (!majority_active()) return;
  if (auto it = reach_.find(sender); it != reach_.end()) it->second.last_heard = now;
}

std::vector<std::uint32_t> NodeCore::heartbeat_peers() const {
  std::vector<std::uint32_t> peers;
  for (std::uint32_t i = 1; i < table_.size(); ++i) {
    if (probeable(i)) peers.push_back(i);
  }
  return peers;
}

void NodeCore::on_heartbeat_timer(Time scheduled, Time now) {
  if (phase_ != Phase::joined) {
    if (phase_ != Phase::leaving) schedule(config_.heartbeat_interval, now, swim::HeartbeatRound{});
    return;
  }
  if (!majority_active()) {
    schedule(config_.heartbeat_interval, now, swim::HeartbeatRound{});
    return;
  }
  const std::vector<std::uint32_t> peers = heartbeat_peers();
  refresh_reach(peers, now);
  // One peer per interval / (n - 1): each peer hears from us once per interval, and at
  // any moment the peers' silences of us are spread evenly over the interval, so the
  // median observer's is half an interval (a crash is then found half an interval
  // before the silence limit by a majority).
  const Duration step = peers.empty() ? config_.heartbeat_interval
                                      : std::max(Duration(1000), config_.heartbeat_interval /
                                                                     static_cast<std::int64_t>(peers.size()));
  if (now - scheduled > config_.heartbeat_interval / 2) {
    // We were stalled (a paused process, a long GC): the silence we measured is ours,
    // so judge nobody until the datagrams that waited for us are read, and tell every
    // peer at once that we are back.
    // Twice, in separate datagrams: a peer that lost the first would otherwise wait
    // for its turn in the rotation, up to an interval more.
    stalled_until_ = now + config_.heartbeat_interval;
    for (int copy = 0; copy < 2; ++copy) {
      for (const std::uint32_t peer : peers) send_heartbeat(peer, false);
    }
  } else if (!peers.empty()) {
    // The next peer after the last one, in id order, so the rotation survives joins:
    // the smallest prefix above the cursor, else (wrapping) the smallest of all.
    std::uint32_t next = peers.front(), lowest = peers.front();
    bool found = false;
    for (const std::uint32_t peer : peers) {
      const std::uint64_t prefix = table_.at(peer).id().prefix64();
      if (prefix < table_.at(lowest).id().prefix64()) lowest = peer;
      if (prefix > heartbeat_cursor_ && (!found || prefix < table_.at(next).id().prefix64())) {
        next = peer;
        found = true;
      }
    }
    if (!found) next = lowest;
    heartbeat_cursor_ = table_.at(next).id().prefix64();
    send_heartbeat(next, false);
  }
  if (now >= stalled_until_) update_own_view(peers, now);
  heartbeat_failed_member(now);
  schedule(step, now, swim::HeartbeatRound{});
}

void NodeCore::refresh_reach(const std::vector<std::uint32_t>& peers, Time now) {
  // peers is in table order, not id order: mark who is live, then drop the rest.
  for (auto& [id, reach] : reach_) reach.live = false;
  for (const std::uint32_t peer : peers) {
    auto [it, added] = reach_.try_emplace(table_.at(peer).id());
    // A member new to us, or back from dead or left: its silence counts from now, not
    // from before its verdict (else a refuted member is condemned again at once).
    if (added || !it->second.was_live) it->second.last_heard = it->second.revived_at = now;
    it->second.live = true;
  }
  for (auto it = reach_.begin(); it != reach_.end();) {
    it->second.was_live = it->second.live;
    // Forget members no longer in the table; keep the dead (a refutation may revive
    // them), still listed in our view: a view that dropped a member the moment we
    // condemned it would take back our vote from a member still counting.
    if (!it->second.live && !table_.find(it->first)) {
      if (own_view_.erase(it->first.prefix64())) own_view_changed_ = true;
      it = reach_.erase(it);
    } else {
      ++it;
    }
  }
}

void NodeCore::update_own_view(const std::vector<std::uint32_t>& peers, Time now) {
  const Duration limit = silence_limit();
  for (const std::uint32_t peer : peers) {
    const NodeId& id = table_.at(peer).id();
    const PeerReach& reach = reach_.at(id);
    if (own_view_.set(id.prefix64(), now - reach.last_heard > limit)) own_view_changed_ = true;
  }
  if (!own_view_changed_) return;
  own_view_changed_ = false;
  names_dirty_ = true;  // our vote on a contested name may have changed
  // Our view changed: every peer gets it now rather than at its next heartbeat, so a
  // majority forms within a round trip of its last vote, everywhere at once.
  for (const std::uint32_t peer : peers) send_reach_view(peer);
  tally_majority(now);
}

void NodeCore::broadcast_claim(const swim::ClaimRef& claim) {
  // Heartbeats visit peers in id order, so gossip piggybacked on them alone spreads
  // around the ring a few peers per hop (a PeerInfo update took 8-10 s to reach 19
  // members at 20% loss). Every member already sends to every other here: one datagram
  // more per member and claim delivers it in one hop, and every receiver for whom it is
  // news does the same, so a member misses it only if all n - 1 copies are lost.
  for (const std::uint32_t peer : heartbeat_peers()) {
    if (table_.at(peer).id() == claim->subject && claim->kind != wire::MessageKind::alive) continue;
    send_datagram(peer, {{claim->kind, claim->body}}, SendOptions{false, false});
  }
}

void NodeCore::broadcast_own_alive(const swim::ClaimRef& own) {
  // The failed members too: after a partition heals, the far side holds us failed and
  // sends us nothing, so our refutation would otherwise cross only by push-pull or a
  // reconnect (10 s and more); this way everyone who can hear us has it in one hop.
  for (std::uint32_t i = 1; i < table_.size(); ++i) {
    if (probeable(i) || may_come_back(i)) {
      send_datagram(i, {{wire::MessageKind::alive, own->body}}, SendOptions{false, false});
    }
  }
}

bool NodeCore::may_come_back(std::uint32_t index) const {
  if (!config_.heal_contact) return false;
  const swim::Member& m = table_.at(index);
  if (m.state != MemberState::dead || damper_.held(m.id())) return false;
  const auto status = status_claims_.find(m.id());
  if (status == status_claims_.end() || status->second->kind != wire::MessageKind::dead || status->second->retired) {
    return false;
  }
  return admission_.check_key(m.id()) == AdmissionRefusal::none;
}

void NodeCore::heartbeat_failed_member(Time now) {
  if (now - failed_heartbeat_at_ < config_.heartbeat_interval) return;
  // The next failed member after the last one, in id order, wrapping: each failed member
  // hears from each of us once per (failed members) intervals, and from one of us far
  // more often, at a cost of one heartbeat per interval whatever the cluster's size.
  std::optional<std::uint32_t> next, lowest;
  for (std::uint32_t i = 1; i < table_.size(); ++i) {
    if (!may_come_back(i)) continue;
    const std::uint64_t prefix = table_.at(i).id().prefix64();
    if (!lowest || prefix < table_.at(*lowest).id().prefix64()) lowest = i;
    if (prefix > failed_cursor_ && (!next || prefix < table_.at(*next).id().prefix64())) next = i;
  }
  if (!next) next = lowest;
  if (!next) return;
  failed_heartbeat_at_ = now;
  failed_cursor_ = table_.at(*next).id().prefix64();
  send_heartbeat(*next, false);
}

void NodeCore::tell_of_verdict(std::uint32_t index, Time now) {
  if (!majority_active() || !may_come_back(index)) return;
  auto reach = reach_.find(table_.at(index).id());
  if (reach == reach_.end()) return;
  Time& told = reach->second.verdict_told;
  if (told != Time{0} && now - told < config_.heartbeat_interval / 2) return;
  told = now;
  const swim::ClaimRef& verdict = status_claims_.at(table_.at(index).id());
  send_datagram(index, {{wire::MessageKind::dead, verdict->body}}, SendOptions{false, false});
}

void NodeCore::send_heartbeat(std::uint32_t index, bool wants_view) {
  Bytes body;
  wire::encode_heartbeat(wire::Heartbeat{own_view_.digest(), wants_view, mode_epoch_}, body);
  // Until it has shown it knows us, a heartbeat names us with our alive claim: a member
  // that joined on the far side of a partition is otherwise unknown there after the
  // heal, and its heartbeats are dropped until push-pull (30 s) carries its claim.
  const bool introduce = config_.heal_contact && majority_active() && !table_.at(index).knows_us;
  send_datagram(index, {{wire::MessageKind::heartbeat, body}}, SendOptions{true, introduce});
}

void NodeCore::send_reach_view(std::uint32_t index) {
  Bytes body;
  wire::encode_reach_view(wire::ReachView{own_view_.digest(), own_view_.list()}, body);
  send_datagram(index, {{wire::MessageKind::reach_view, body}}, SendOptions{false, false});
}

void NodeCore::on_heartbeat(const wire::Heartbeat& heartbeat, const NodeId& sender, Time now) {
  const auto index = table_.find(sender);
  if (index && table_.at(*index).state == MemberState::dead) tell_of_verdict(*index, now);
  if (!index || !probeable(*index)) return;
  // In either mode: a heartbeat shows the sender's decision epoch (mode_switch.cpp).
  if (heartbeat.mode_epoch != mode_epoch_) sync_mode_epoch(heartbeat.mode_epoch, *index, now);
  if (!majority_active()) return;
  if (heartbeat.wants_view) send_reach_view(*index);
  auto it = reach_.find(sender);
  if (it == reach_.end()) return;
  PeerReach& reach = it->second;
  if (!heartbeat.wants_view) count_heartbeat(reach, now);
  const bool stale = !reach.have_view || reach.view.digest() != heartbeat.view_digest;
  // Ask for its view when our copy is out of date, at most once per half interval:
  // the answer may be lost, and the next heartbeat asks again.
  if (stale && now - reach.view_asked >= config_.heartbeat_interval / 2) {
    reach.view_asked = now;
    send_heartbeat(*index, true);
  }
}

void NodeCore::on_reach_view(const wire::ReachView& view, const NodeId& sender, Time now) {
  if (!majority_active()) return;
  auto it = reach_.find(sender);
  if (it == reach_.end()) return;
  it->second.view = majority::ReachabilityView(view.unreachable);
  it->second.have_view = true;
  it->second.view_at = now;
  names_dirty_ = true;
  tally_majority(now);
}

void NodeCore::tally_majority(Time now) {
  // Voters: every live member but the subject, ourselves included; a peer whose view
  // we never received votes "reachable".
  std::vector<std::pair<NodeId, const PeerReach*>> voters;
  voters.emplace_back(identity_.id(), nullptr);
  for (const auto& [id, reach] : reach_) {
    if (reach.live) voters.emplace_back(id, &reach);
  }
  const Duration limit = silence_limit();
  std::vector<NodeId> failed;
  for (const auto& [subject, reach] : reach_) {
    if (!reach.live) continue;
    const std::uint64_t prefix = subject.prefix64();
    // A member back from a verdict (a refutation, a healed partition) is judged on views
    // sent since: a view from before its return still lists it from its last silence, and
    // counting those condemned it again at once, over and over, until it was held down
    // for flapping. Past the silence limit, a view that still lists it is news.
    const bool recent = now - reach.revived_at <= limit;
    std::vector<NodeId> reporters;
    for (const auto& [voter, peer] : voters) {
      if (voter == subject) continue;
      const majority::ReachabilityView* view = peer == nullptr ? &own_view_ : peer->have_view ? &peer->view : nullptr;
      if (view == nullptr || !view->unreachable(prefix)) continue;
      if (peer != nullptr && recent && peer->view_at < reach.revived_at) continue;
      reporters.push_back(voter);
    }
    if (majority::majority_unreachable(reporters.size(), voters.size() - 1)) {
      failed.push_back(subject);
      majority_reporters_[subject] = std::move(reporters);
    }
  }
  for (const NodeId& subject : failed) declare_majority_dead(subject, now);
}

void NodeCore::declare_majority_dead(const NodeId& subject, Time now) {
  const auto index = table_.find(subject);
  if (!index || !probeable(*index)) return;
  FailureEvidence evidence;
  const std::vector<NodeId>& reporters = majority_reporters_[subject];
  evidence.first_suspected_by = reporters.empty() ? identity_.id() : reporters.front();
  evidence.confirmations = reporters;
  evidence.probed_by_us = own_view_.unreachable(subject.prefix64());
  evidence.declared_by = identity_.id();
  evidence.timeout_used = silence_limit();
  evidence.local_health = awareness_.score();
  evidence.suspected_at = now;
  majority_reporters_.erase(subject);
  const swim::ClaimRef verdict = sign(wire::DeadClaim{identity_.id(), subject, table_.at(*index).incarnation});
  apply_dead(verdict, now, ClaimSource::gossip, std::move(evidence));
}

}  // namespace swell
