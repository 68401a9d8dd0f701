// Degraded members (Rapid, ATC'18, Figure 1): a member that loses most of what it sends
// answers a fifth of its pings, yet a fifth of its refutations get out, so it refutes
// every suspicion and SWIM never removes it. Its prober sees the unanswered pings
// (LinkQuality); it declares the member failed with a hold-down verdict, and every
// receiver checks the member with its own pings before agreeing, so a verdict by a
// member that is itself lossy (its pings and their answers get lost) holds no healthy
// member down. A held-down member comes back through probation checks (FlapDamper).
#include <algorithm>

#include "swim/node_core.h"

namespace swell {
namespace {

// A trial (FlapDamper::record_trial) finds a member bad when it answers less than 0.4
// times what its controls answer in the same periods: two checks of 48 pings to it and
// 12 to each of 4 controls. A member answering 20% of them (80% egress loss) against
// controls answering all is acquitted about once in two million trials (at 0.35 it
// was once in 8,000, and one of 396 observers kept it in view); under 30% loss
// everywhere (every member answers 49%) a healthy member is found bad even more
// rarely. Probation lets a held member back when its 8 pings are answered at least
// 0.75 times as well as the other members' recent pings: 0.1% of checks for a member
// answering 20%. Between the two a member neither condemns nor clears itself.
constexpr double kGoodFrom = 0.75;

// The median of the controls' answered fractions: one control that is itself lossy
// (the other lossy member, say) must not make the member look as good as the others.
std::optional<double> control_median(const std::vector<std::uint64_t>& seqs, const std::vector<std::uint8_t>& control_of,
                                     const std::vector<std::uint64_t>& answered, std::size_t controls) {
  std::vector<int> sent(controls, 0);
  std::vector<int> got(controls, 0);
  for (std::size_t i = 0; i < seqs.size() && i < control_of.size(); ++i) {
    if (control_of[i] >= controls) continue;
    ++sent[control_of[i]];
    if (std::find(answered.begin(), answered.end(), seqs[i]) != answered.end()) ++got[control_of[i]];
  }
  std::vector<double> fractions;
  for (std::size_t c = 0; c < controls; ++c) {
    if (sent[c] > 0) fractions.push_back(static_cast<double>(got[c]) / sent[c]);
  }
  if (fractions.empty()) return std::nullopt;
  std::sort(fractions.begin(), fractions.end());
  const std::size_t mid = fractions.size() / 2;
  return fractions.size() % 2 == 1 ? fractions[mid] : (fractions[mid - 1] + fractions[mid]) / 2;
}

}  // namespace

void NodeCore::judge_link(const Probe& probe, Time now) {
  const int answered = static_cast<int>(probe.answered_seqs.size());
  const auto index = table_.find(probe.target);
  if (probe.judged()) {
    // A check is judged on its own pings, and kept out of LinkQuality: a held member's
    // probation pings would drag down the baseline every other member is compared with
    // (with two lossy members held, the other then passed probation by luck).
    if (probe.probation) {
      const auto relative = link_.relative(probe.target, answered, probe.pings_sent, now);
      // Late answers do not count: a member that answers only after the period is as
      // useless to the cluster as one that does not answer. Without a baseline (our
      // own probes stretched by poor health, say) it is compared with every ping
      // answered: a member that just recovered must not wait for our statistics.
      const double own = static_cast<double>(answered) / static_cast<double>(std::max(probe.pings_sent, 1));
      const bool good = relative.value_or(own) >= kGoodFrom;
      if (damper_.record_probation(probe.target, good) && index) {
        link_.forget(probe.target);  // a fresh start: its old window would condemn it again
        readmit(*index, now);
      }
      return;
    }
    // A trial, against its controls' answers in the same period (their median). Without
    // any control answer we cannot tell, and acquit.
    const auto controls =
        control_median(probe.control_seqs, probe.control_of, probe.control_answered_seqs, probe.controls.size());
    const auto result = damper_.record_trial(probe.target, probe.pings_sent,
                                             static_cast<int>(probe.answered_seqs.size()), controls.value_or(0), now);
    if (index && (result == swim::FlapDamper::TrialResult::held || result == swim::FlapDamper::TrialResult::held_ours)) {
      hold_down_degraded(*index, now, result == swim::FlapDamper::TrialResult::held_ours);
    }
    return;
  }
  link_.record(probe.target, probe.pings_sent, answered, now);
  if (!index) return;
  // Our own health must be perfect: a node whose own datagrams are lost sees every
  // member as degraded, and LinkQuality's comparison is only as good as its baseline.
  const swim::Member& m = table_.at(*index);
  if (m.state != MemberState::alive || damper_.held(probe.target) || damper_.on_trial(probe.target) ||
      awareness_.score() != 0 || phase_ != Phase::joined) {
    return;
  }
  // Found on our own probes, it still gets a trial before our verdict: a window of
  // ordinary probes is long, but under heavy loss everywhere a healthy member's can
  // still fall below the line now and then.
  if (link_.degraded(probe.target, config_.degraded_ratio, now)) damper_.put_on_trial(probe.target, now, true);
}

void NodeCore::on_hold_down_verdict(const swim::ClaimRef& claim, Time now, ClaimSource source) {
  if (config_.degraded_ratio <= 0 || !damper_.put_on_trial(claim->subject, now, false)) {
    heard_again(claim, source);
    return;
  }
  // Carry it on at once, whatever the subject's incarnation (its refutation races the
  // verdict), so the cluster hears of it in O(log n) rounds; but act on it only after
  // our own check: the prober may be the lossy one.
  spread(claim, source);
}

void NodeCore::hold_down_degraded(std::uint32_t index, Time now, bool announce) {
  const swim::Member& m = table_.at(index);
  const NodeId subject = m.id();
  FailureEvidence evidence = swim::accepted_verdict_evidence(identity_.id(), now, awareness_.score());
  evidence.probed_by_us = true;
  evidence.degraded = true;
  wire::DeadClaim dead{identity_.id(), subject, m.incarnation};
  dead.degraded = true;
  const swim::ClaimRef verdict = sign(dead);
  apply_dead(verdict, now, announce ? ClaimSource::gossip : ClaimSource::anti_entropy, std::move(evidence));
  damper_.hold(subject, now);
  link_.forget(subject);
}

}  // namespace swell
