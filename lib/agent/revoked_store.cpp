#include "agent/revoked_store.h"

#include "agent/key_list.h"
#include "agent/whole_file.h"

namespace swell::agent {
namespace {

std::string revoked_path(const std::string& data_dir) { return data_dir + "/" + kRevokedFileName; }

}  // namespace

Result<std::vector<NodeId>> load_revoked_keys(const std::string& data_dir) {
  const std::string path = revoked_path(data_dir);
  auto text = read_whole_file(path, kMaxKeyListBytes);
  if (!text.ok()) return text.error();
  if (!text.value()) return std::vector<NodeId>{};
  auto keys = parse_key_list(*text.value(), path);
  if (!keys.ok()) {
    return Error{ErrorCode::invalid_config, keys.error().message + "; fix the line, or delete " + path +
                                                " (the keys in it would be admitted again)"};
  }
  return keys;
}

Result<void> save_revoked_keys(const std::string& data_dir, const std::vector<NodeId>& keys) {
  const std::vector<std::string> header{
      "Keys revoked by a trusted CA, oldest first; swell-agent writes this file (docs/agent.md).",
      "A restarted agent refuses them. Deleting a line admits that key again."};
  return replace_whole_file(data_dir, revoked_path(data_dir), format_key_list(keys, header));
}

}  // namespace swell::agent
