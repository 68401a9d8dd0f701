#include "swell/peer_info.h"

#include <algorithm>

namespace swell {
namespace {

// Ids appear in logs and whitespace-separated dumps, so they are visible ASCII.
bool is_id_char(unsigned char c) { return c > 0x20 && c < 0x7f; }

bool is_host_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

Error bad_address(std::string_view address, const std::string& why) {
  return Error{ErrorCode::invalid_peer_info,
               "address \"" + std::string(address.substr(0, 64)) + "\" " + why +
                   ": use host:port, e.g. 10.0.0.5:3000 or [::1]:3000"};
}

}  // namespace

std::string_view to_string(NodeType type) {
  switch (type) {
    case NodeType::proxy: return "proxy";
    case NodeType::backend: return "backend";
    case NodeType::governator: return "governator";
  }
  return "unknown";
}

Result<NodeType> parse_node_type(std::string_view name) {
  if (name == "proxy") return NodeType::proxy;
  if (name == "backend") return NodeType::backend;
  if (name == "governator") return NodeType::governator;
  return Error{ErrorCode::invalid_argument,
               "unknown node type \"" + std::string(name.substr(0, 32)) + "\": use proxy, backend or governator"};
}

Result<void> validate_address(std::string_view address, std::size_t max_bytes) {
  if (address.empty()) return bad_address(address, "is empty");
  if (address.size() > max_bytes) {
    return bad_address(address, "is longer than " + std::to_string(max_bytes) + " bytes");
  }
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos) return bad_address(address, "has no port");
  std::string_view host = address.substr(0, colon);
  const std::string_view port = address.substr(colon + 1);
  if (!host.empty() && host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return bad_address(address, "has an unclosed IPv6 bracket");
    host = host.substr(1, host.size() - 2);
    const bool ipv6_chars = std::all_of(host.begin(), host.end(), [](unsigned char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    });
    if (!ipv6_chars || host.find(':') == std::string_view::npos) {
      return bad_address(address, "has an invalid IPv6 host");
    }
  } else {
    if (host.empty()) return bad_address(address, "has no host");
    if (!std::all_of(host.begin(), host.end(), [](unsigned char c) { return is_host_char(c); })) {
      return bad_address(address, "has a character not allowed in a host name");
    }
  }
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](unsigned char c) { return c >= '0' && c <= '9'; })) {
    return bad_address(address, "has a port that is not a number");
  }
  unsigned value = 0;
  for (const char c : port) value = value * 10 + static_cast<unsigned>(c - '0');
  if (value == 0 || value > 65535) return bad_address(address, "has a port outside 1..65535");
  return success();
}

Result<void> validate(const PeerInfo& info, const PeerInfoLimits& limits) {
  if (info.id.empty()) {
    return Error{ErrorCode::invalid_peer_info, "PeerInfo id is empty: give every member a stable name"};
  }
  if (info.id.size() > limits.max_id_bytes) {
    return Error{ErrorCode::invalid_peer_info, "PeerInfo id is " + std::to_string(info.id.size()) +
                                                   " bytes, over the limit of " +
                                                   std::to_string(limits.max_id_bytes)};
  }
  if (!std::all_of(info.id.begin(), info.id.end(), [](unsigned char c) { return is_id_char(c); })) {
    return Error{ErrorCode::invalid_peer_info,
                 "PeerInfo id \"" + info.id.substr(0, 64) + "\" has a space or control character"};
  }
  if (auto address = validate_address(info.address, limits.max_address_bytes); !address.ok()) {
    return address;
  }
  if (static_cast<std::uint8_t>(info.node_type) > static_cast<std::uint8_t>(NodeType::governator)) {
    return Error{ErrorCode::invalid_peer_info, "PeerInfo node_type is not proxy, backend or governator"};
  }
  if (info.metadata.size() > limits.max_metadata_bytes) {
    return Error{ErrorCode::invalid_peer_info,
                 "PeerInfo metadata is " + std::to_string(info.metadata.size()) + " bytes, over the limit of " +
                     std::to_string(limits.max_metadata_bytes) +
                     ": shrink it or raise max_metadata_bytes on every node"};
  }
  return success();
}

}  // namespace swell
