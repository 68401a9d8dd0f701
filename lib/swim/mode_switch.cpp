// The selector under Config::mode = automatic (docs/majority.md, "Selector"): the
// lowest-id live member decides, signs an epoch-numbered ModeDecision and sends it to
// every member; every member applies the highest epoch it has seen. Only the failure
// detector changes: the table, the claims and the events go on as they were, so a
// switch reports nobody failed or joined.
#include <algorithm>

#include "swim/node_core.h"
#include "wire/mode_decision.h"

namespace swell {
namespace {

// A decision is resent to every member this many times after it is made, one round
// apart: at 10% loss a member misses all five with probability 1e-5, and the
// heartbeat's epoch catches the rest.
constexpr int kDecisionResends = 4;
// No decision sooner than this after the last switch: the thresholds' gap stops a
// size oscillating around one threshold, this stops a burst of joins and leaves that
// crosses both.
constexpr Duration kMinDwell = std::chrono::seconds(10);
constexpr Duration kModeRound = std::chrono::seconds(1);
// How often one member is re-sent our decision when its heartbeat shows an older epoch.
constexpr Duration kDecisionReplyGap = std::chrono::milliseconds(500);

majority::ModeSelector selector_for(const Config& config) {
  auto made = majority::ModeSelector::create({config.swim_at_members, config.majority_at_members});
  // validate() checked the thresholds; fall back to the defaults should it not have been called.
  return made.ok() ? made.value() : majority::ModeSelector::create({}).value();
}

}  // namespace

bool NodeCore::coordinates_modes() const {
  for (std::uint32_t i = 1; i < table_.size(); ++i) {
    if (probeable(i) && table_.at(i).id() < identity_.id()) return false;
  }
  return true;
}

void NodeCore::on_mode_round(Time now) {
  schedule(kModeRound, now, swim::ModeRound{});
  if (phase_ != Phase::joined) return;
  // A member that joined within the last two rounds may hold part of the table (a
  // join answer holds up to join_answer_records): it does not decide yet.
  const bool settled =
      now - joined_at_ >= 2 * kModeRound && (decision_body_.empty() || now - mode_switched_at_ >= kMinDwell);
  if (coordinates_modes() && settled) {
    const majority::Mode next = selector_for(config_).next(mode_, live_members());
    if (next != mode_) {
      const wire::ModeDecision decision{identity_.id(), mode_epoch_ + 1, static_cast<std::uint8_t>(next)};
      const Bytes payload = wire::encode_mode_decision_payload(decision);
      const Bytes body = wire::encode_signed_mode_decision(payload, identity_.sign(wire::mode_decision_message(payload, config_.cluster_label)));
      apply_mode_decision(decision, body, now);
      decision_resends_ = kDecisionResends;
      return;  // apply_mode_decision sent it to everyone
    }
  }
  if (decision_resends_ > 0 && !decision_body_.empty()) {
    --decision_resends_;
    for (std::uint32_t i = 1; i < table_.size(); ++i) {
      if (probeable(i)) send_mode_decision(i);
    }
  }
}

void NodeCore::send_mode_decision(std::uint32_t index) {
  send_datagram(index, {{wire::MessageKind::mode_decision, decision_body_}}, SendOptions{false, false});
}

void NodeCore::on_mode_decision(ByteView body, const NodeId& sender, Time now) {
  if (config_.mode != ClusterMode::automatic) return;  // a fixed mode is the operator's choice
  auto decision = wire::verify_mode_decision(body, config_.cluster_label);
  if (!decision.ok()) {
    ++stats_.claims_rejected;
    return;
  }
  (void)sender;
  // Only a member's decision counts (anyone can sign one with a fresh key).
  if (!table_.find(decision.value().author)) return;
  if (!supersedes(decision.value())) return;
  apply_mode_decision(decision.value(), Bytes(body.begin(), body.end()), now);
}

bool NodeCore::supersedes(const wire::ModeDecision& decision) const {
  if (decision.epoch != mode_epoch_) return decision.epoch > mode_epoch_;
  // Two coordinators (views differed for a moment) numbered the same epoch: the lower
  // id wins everywhere, so every member settles on the same decision.
  return !decision_body_.empty() && decision.author < decision_author_;
}

void NodeCore::apply_mode_decision(const wire::ModeDecision& decision, Bytes body, Time now) {
  const auto mode = static_cast<majority::Mode>(decision.mode);
  mode_epoch_ = decision.epoch;
  decision_author_ = decision.author;
  decision_body_ = std::move(body);
  mode_switched_at_ = now;
  if (mode != mode_) {
    mode_ = mode;
    ++stats_.mode_switches;
    names_dirty_ = true;  // views vote on contested names in majority mode only
    if (mode_ == majority::Mode::majority) {
      // Fresh silences for everyone: our last heartbeats are a switch old.
      reach_.clear();
      own_view_ = majority::ReachabilityView();
      own_view_changed_ = false;
      stalled_until_ = now;
    }
  }
  // Pass it on to every member once: with the author's resends, that reaches a member
  // on many independent paths.
  for (std::uint32_t i = 1; i < table_.size(); ++i) {
    if (probeable(i)) send_mode_decision(i);
  }
}

void NodeCore::sync_mode_epoch(std::uint64_t their_epoch, std::uint32_t index, Time now) {
  if (config_.mode != ClusterMode::automatic) return;
  auto& last = decision_replied_[table_.at(index).id()];
  if (now - last < kDecisionReplyGap && last != Time{0}) return;
  if (their_epoch < mode_epoch_ && !decision_body_.empty()) {
    last = now;
    send_mode_decision(index);
  } else if (their_epoch > mode_epoch_) {
    // It knows a later decision: our heartbeat shows it our epoch, and it answers with it.
    last = now;
    send_heartbeat(index, false);
  }
}

}  // namespace swell
