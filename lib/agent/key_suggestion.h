// The known key an unknown one was probably meant to be ("bnid" -> "bind"), so an error
// about a typo in a config file can name the fix.
//
//   suggest_key("adress", keys);  // "address"
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace swell::agent {

/// The known key within two edits (insert, delete, replace) of key, the nearest first;
/// "" when none is that close.
std::string suggest_key(std::string_view key, std::span<const std::string_view> known);

}  // namespace swell::agent
