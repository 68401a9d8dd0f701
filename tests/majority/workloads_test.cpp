// The Resolver on the shared workloads (../shared/workloads): exact agreement with each
// .expected file, and no allocation after warm-up. workloads_main.cpp makes the binary
// report SKIP when the files are absent, so these never pass without running.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "swell/resolver.h"
#include "workload_file.h"

#if defined(__SANITIZE_ADDRESS__)
#define SWELL_COUNTING_ALLOCATOR 0  // ASan owns operator new
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SWELL_COUNTING_ALLOCATOR 0
#endif
#endif
#ifndef SWELL_COUNTING_ALLOCATOR
#define SWELL_COUNTING_ALLOCATOR 1
#endif

#if SWELL_COUNTING_ALLOCATOR
#include "counting_allocator.h"
#endif

namespace {

using swell::PeerInfo;
using swell::Resolution;
using swell::Resolver;

// The workload files in the shared folder, sorted so failures read the same each run.
std::vector<std::filesystem::path> workload_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(SWELL_SHARED_WORKLOADS)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("the shared workloads resolve exactly to their .expected files") {
  std::size_t checked = 0;
  for (const auto& path : workload_files()) {
    std::filesystem::path expected_path = path;
    expected_path.replace_extension(".expected");
    if (!std::filesystem::exists(expected_path)) continue;
    CAPTURE(path.string());
    auto views = swell::workload::read_workload(path.string());
    REQUIRE(views.ok());
    Resolver resolver;
    Resolution resolution;
    REQUIRE(resolver.resolve(views.value(), resolution).ok());
    std::ostringstream got;
    got << swell::workload::format_metrics(resolution.metrics()) << "\n";
    for (const PeerInfo* info : resolution.winners()) got << swell::workload::format_record(*info) << "\n";
    std::ifstream expected_file(expected_path);
    std::ostringstream expected;
    expected << expected_file.rdbuf();
    CHECK(got.str() == expected.str());  // the header's counters too
    ++checked;
  }
  CHECK(checked >= 1);
}

// Under ASan the allocation count is not available: doctest lists the case as skipped.
TEST_CASE("a warmed-up resolve of each shared workload makes no heap allocation" *
          doctest::skip(!SWELL_COUNTING_ALLOCATOR)) {
#if SWELL_COUNTING_ALLOCATOR
  const auto files = workload_files();
  CHECK(!files.empty());
  for (const auto& path : files) {
    CAPTURE(path.string());
    auto views = swell::workload::read_workload(path.string());
    REQUIRE(views.ok());
    Resolver resolver;
    Resolution resolution;
    REQUIRE(resolver.resolve(views.value(), resolution).ok());
    const std::uint64_t before = swell::testing::allocation_count;
    for (int i = 0; i < 5; ++i) REQUIRE(resolver.resolve(views.value(), resolution).ok());
    CHECK(swell::testing::allocation_count - before == 0);
  }
#endif
}
