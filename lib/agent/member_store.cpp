#include "agent/member_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "agent/member_json.h"
#include "swell/peer_info.h"

namespace swell::agent {
namespace {

// Bumped when an entry's meaning changes; readers skip what they do not understand.
constexpr int kFormat = 1;

Error os_error(const std::string& what, const std::string& path) {
  return Error{ErrorCode::io, what + " " + path + ": " + std::strerror(errno)};
}

std::string members_path(const std::string& data_dir) { return data_dir + "/" + kMembersFileName; }

// Alive first: those are the likeliest to answer a join; suspect ones may still. Within
// a state, id order keeps the file the same for the same membership.
std::vector<const MemberSnapshot*> members_to_keep(const std::vector<MemberSnapshot>& members, std::size_t limit) {
  std::vector<const MemberSnapshot*> kept;
  for (MemberState state : {MemberState::alive, MemberState::suspect}) {
    std::vector<const MemberSnapshot*> group;
    for (const MemberSnapshot& m : members) {
      if (m.state == state && m.announcement && !m.announcement->swim_address.empty()) group.push_back(&m);
    }
    std::sort(group.begin(), group.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
    for (const MemberSnapshot* m : group) {
      if (kept.size() == limit) return kept;
      kept.push_back(m);
    }
  }
  return kept;
}

Result<void> write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return os_error("cannot write", path);
    done += static_cast<std::size_t>(n);
  }
  return success();
}

// Temp file, fsync, rename, fsync of the directory: a crash leaves the old file or the
// new one, never a torn one, and the rename itself survives a power cut.
Result<void> replace_file(const std::string& dir, const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return os_error("cannot create", tmp);
  auto written = write_all(fd, text, tmp);
  if (written.ok() && ::fsync(fd) != 0) written = os_error("cannot fsync", tmp);
  if (::close(fd) != 0 && written.ok()) written = os_error("cannot close", tmp);
  if (written.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) written = os_error("cannot rename over", path);
  if (!written.ok()) {
    ::unlink(tmp.c_str());
    return written;
  }
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return os_error("cannot open data directory", dir);
  const bool synced = ::fsync(dir_fd) == 0;
  ::close(dir_fd);
  if (!synced) return os_error("cannot fsync data directory", dir);
  return success();
}

// Reads at most kMaxMembersFileBytes + 1 bytes, so an oversized file shows as such;
// nullopt when there is no file.
Result<std::optional<std::string>> read_bounded(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::optional<std::string>();
  if (fd < 0) return os_error("cannot open", path);
  std::string text(kMaxMembersFileBytes + 1, '\0');
  std::size_t size = 0;
  while (size < text.size()) {
    const ssize_t n = ::read(fd, text.data() + size, text.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error error = os_error("cannot read", path);
      ::close(fd);
      return error;
    }
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(size);
  return std::optional<std::string>(std::move(text));
}

std::vector<std::string> addresses_in(const std::string& text, const std::string& path, std::string& warning) {
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const auto* members = doc.is_object() && doc.contains("members") ? &doc["members"] : nullptr;
  if (members == nullptr || !members->is_array()) {
    warning = path + " is not a member list (corrupt?): ignored; only the configured seeds are tried";
    return {};
  }
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::size_t skipped = 0;
  for (const auto& m : *members) {
    const auto* address = m.is_object() && m.contains("swim_address") ? &m["swim_address"] : nullptr;
    if (address == nullptr || !address->is_string() || !validate_address(address->get<std::string>()).ok()) {
      ++skipped;
      continue;
    }
    if (seen.insert(address->get<std::string>()).second) out.push_back(address->get<std::string>());
  }
  if (skipped > 0) {
    warning = path + ": " + std::to_string(skipped) + " entries without a valid swim_address were skipped";
  }
  return out;
}

}  // namespace

Result<void> save_members(const std::string& data_dir, const std::vector<MemberSnapshot>& members,
                          std::size_t limit) {
  const std::string path = members_path(data_dir);
  try {
    nlohmann::json list = nlohmann::json::array();
    for (const MemberSnapshot* m : members_to_keep(members, limit)) list.push_back(member_json(*m));
    const nlohmann::json doc = {{"format", kFormat}, {"members", std::move(list)}};
    // Names come from peers: replace invalid UTF-8 rather than throw on it.
    const std::string text = doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    return replace_file(data_dir, path, text);
  } catch (const std::exception& e) {
    return Error{ErrorCode::io, "cannot write " + path + ": " + e.what()};
  }
}

std::vector<std::string> load_member_addresses(const std::string& data_dir, std::string* warning) {
  std::string note;
  std::vector<std::string> out;
  const std::string path = members_path(data_dir);
  try {
    auto text = read_bounded(path);
    if (!text.ok()) {
      note = text.error().message + ": only the configured seeds are tried";
    } else if (!text.value()) {
      note = "no " + path + " yet: only the configured seeds are tried";
    } else if (text.value()->size() > kMaxMembersFileBytes) {
      note = path + " is over " + std::to_string(kMaxMembersFileBytes) + " bytes, which no member list is: "
             "ignored; only the configured seeds are tried";
    } else {
      out = addresses_in(*text.value(), path, note);
    }
  } catch (const std::exception& e) {
    out.clear();
    note = path + " could not be read (" + e.what() + "): only the configured seeds are tried";
  }
  if (warning != nullptr) *warning = note;
  return out;
}

}  // namespace swell::agent
