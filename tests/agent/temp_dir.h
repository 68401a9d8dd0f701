// TempDir: a fresh directory under /tmp for one test, removed with everything in it
// when the test ends.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace swell::test {

/// A unique directory /tmp/swell-agent-test-XXXXXX, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/swell-agent-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// The directory.
  [[nodiscard]] const std::string& path() const { return path_; }
  /// path()/name.
  [[nodiscard]] std::string at(std::string_view name) const { return path_ + "/" + std::string(name); }
  /// Writes text to path()/name and returns that path.
  std::string write(std::string_view name, std::string_view text) const {
    const std::string file = at(name);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    return file;
  }

 private:
  std::string path_;
};

}  // namespace swell::test
