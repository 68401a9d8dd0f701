#include "agent/whole_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace swell::agent {
namespace {

Error os_error(const std::string& what, const std::string& path) {
  return Error{ErrorCode::io, what + " " + path + ": " + std::strerror(errno)};
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

}  // namespace

Result<void> replace_whole_file(const std::string& dir, const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return os_error("cannot create", tmp);
  auto written = write_all(fd, text, tmp);
  if (written.ok() && ::fsync(fd) != 0) written = os_error("cannot fsync", tmp);
  if (::close(fd) != 0 && written.ok()) written = os_error("cannot close", tmp);
  // The rename itself survives a power cut only once the directory is synced too.
  if (written.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) written = os_error("cannot rename over", path);
  if (!written.ok()) {
    ::unlink(tmp.c_str());
    return written;
  }
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return os_error("cannot open directory", dir);
  const bool synced = ::fsync(dir_fd) == 0;
  ::close(dir_fd);
  if (!synced) return os_error("cannot fsync directory", dir);
  return success();
}

Result<std::optional<std::string>> read_whole_file(const std::string& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::optional<std::string>();
  if (fd < 0) return os_error("cannot open", path);
  std::string text(max_bytes + 1, '\0');
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

}  // namespace swell::agent
