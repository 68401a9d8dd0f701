// A readable one-line rendering of any message, for the demo, logs and traces.
#pragma once

#include <string>

#include "wire/decode_limits.h"
#include "wire/message_kind.h"

namespace swell::wire {

/// Renders a message body as text, e.g. `ack probe_seq=41`; a body that does not
/// decode renders as `<undecodable: reason>`. Signatures are not checked here.
std::string describe_message(MessageKind kind, ByteView body, const DecodeLimits& limits = {});

}  // namespace swell::wire
