// Joining through seeds (retries with back-off), the early exchanges after joining,
// and reconnecting remembered failed members so a healed partition merges back.
#include "swim/node_core.h"

namespace swell {

void NodeCore::contact_seeds(const std::vector<std::string>& seeds, Time now) {
  for (const std::string& seed : seeds) {
    if (seed == swim_address_) continue;
    if (phase_ == Phase::joining) {
      seeds_.push_back(seed);
    } else {
      // A join exchange merges the seed's table (a sample of it beyond
      // join_answer_records) into ours and ours into its; gossip and push-pull carry
      // the rest, so two clusters an operator joins become one.
      start_stream(StreamPurpose::join, NodeId{}, seed, now);
    }
  }
}

void NodeCore::try_join(Time now) {
  if (phase_ != Phase::joining || seeds_.empty()) return;
  const std::string seed = seeds_[next_seed_ % seeds_.size()];
  ++next_seed_;
  start_stream(StreamPurpose::join, NodeId{}, seed, now);
}

// A join attempt failed: the next seed now, or after a whole round of them, the next
// one after an exponential back-off.
void NodeCore::on_join_retry(Time now) {
  if (phase_ != Phase::joining) return;
  ++join_attempts_;
  ++join_generation_;
  // Try every seed once quickly, then back off exponentially up to join_retry_max.
  if (static_cast<std::size_t>(join_attempts_) % seeds_.size() != 0) {
    try_join(now);
    return;
  }
  const int rounds = join_attempts_ / static_cast<int>(seeds_.size());
  Duration delay = config_.join_retry_initial;
  for (int i = 1; i < rounds && delay < config_.join_retry_max; ++i) delay *= 2;
  delay = std::min(delay, config_.join_retry_max);
  schedule(delay, now, swim::JoinRetry{join_generation_});
}

void NodeCore::add_join_answer(wire::PushPullView& reply, const NodeId& joiner) {
  if (table_.size() <= config_.join_answer_records) {
    for (std::uint32_t i = 0; i < table_.size(); ++i) add_record(reply, i);
    return;
  }
  // Our whole table for every joiner would cost a storm of N joins through us N^2 / 2
  // records of our uplink alone (2.4 s at 1 Gb/s for 2,000 members, 60 s for 10,000),
  // with answers queueing past stream_timeout. A random sample of live members instead
  // gives the joiner partners for the exchange that fetches the rest (complete_join):
  // each joiner then costs us O(1), and the table reaches it from many members at once.
  // The joiner's own record as we hold it goes too: a restarted member must learn at
  // once that the cluster holds an earlier life of it (perhaps dead) to outbid.
  add_record(reply, 0);
  std::size_t budget = config_.join_answer_records - 1;
  if (const auto index = table_.find(joiner)) {
    add_record(reply, *index);
    --budget;
  }
  for (const std::uint32_t index : random_members(budget, &joiner)) add_record(reply, index);
}

void NodeCore::complete_join(const NodeId& seed, const wire::StateDigest& seed_digest, Time now) {
  phase_ = Phase::joined;
  joined_at_ = now;
  ++join_generation_;
  enqueue_gossip(table_.at(0).alive);
  start_periodic_timers(now);
  // The seed's digest covers its whole table (with us in it); ours differs when its
  // answer was a sample. A summary-first exchange with another member fetches the rest
  // now, so a single join completes its view within a few round trips, as with a full
  // answer. Not with the seed: its summary alone costs it O(N) per joiner.
  if (state_digest() != seed_digest) {
    for (const std::uint32_t index : random_members(1, &seed)) {
      start_stream(StreamPurpose::push_pull, table_.at(index).id(), address_of(index), now);
    }
  }
  // Members that joined at about the same time reach us by gossip, which misses a
  // member now and then: early digest exchanges repair that within seconds instead
  // of a full push-pull interval. The whole series runs even when an exchange finds
  // equal tables (that partner may lack the same member we do: a 10,000-member storm
  // once left a member missing an announcement for 45 s when equality ended it);
  // between equal tables an exchange costs one digest each way.
  for (const int offset_s : {1, 2, 3, 4, 8, 16, 32}) {
    schedule(std::chrono::seconds(offset_s), now, swim::PushPullRound{true});
  }
}

void NodeCore::on_reconnect(Time now) {
  if (phase_ != Phase::joined) return;
  schedule(config_.reconnect_interval, now, swim::ReconnectRound{});
  const std::size_t dead = table_.count(MemberState::dead);
  if (dead == 0) return;
  // Pick the k-th failed member uniformly; a healed partition merges back through these.
  std::uint64_t k = rng_.below(dead);
  for (std::uint32_t i = 1; i < table_.size(); ++i) {
    const swim::Member& m = table_.at(i);
    if (m.state != MemberState::dead) continue;
    if (k-- == 0) {
      // A member removed for its admission (revoked, expired) is not called back.
      if (admission_.check_key(m.id()) != AdmissionRefusal::none) return;
      start_stream(StreamPurpose::reconnect, m.id(), address_of(i), now);
      return;
    }
  }
}

}  // namespace swell
