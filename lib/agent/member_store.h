// The last known members, kept in the data directory (members.json) so a restarted
// agent can rejoin through them when its configured seeds are gone: Serf's snapshot,
// reduced to what a rejoin needs.
//
//   (void)save_members(settings.data_dir, *snapshot.members);      // on each change, say
//   std::string warning;
//   for (auto& a : load_member_addresses(settings.data_dir, &warning)) seeds.push_back(a);
//   if (!warning.empty()) log(warning);
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "swell/events.h"
#include "swell/result.h"

namespace swell::agent {

/// The file's name inside the data directory.
inline constexpr const char* kMembersFileName = "members.json";
/// load_member_addresses reads no more than this; a bigger file is ignored with a warning.
inline constexpr std::size_t kMaxMembersFileBytes = 4u << 20;

/// Writes data_dir/members.json atomically (temp file, fsync, rename, fsync of the
/// directory), mode 0600: at most limit members, alive ones first, then suspect ones,
/// each in id order; dead and left members, and those with no address, are not kept.
/// Each entry is member_json's object. Errors: io (naming the path).
Result<void> save_members(const std::string& data_dir, const std::vector<MemberSnapshot>& members,
                          std::size_t limit = 512);

/// The swim addresses in data_dir/members.json, in file order without duplicates, to
/// try as extra seeds. A missing, oversized or corrupt file gives what could be read
/// (usually nothing) and a warning in *warning (cleared on a clean read; may be null).
/// Never throws.
std::vector<std::string> load_member_addresses(const std::string& data_dir, std::string* warning);

}  // namespace swell::agent
