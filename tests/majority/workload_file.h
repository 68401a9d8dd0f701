// The resolver workload format shared with ../shared/workloads (see gen.py there): one
// entry per line, "peer id address metrics_port node_type is_load_balancer last_updated_ms",
// '#' lines are comments; and the .expected format the resolved records are compared in.
// Used by the resolver tests and by bench/swell-resolve-bench, so both read and print alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "swell/peer_info.h"
#include "swell/resolver.h"
#include "swell/result.h"

namespace swell::workload {

/// P views in peer order; a peer index never listed gets an empty view.
using Views = std::vector<std::vector<PeerInfo>>;

/// Parses workload text; the error names the first malformed line.
Result<Views> parse_workload(std::string_view text);
/// Reads and parses a workload file.
Result<Views> read_workload(const std::string& path);

/// One resolved record as an .expected line, without the newline.
std::string format_record(const PeerInfo& info);
/// The .expected header line: "# nodes=.. conflicts=.. tie_breaks=.. ambiguous_majorities=..".
std::string format_metrics(const ResolveMetrics& metrics);

}  // namespace swell::workload
