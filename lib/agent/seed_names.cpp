#include "agent/seed_names.h"

#include <netdb.h>

#include <algorithm>
#include <memory>

#include "runtime/socket_address.h"

namespace swell::agent {
namespace {

// The addresses a host name gives, as numeric host:port; IPv4 first, since a dual-stack
// seed most often listens on its IPv4 address.
std::vector<std::string> resolve(const std::string& host, const std::string& port, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    *error = ::gai_strerror(rc);
    return {};
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(found, &::freeaddrinfo);
  std::vector<std::string> v4, v6;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) v4.push_back(runtime::format_socket_address(a->ai_addr));
    if (a->ai_family == AF_INET6) v6.push_back(runtime::format_socket_address(a->ai_addr));
  }
  v4.insert(v4.end(), v6.begin(), v6.end());
  return v4;
}

}  // namespace

std::vector<std::string> resolve_seed_names(const std::vector<std::string>& seeds, std::vector<std::string>* problems) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& address) {
    if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(address);
  };
  for (const std::string& seed : seeds) {
    if (runtime::parse_socket_address(seed).ok()) {
      add(seed);
      continue;
    }
    const auto colon = seed.rfind(':');
    std::string error = "no :port";
    std::vector<std::string> found;
    if (colon != std::string::npos) {
      found = resolve(std::string(runtime::host_of(seed)), seed.substr(colon + 1), &error);
    }
    if (found.empty() && problems != nullptr) {
      problems->push_back("seed " + seed + " does not resolve (" + error + "); it is skipped");
    }
    for (const std::string& address : found) add(address);
  }
  return out;
}

}  // namespace swell::agent
