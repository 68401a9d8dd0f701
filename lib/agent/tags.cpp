#include "agent/tags.h"

#include <nlohmann/json.hpp>

namespace swell::agent {

Result<void> validate_tag_key(std::string_view key) {
  if (key.empty() || key.size() > 64) {
    return Error{ErrorCode::invalid_argument,
                 "tag name '" + std::string(key) + "' must be 1 to 64 characters"};
  }
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == '-';
    if (!ok) {
      return Error{ErrorCode::invalid_argument,
                   "tag name '" + std::string(key) + "' may hold only letters, digits, '_', '.' and '-'"};
    }
  }
  return success();
}

Result<std::pair<std::string, std::string>> parse_tag(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    return Error{ErrorCode::invalid_argument, "tag '" + std::string(text) + "' is not key=value"};
  }
  std::string key(text.substr(0, eq));
  if (auto ok = validate_tag_key(key); !ok.ok()) return ok.error();
  return std::pair{std::move(key), std::string(text.substr(eq + 1))};
}

Bytes encode_tags(const Tags& tags) {
  if (tags.empty()) return {};
  // Invalid UTF-8 in a value is replaced, never thrown: tags come from operators' files.
  const std::string text = nlohmann::json(tags).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return Bytes(text.begin(), text.end());
}

std::optional<Tags> decode_tags(ByteView metadata) {
  if (metadata.empty()) return Tags{};
  const auto parsed = nlohmann::json::parse(metadata.begin(), metadata.end(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  Tags tags;
  for (const auto& [key, value] : parsed.items()) {
    if (!value.is_string()) return std::nullopt;
    tags.emplace(key, value.get<std::string>());
  }
  return tags;
}

}  // namespace swell::agent
