#include "agent/bearer_token.h"

#include <sodium.h>

#include <array>
#include <cctype>

#include "identity/sodium_runtime.h"

namespace swell::agent {
namespace {

std::array<unsigned char, crypto_generichash_BYTES> digest(std::string_view text) {
  std::array<unsigned char, crypto_generichash_BYTES> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     nullptr, 0);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool constant_time_equal(std::string_view a, std::string_view b) {
  require_sodium();
  // Hashing first gives sodium_memcmp equal lengths, so not even the token's length leaks.
  const auto da = digest(a);
  const auto db = digest(b);
  return sodium_memcmp(da.data(), db.data(), da.size()) == 0;
}

bool bearer_matches(std::string_view token, std::string_view header) {
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size() || !iequals(header.substr(0, kScheme.size()), kScheme) ||
      header[kScheme.size()] != ' ') {
    return false;
  }
  std::string_view presented = header.substr(kScheme.size() + 1);
  while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
  while (!presented.empty() && presented.back() == ' ') presented.remove_suffix(1);
  return constant_time_equal(token, presented);
}

}  // namespace swell::agent
