// The protocol's formulas as free functions over plain numbers, so each is tested
// with a table of cases (tests/swim/formulas_test.cpp).
#pragma once

#include <cstddef>

#include "swell/time.h"

namespace swell::swim {

/// Sends per update: mult * ceil(log10(n + 1)), at least 1 (memberlist's retransmitLimit).
int retransmit_limit(int mult, std::size_t n);

/// Lifeguard's minimum suspicion timeout: mult * max(1, log10(n)) * probe_interval.
Duration suspicion_min_timeout(double mult, std::size_t n, Duration probe_interval);

/// Lifeguard (LHA-Suspicion): the timeout starts at max and shrinks towards min as
/// independent confirmations arrive, logarithmically, reaching min at `expected`:
/// max - (max - min) * log(confirmations + 1) / log(expected + 1).
Duration suspicion_timeout(Duration min, Duration max, int confirmations, int expected);

/// The suspicion timeout's floor that lets a member silent for up to stall_tolerance
/// refute in time: a suspicion begins at least a probe interval into the silence, and
/// half an interval more leaves room for the refutation's round trip.
Duration stall_floor(Duration stall_tolerance, Duration probe_interval);
/// Push-pull interval: base for up to 256 members, then one more base per doubling.
Duration push_pull_interval(Duration base, std::size_t n);

/// Delay before repeating an exchange that found our table behind, shortly after we
/// joined: 1 s per 256 members (rounded up), so repeated summaries (17 bytes per
/// member) cost a catching-up member at most ~4.4 KB/s whatever the cluster's size.
Duration catch_up_interval(std::size_t n);

/// Lifeguard (LHM): a timeout stretched by local health score (0 = healthy).
Duration scale_by_health(Duration timeout, int health);

}  // namespace swell::swim
