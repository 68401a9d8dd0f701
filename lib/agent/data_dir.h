// The agent's files on disk: its data directory and its key. load_settings only checks
// them; `run` calls these to create what is allowed to be created.
//
//   if (!settings.data_dir.empty()) {
//     if (auto ok = prepare_data_dir(settings.data_dir); !ok.ok()) return fail(ok.error());
//   }
//   auto identity = load_or_create_key(settings);   // AgentOptions::identity
#pragma once

#include <string>

#include "agent/agent_config.h"
#include "swell/identity.h"
#include "swell/result.h"

namespace swell::agent {

/// Creates dir (and missing parents) with mode 0700; an existing directory is left as
/// it is. Errors: invalid_config (empty path, or a non-directory in the way), io.
Result<void> prepare_data_dir(const std::string& dir);

/// Loads settings.key_file, passing Identity::load's error through (permissions,
/// corruption); when the file is missing and settings.create_key, creates it first
/// (mode 0600, its directory 0700 if missing). Missing without create_key:
/// key_file_missing, naming `swell-agent keygen PATH` and --create-key.
Result<Identity> load_or_create_key(const AgentSettings& settings);

}  // namespace swell::agent
