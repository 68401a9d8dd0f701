// Key lists: text files of public keys, one per line in the form `swell-agent id` prints
// (64 hex digits), with `#` comments and blank lines. The allow-list file and the data
// directory's revoked-keys.txt are key lists.
//
//   # backends, rack 3
//   9f1c04ab...e2   # backend-7
//
//   auto keys = read_key_list_file("/etc/swell-agent/allowlist.txt");
//   if (!keys.ok()) log(keys.error().message);   // names the file and the line
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "swell/node_id.h"
#include "swell/result.h"

namespace swell::agent {

/// Key list files larger than this are refused (about 150,000 keys with comments).
inline constexpr std::size_t kMaxKeyListBytes = 16u << 20;

/// One public key as operators write it: 64 hex digits. Errors: invalid_config, saying
/// how to get one (`swell-agent id KEYFILE`).
Result<NodeId> parse_public_key(std::string_view text);

/// The keys in text, in file order without duplicates; source names it in errors
/// ("allowlist.txt:4: ..."). Errors: invalid_config for a line that is not a key.
Result<std::vector<NodeId>> parse_key_list(std::string_view text, const std::string& source);

/// Reads and parses the file at path. Errors: io (missing or unreadable, naming the
/// path), invalid_config (too large, or a bad line with its number).
Result<std::vector<NodeId>> read_key_list_file(const std::string& path);

/// The text of a key list: the header comment lines (each gets "# "), then one key a line.
std::string format_key_list(const std::vector<NodeId>& keys, const std::vector<std::string>& header);

}  // namespace swell::agent
