// Seeds by host name: the runtime dials numeric addresses only (the protocol core keeps
// addresses as the text peers announce), so `run` resolves names (DNS, /etc/hosts)
// before handing seeds over. Numeric seeds pass through unchanged.
#pragma once

#include <string>
#include <vector>

namespace swell::agent {

/// Every seed as numeric host:port: names resolved (each address a name gives, IPv4
/// first), duplicates dropped. A seed that does not resolve is left out, with a line
/// in *problems saying why.
std::vector<std::string> resolve_seed_names(const std::vector<std::string>& seeds, std::vector<std::string>* problems);

}  // namespace swell::agent
