#include "runtime/agent_addresses.h"

namespace swell::runtime {

Result<SocketAddress> bind_target(const AgentOptions& options) {
  auto bind = parse_socket_address(options.bind_address);
  if (!bind.ok()) return Error{ErrorCode::invalid_argument, "bind_address: " + bind.error().message};
  if (bind.value().is_unspecified() && options.advertise_address.empty()) {
    return Error{ErrorCode::invalid_argument,
                 "bind_address " + options.bind_address + " listens on every interface, so peers cannot be told "
                 "where to reach us: set advertise_address to this host's reachable host:port"};
  }
  return bind;
}

Result<std::string> advertised_address(const AgentOptions& options, std::uint16_t port) {
  const std::string& text = options.advertise_address.empty() ? options.bind_address : options.advertise_address;
  const auto colon = text.rfind(':');
  const bool bracketed_host_only = !text.empty() && text.front() == '[' && text.back() == ']';
  if (colon == std::string::npos || bracketed_host_only || (text.front() != '[' && text.find(':') != colon)) {
    return Error{ErrorCode::invalid_argument,
                 "advertise_address \"" + text + "\" needs a port (host:port, [v6]:port; port 0 = the bound port)"};
  }
  std::string out = text;
  if (text.substr(colon + 1) == "0") out = text.substr(0, colon + 1) + std::to_string(port);
  if (auto valid = validate_address(out); !valid.ok()) {
    return Error{ErrorCode::invalid_argument, "advertise_address: " + valid.error().message};
  }
  return out;
}

}  // namespace swell::runtime
