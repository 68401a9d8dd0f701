// Identity::load and Identity::save: the key file on disk.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "sodium_runtime.h"
#include "swell/identity.h"

namespace swell {
namespace {

constexpr char kMagic[] = "SWELLID1";
constexpr std::size_t kMagicSize = 8;
// A key file larger than this is certainly not ours; never read more.
constexpr std::size_t kReadLimit = 4096;

std::string os_error(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

// Closes the descriptor on every path out of load/save.
struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<Identity> Identity::load(const std::string& path) {
  FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (file.fd < 0) {
    if (errno == ENOENT) {
      return Error{ErrorCode::key_file_missing,
                   "no key file at " + path + ": create one with `swell-agent keygen " + path + "`"};
    }
    return Error{ErrorCode::io, os_error("cannot open key file", path)};
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) return Error{ErrorCode::io, os_error("cannot stat key file", path)};
  if (!S_ISREG(st.st_mode)) {
    return Error{ErrorCode::key_file_corrupt, "key file " + path + " is not a regular file"};
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Error{ErrorCode::key_file_permissions,
                 "key file " + path + " has mode " + mode +
                     ", readable by others: run `chmod 600 " + path + "` (and consider the key leaked)"};
  }
  std::uint8_t buf[kReadLimit];
  std::size_t size = 0;
  while (size < sizeof buf) {
    const ssize_t n = ::read(file.fd, buf + size, sizeof buf - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{ErrorCode::io, os_error("cannot read key file", path)};
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  const bool has_magic = size >= kMagicSize && std::memcmp(buf, kMagic, kMagicSize) == 0;
  if (size < kKeyFileSize && (size == 0 || std::memcmp(buf, kMagic, std::min(size, kMagicSize)) == 0)) {
    sodium_memzero(buf, sizeof buf);
    return Error{ErrorCode::key_file_corrupt,
                 "key file " + path + " is truncated (" + std::to_string(size) + " of " +
                     std::to_string(kKeyFileSize) + " bytes): restore it from a backup or generate a new identity"};
  }
  if (!has_magic || size != kKeyFileSize) {
    sodium_memzero(buf, sizeof buf);
    return Error{ErrorCode::key_file_corrupt,
                 "key file " + path + " has " + (size >= kReadLimit ? "more than 4096" : std::to_string(size)) +
                     " bytes" + (has_magic ? "" : " and no SWELLID1 header") + ", expected " +
                     std::to_string(kKeyFileSize) + ": it is not a swell key file"};
  }
  std::array<std::uint8_t, kSeedSize> seed{};
  std::memcpy(seed.data(), buf + kMagicSize, kSeedSize);
  auto identity = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  const bool matches = identity.ok() &&
                       std::memcmp(identity.value().id().bytes().data(), buf + kMagicSize + kSeedSize, 32) == 0;
  sodium_memzero(buf, sizeof buf);
  if (!identity.ok()) return identity;
  if (!matches) {
    return Error{ErrorCode::key_file_corrupt,
                 "key file " + path + " is damaged: its public key does not match its secret seed; "
                 "restore it from a backup or generate a new identity"};
  }
  return identity;
}

Result<void> Identity::save(const std::string& path) const {
  require_sodium();
  std::uint8_t buf[kKeyFileSize];
  std::memcpy(buf, kMagic, kMagicSize);
  std::memcpy(buf + kMagicSize, secret_.data(), kSeedSize);  // the seed is the first half
  std::memcpy(buf + kMagicSize + kSeedSize, id_.bytes().data(), 32);
  // Write a 0600 temporary beside the target, then rename: a crash never leaves a
  // half-written key, and the secret is never briefly world-readable.
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  Result<void> result = success();
  {
    FileDescriptor file{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600)};
    if (file.fd < 0) {
      sodium_memzero(buf, sizeof buf);
      return Error{ErrorCode::io, os_error("cannot create key file", tmp)};
    }
    std::size_t written = 0;
    while (written < sizeof buf) {
      const ssize_t n = ::write(file.fd, buf + written, sizeof buf - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        result = Error{ErrorCode::io, os_error("cannot write key file", tmp)};
        break;
      }
      written += static_cast<std::size_t>(n);
    }
    if (result.ok() && (::fchmod(file.fd, 0600) != 0 || ::fsync(file.fd) != 0)) {
      result = Error{ErrorCode::io, os_error("cannot sync key file", tmp)};
    }
  }
  sodium_memzero(buf, sizeof buf);
  if (result.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    result = Error{ErrorCode::io, os_error("cannot move key file into place at", path)};
  }
  if (!result.ok()) ::unlink(tmp.c_str());
  return result;
}

}  // namespace swell
