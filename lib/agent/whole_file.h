// Whole small files: read with a size cap, and replaced atomically. The data directory's
// files (members.json, revoked-keys.txt) and the operator's files (allow-list,
// certificate, revocation) are all read or written whole.
//
//   auto text = read_whole_file(path, 1 << 20);           // nullopt: no such file
//   if (auto ok = replace_whole_file(dir, dir + "/x.txt", "..."); !ok.ok()) log(ok.error().message);
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "swell/result.h"

namespace swell::agent {

/// Reads at most max_bytes + 1 bytes, so that an oversized file shows as one; nullopt
/// when there is no file. Errors: io (naming the path).
Result<std::optional<std::string>> read_whole_file(const std::string& path, std::size_t max_bytes);

/// Writes text to path inside dir: temp file (mode 0600), fsync, rename, fsync of dir,
/// so a crash leaves the old file or the new one, never a torn one. Errors: io.
Result<void> replace_whole_file(const std::string& dir, const std::string& path, const std::string& text);

}  // namespace swell::agent
