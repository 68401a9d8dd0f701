// The revoked keys the agent learnt (from the cluster or applied here), kept in the data
// directory as revoked-keys.txt, a key list (agent/key_list.h) oldest first, so a
// restarted agent still refuses them (AdmissionConfig::revoked) even once no member
// remembers the revocation any more.
//
//   auto keys = load_revoked_keys(settings.data_dir);             // at start
//   config.admission.revoked = keys.value();
//   (void)save_revoked_keys(settings.data_dir, *snapshot.revoked); // when it changed
#pragma once

#include <string>
#include <vector>

#include "swell/node_id.h"
#include "swell/result.h"

namespace swell::agent {

/// The file's name inside the data directory.
inline constexpr const char* kRevokedFileName = "revoked-keys.txt";

/// The keys in data_dir/revoked-keys.txt, oldest first; none when there is no file.
/// Errors: io (unreadable), invalid_config (a bad line, with its number: the file was
/// edited by hand or is damaged; fix or delete it).
Result<std::vector<NodeId>> load_revoked_keys(const std::string& data_dir);

/// Replaces data_dir/revoked-keys.txt atomically (mode 0600) with keys, oldest first.
/// Errors: io (naming the path).
Result<void> save_revoked_keys(const std::string& data_dir, const std::vector<NodeId>& keys);

}  // namespace swell::agent
