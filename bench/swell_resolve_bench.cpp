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
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "swell/resolver.h"

namespace {

std::uint64_t allocation_count = 0;  // single-threaded binary: a plain counter suffices

}  // namespace

void* operator new(std::size_t size) {
  ++allocation_count;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

using swell::PeerInfo;

// Reads a workload; returns false with a message on the first malformed line.
bool read_workload(const char* path, std::vector<std::vector<PeerInfo>>& views, std::string& error) {
  std::ifstream file(path);
  if (!file) {
    error = std::string("cannot open ") + path;
    return false;
  }
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(file, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::size_t peer = 0;
    unsigned port = 0;
    int load_balancer = 0;
    std::string type;
    PeerInfo info;
    if (!(fields >> peer >> info.id >> info.address >> port >> type >> load_balancer >> info.last_updated_ms) ||
        port > 65535 || (load_balancer != 0 && load_balancer != 1)) {
      error = std::string(path) + ":" + std::to_string(line_number) +
              ": expected \"peer id address metrics_port node_type is_load_balancer last_updated_ms\"";
      return false;
    }
    auto node_type = swell::parse_node_type(type);
    if (!node_type.ok()) {
      error = std::string(path) + ":" + std::to_string(line_number) + ": " + node_type.error().message;
      return false;
    }
    info.metrics_port = static_cast<std::uint16_t>(port);
    info.node_type = node_type.value();
    info.is_load_balancer = load_balancer == 1;
    if (views.size() <= peer) views.resize(peer + 1);
    views[peer].push_back(std::move(info));
  }
  return true;
}

int dump(const std::vector<std::vector<PeerInfo>>& views) {
  swell::Resolver resolver;
  swell::Resolution resolution;
  if (auto status = resolver.resolve(views, resolution); !status.ok()) {
    std::fprintf(stderr, "%s\n", status.error().message.c_str());
    return 1;
  }
  const swell::ResolveMetrics& m = resolution.metrics();
  std::printf("# nodes=%zu conflicts=%zu tie_breaks=%zu ambiguous_majorities=%zu\n", m.nodes, m.conflicts,
              m.tie_breaks, m.ambiguous_majorities);
  if (m.duplicate_reports != 0 || m.invalid_entries != 0) {
    std::printf("# duplicate_reports=%zu invalid_entries=%zu\n", m.duplicate_reports, m.invalid_entries);
  }
  for (const PeerInfo* info : resolution.winners()) {
    std::printf("%s %s %u %s %d %llu\n", info->id.c_str(), info->address.c_str(),
                static_cast<unsigned>(info->metrics_port), std::string(swell::to_string(info->node_type)).c_str(),
                info->is_load_balancer ? 1 : 0, static_cast<unsigned long long>(info->last_updated_ms));
  }
  return 0;
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
  for (int round = 0; round < kRounds; ++round) {
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < iters; ++i) {
      if (!resolver.resolve(views, resolution).ok()) return 1;
      const swell::ResolveMetrics& m = resolution.metrics();
      check += resolution.winners().size() + m.conflicts + m.tie_breaks + m.nodes;
    }
    const std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
    const double ns = elapsed.count() / static_cast<double>(iters);
    total_ns += ns;
    if (round == 0 || ns < best_ns) best_ns = ns;
  }
  const std::uint64_t allocations = allocation_count - allocations_before;
  std::size_t entries = 0;
  for (const auto& view : views) entries += view.size();
  std::printf(
      "{\"impl\":\"swell\",\"ns_per_resolve_min\":%.0f,\"ns_per_resolve_mean\":%.0f,\"entries\":%zu,"
      "\"ns_per_entry_min\":%.2f,\"allocations_after_warmup\":%llu,\"check\":%zu}\n",
      best_ns, total_ns / kRounds, entries, best_ns / static_cast<double>(entries == 0 ? 1 : entries),
      static_cast<unsigned long long>(allocations), check % 1000);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE ITERS | %s FILE --dump\n", argv[0], argv[0]);
    return 2;
  }
  std::vector<std::vector<PeerInfo>> views;
  std::string error;
  if (!read_workload(argv[1], views, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  if (std::string(argv[2]) == "--dump") return dump(views);
  char* end = nullptr;
  const long iters = std::strtol(argv[2], &end, 10);
  if (*end != '\0' || iters <= 0) {
    std::fprintf(stderr, "ITERS must be a positive number, got \"%s\"\n", argv[2]);
    return 2;
  }
  return time_resolves(views, iters);
}
