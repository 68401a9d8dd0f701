// FaultFilter: the test and bench fault-injection hook, applied at the transport as the
// memberlist anchor harness does: inbound datagrams dropped with a probability, and
// traffic to or from blocked addresses dropped.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "swell/agent.h"
#include "swell/rng.h"

namespace swell::runtime {

/// Decides which datagrams and dials the injected faults drop. Loop thread only.
class FaultFilter {
 public:
  /// The filter for faults; a zero seed draws one from libsodium.
  explicit FaultFilter(const FaultInjection& faults);

  /// True when the datagram from `from` must be dropped (blocked, or lost by chance).
  bool drop_inbound(std::string_view from);
  /// True when traffic to `address` (host:port) must be dropped.
  [[nodiscard]] bool blocks(std::string_view address) const;
  /// True when no fault is configured (the fast path).
  [[nodiscard]] bool empty() const { return loss_ <= 0 && blocked_.empty() && !tap_; }
  /// Shows a received datagram to the tap, if any.
  void tap(const std::string& from, ByteView bytes) const {
    if (tap_) tap_(from, bytes);
  }

 private:
  double loss_ = 0;
  std::set<std::string, std::less<>> blocked_;
  Rng rng_;
  std::function<void(const std::string&, ByteView)> tap_;
};

}  // namespace swell::runtime
