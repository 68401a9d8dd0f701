#include "agent/key_list.h"

#include <algorithm>
#include <set>

#include "agent/whole_file.h"

namespace swell::agent {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

// A line as it is shown in an error: bounded, since the file may not be text at all.
std::string shown(std::string_view line) {
  std::string out(line.substr(0, 80));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  }
  return "\"" + out + (line.size() > 80 ? "...\"" : "\"");
}

}  // namespace

Result<NodeId> parse_public_key(std::string_view text) {
  auto id = NodeId::from_hex(text);
  if (id.ok() && !id.value().is_zero()) return id;
  return Error{ErrorCode::invalid_config,
               shown(text) + " is not a public key: give the 64 hex digits `swell-agent id KEYFILE` prints"};
}

Result<std::vector<NodeId>> parse_key_list(std::string_view text, const std::string& source) {
  std::vector<NodeId> keys;
  std::set<NodeId> seen;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    auto key = parse_public_key(line);
    if (!key.ok()) {
      return Error{ErrorCode::invalid_config, source + ":" + std::to_string(line_number) + ": " +
                                                  key.error().message + ", one per line (# starts a comment)"};
    }
    if (seen.insert(key.value()).second) keys.push_back(key.value());
  }
  return keys;
}

Result<std::vector<NodeId>> read_key_list_file(const std::string& path) {
  auto text = read_whole_file(path, kMaxKeyListBytes);
  if (!text.ok()) return Error{ErrorCode::io, text.error().message + "; make the file readable by this user"};
  if (!text.value()) return Error{ErrorCode::io, "no key list file at " + path + ": check the path"};
  if (text.value()->size() > kMaxKeyListBytes) {
    return Error{ErrorCode::invalid_config, path + ": larger than " + std::to_string(kMaxKeyListBytes) +
                                                " bytes, which no key list is; check the path"};
  }
  return parse_key_list(*text.value(), path);
}

std::string format_key_list(const std::vector<NodeId>& keys, const std::vector<std::string>& header) {
  std::string out;
  for (const std::string& line : header) out += "# " + line + "\n";
  for (const NodeId& key : keys) out += key.to_hex() + "\n";
  return out;
}

}  // namespace swell::agent
