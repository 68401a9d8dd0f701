// main() of test_majority_workloads: the tests there read the shared workload files
// (SWELL_SHARED_WORKLOADS, set by meson). Without them the binary exits 77, which meson
// reports as SKIP, instead of passing without having checked anything.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <filesystem>
#include <iostream>
#include <system_error>

namespace {

constexpr int kSkipped = 77;  // meson's (and automake's) exit code for a skipped test

// True if dir holds at least one workload (*.txt) file.
bool has_workloads(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) return false;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".txt") return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir = SWELL_SHARED_WORKLOADS;
  if (!has_workloads(dir)) {
    std::cout << "SKIP: no shared workloads (*.txt) at " << dir.string() << "\n";
    return kSkipped;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
