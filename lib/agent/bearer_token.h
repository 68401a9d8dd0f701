// The HTTP API's token rule: with a token configured, a request must carry
// "Authorization: Bearer TOKEN". The comparison takes the same time wherever the
// strings differ and whatever their lengths, so timing reveals nothing of the token.
//
//   if (!token.empty() && !bearer_matches(token, req.get_header_value("Authorization"))) deny();
#pragma once

#include <string_view>

namespace swell::agent {

/// True when a and b are equal, compared in constant time (of their hashes).
bool constant_time_equal(std::string_view a, std::string_view b);
/// True when header is "Bearer <token>" (scheme in any case) with exactly this token.
bool bearer_matches(std::string_view token, std::string_view header);

}  // namespace swell::agent
