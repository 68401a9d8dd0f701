// swell-resolve-bench: the contract binary that ../shared/bench/resolver-vs-seed calls.
//
//   swell-resolve-bench FILE ITERS   time ITERS resolves per round, 7 rounds; one JSON line
//   swell-resolve-bench FILE --dump  the resolved records, as in ../shared/workloads/*.expected
//
// FILE holds one entry per line, "peer id address metrics_port node_type is_load_balancer
// last_updated_ms" (see ../shared/workloads/gen.py); lines starting with # are comments.
// It is parsed once into P lists of PeerInfo. The timed call is Resolver::resolve on those
// lists, exactly as a user calls it: interning and indexing happen inside it.
//
// Global operator new/delete are replaced by counting versions, so the JSON line also
// says how many allocations the timed resolves made after one warm-up call.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <ctime>
#include <vector>

#include "majority/workload_file.h"
#include "swell/resolver.h"

#include "majority/counting_allocator.h"

using swell::testing::allocation_count;

namespace {

using swell::PeerInfo;

int dump(const std::vector<std::vector<PeerInfo>>& views) {
  swell::Resolver resolver;
  swell::Resolution resolution;
  if (auto status = resolver.resolve(views, resolution); !status.ok()) {
    std::fprintf(stderr, "%s\n", status.error().message.c_str());
    return 1;
  }
  const swell::ResolveMetrics& m = resolution.metrics();
  std::printf("%s\n", swell::workload::format_metrics(m).c_str());
  if (m.duplicate_reports != 0 || m.invalid_entries != 0) {
    std::printf("# duplicate_reports=%zu invalid_entries=%zu\n", m.duplicate_reports, m.invalid_entries);
  }
  for (const PeerInfo* info : resolution.winners()) {
    std::printf("%s\n", swell::workload::format_record(*info).c_str());
  }
  return 0;
}

// CPU time of this thread: unlike the wall clock, it leaves out time the machine gave to
// other processes, which makes it the steadier figure on a busy machine.
double thread_cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e9 + static_cast<double>(now.tv_nsec);
}

int time_resolves(const std::vector<std::vector<PeerInfo>>& views, long iters) {
  constexpr int kRounds = 7;
  swell::Resolver resolver;
  swell::Resolution resolution;
  std::size_t check = 0;
  if (!resolver.resolve(views, resolution).ok()) return 1;  // warm-up: buffers reach their size
  const std::uint64_t allocations_before = allocation_count;
  double best_ns = 0;
  double total_ns = 0;
  double best_cpu_ns = 0;
  for (int round = 0; round < kRounds; ++round) {
    const double cpu_start = thread_cpu_ns();
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < iters; ++i) {
      if (!resolver.resolve(views, resolution).ok()) return 1;
      const swell::ResolveMetrics& m = resolution.metrics();
      check += resolution.winners().size() + m.conflicts + m.tie_breaks + m.nodes;
    }
    const std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
    const double ns = elapsed.count() / static_cast<double>(iters);
    const double cpu_ns = (thread_cpu_ns() - cpu_start) / static_cast<double>(iters);
    total_ns += ns;
    if (round == 0 || ns < best_ns) best_ns = ns;
    if (round == 0 || cpu_ns < best_cpu_ns) best_cpu_ns = cpu_ns;
  }
  const std::uint64_t allocations = allocation_count - allocations_before;
  std::size_t entries = 0;
  for (const auto& view : views) entries += view.size();
  std::printf(
      "{\"impl\":\"swell\",\"ns_per_resolve_min\":%.0f,\"ns_per_resolve_mean\":%.0f,\"entries\":%zu,"
      "\"ns_per_entry_min\":%.2f,\"cpu_ns_per_resolve_min\":%.0f,\"allocations_after_warmup\":%llu,"
      "\"check\":%zu}\n",
      best_ns, total_ns / kRounds, entries, best_ns / static_cast<double>(entries == 0 ? 1 : entries), best_cpu_ns,
      static_cast<unsigned long long>(allocations), check % 1000);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE ITERS | %s FILE --dump\n", argv[0], argv[0]);
    return 2;
  }
  auto read = swell::workload::read_workload(argv[1]);
  if (!read.ok()) {
    std::fprintf(stderr, "%s: %s\n", argv[1], read.error().message.c_str());
    return 2;
  }
  const std::vector<std::vector<PeerInfo>>& views = read.value();
  if (std::string(argv[2]) == "--dump") return dump(views);
  char* end = nullptr;
  const long iters = std::strtol(argv[2], &end, 10);
  if (*end != '\0' || iters <= 0) {
    std::fprintf(stderr, "ITERS must be a positive number, got \"%s\"\n", argv[2]);
    return 2;
  }
  return time_resolves(views, iters);
}
