#include "agent/data_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace swell::agent {
namespace {

Error os_error(const std::string& what, const std::string& path) {
  return Error{ErrorCode::io, what + " " + path + ": " + std::strerror(errno)};
}

// Creates one directory 0700, or accepts the directory already there.
Result<void> make_directory(const std::string& path, const std::string& whole) {
  if (::mkdir(path.c_str(), 0700) == 0) {
    // mkdir's mode passes through the umask; the data directory holds the key, so its
    // mode must not depend on the caller's umask.
    if (::chmod(path.c_str(), 0700) != 0) return os_error("cannot chmod 700 data directory", path);
    return success();
  }
  if (errno != EEXIST) return os_error("cannot create data directory", path);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return os_error("cannot check data directory", path);
  if (!S_ISDIR(st.st_mode)) {
    return Error{ErrorCode::invalid_config, "data_dir " + whole + ": " + path +
                                                " exists and is not a directory: point data_dir (or --data-dir) "
                                                "at a directory, or move that file away"};
  }
  return success();
}

}  // namespace

Result<void> prepare_data_dir(const std::string& dir) {
  if (dir.empty()) {
    return Error{ErrorCode::invalid_config, "data_dir is empty: give a directory such as /var/lib/swell-agent"};
  }
  std::filesystem::path prefix;
  for (const std::filesystem::path& part : std::filesystem::path(dir)) {
    if (part.empty()) continue;  // the trailing slash of "dir/"
    prefix /= part;
    if (auto ok = make_directory(prefix.string(), dir); !ok.ok()) return ok;
  }
  return success();
}

Result<Identity> load_or_create_key(const AgentSettings& settings) {
  const std::string& path = settings.key_file;
  if (path.empty()) {
    return Error{ErrorCode::invalid_config, "no key file: pass --data-dir or --key-file (load_settings sets one)"};
  }
  auto loaded = Identity::load(path);
  if (loaded.ok() || loaded.error().code != ErrorCode::key_file_missing) return loaded;
  if (!settings.create_key) {
    return Error{ErrorCode::key_file_missing, "no key file at " + path + ": create one with `swell-agent keygen " +
                                                  path + "`, or pass --create-key (create_key = true) to have run "
                                                  "create it"};
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    if (auto ok = prepare_data_dir(parent.string()); !ok.ok()) return ok.error();
  }
  auto created = Identity::generate();
  if (!created.ok()) return created;
  if (auto saved = created.value().save(path); !saved.ok()) return saved.error();
  return created;
}

}  // namespace swell::agent
