// Google Benchmark suite for the majority-rule Resolver (development numbers; the contract
// figure against the seed comes from swell-resolve-bench). Inputs come from fixed seeds and
// are built outside the timed loop, in the shape ../shared/workloads/gen.py produces: P
// peers each list N nodes; a fraction of nodes has a newer second version some peers report.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "swell/resolver.h"

namespace {

using swell::PeerInfo;
using Views = std::vector<std::vector<PeerInfo>>;

// splitmix64: a fixed, documented generator, so inputs are the same on every platform.
struct SplitMix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

struct Shape {
  std::size_t peers;
  std::size_t nodes;
  double conflict_fraction = 0.1;
  bool shuffled = false;     // each peer lists the nodes in its own order
  bool duplicates = false;   // one peer in four (not the first) repeats a few ids
};

Views make_views(const Shape& shape, std::uint64_t seed) {
  SplitMix rng{seed};
  static const swell::NodeType kTypes[] = {swell::NodeType::proxy, swell::NodeType::backend,
                                           swell::NodeType::governator};
  std::vector<PeerInfo> nodes;
  std::vector<bool> conflicted;
  for (std::size_t i = 0; i < shape.nodes; ++i) {
    PeerInfo info;
    info.node_type = kTypes[i % 3];
    info.id = std::string(swell::to_string(info.node_type)) + "-" + std::to_string(i);
    info.address = "10." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ".5:3000";
    info.metrics_port = static_cast<std::uint16_t>(9090 + i % 7);
    info.is_load_balancer = info.node_type == swell::NodeType::proxy;
    info.last_updated_ms = 1764000000000ull + rng.below(60000);
    nodes.push_back(info);
    conflicted.push_back(static_cast<double>(rng.below(1000000)) < shape.conflict_fraction * 1e6);
  }
  Views views(shape.peers);
  for (std::size_t p = 0; p < shape.peers; ++p) {
    for (std::size_t i = 0; i < shape.nodes; ++i) {
      PeerInfo info = nodes[i];
      if (conflicted[i] && rng.below(2) == 0) {
        info.address.replace(info.address.size() - 7, 2, ".6");
        info.last_updated_ms += 5000;
      }
      views[p].push_back(std::move(info));
    }
    if (shape.shuffled) {
      for (std::size_t i = views[p].size(); i > 1; --i) std::swap(views[p][i - 1], views[p][rng.below(i)]);
    }
    // Not the first view: a first view that repeats an id costs a second attempt, which
    // would hide the cost of the deduplicating pass measured here.
    if (shape.duplicates && p % 4 == 1) {
      for (std::size_t i = 0; i < std::min<std::size_t>(3, shape.nodes); ++i) views[p].push_back(views[p][i]);
    }
  }
  return views;
}

std::size_t entries_of(const Views& views) {
  std::size_t entries = 0;
  for (const auto& view : views) entries += view.size();
  return entries;
}

void run(benchmark::State& state, const Views& views) {
  swell::Resolver resolver;
  swell::Resolution resolution;
  for (auto _ : state) {
    auto status = resolver.resolve(views, resolution);
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(resolution.winners().data());
  }
  const auto entries = static_cast<std::int64_t>(entries_of(views));
  state.SetItemsProcessed(state.iterations() * entries);
  state.SetComplexityN(entries);
}

// A cluster of n members, each reporting all n: the size majority mode runs at.
void BM_ResolverResolve(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  run(state, make_views({n, n}, 7));
}
BENCHMARK(BM_ResolverResolve)->RangeMultiplier(2)->Range(4, 64)->Arg(24)->Arg(100)->Complexity(benchmark::oN);

// The shared workloads' shapes: peers x nodes.
void BM_ResolverResolveShape(benchmark::State& state) {
  run(state, make_views({static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1))}, 7));
}
BENCHMARK(BM_ResolverResolveShape)->Args({10, 25})->Args({25, 25})->Args({10, 100})->Args({100, 1000})->Args({5, 5000});

// Every peer lists the nodes in its own order: every entry takes the hash lookup.
void BM_ResolverResolveShuffled(benchmark::State& state) {
  Shape shape{static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1))};
  shape.shuffled = true;
  run(state, make_views(shape, 7));
}
BENCHMARK(BM_ResolverResolveShuffled)->Args({10, 25})->Args({100, 1000});

// Some peers repeat ids: the second, deduplicating pass runs.
void BM_ResolverResolveDuplicates(benchmark::State& state) {
  Shape shape{static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1))};
  shape.duplicates = true;
  run(state, make_views(shape, 7));
}
BENCHMARK(BM_ResolverResolveDuplicates)->Args({10, 25})->Args({100, 1000});

// Every node conflicted: half the entries sit in a second group.
void BM_ResolverResolveAllConflicted(benchmark::State& state) {
  Shape shape{static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1))};
  shape.conflict_fraction = 1.0;
  run(state, make_views(shape, 7));
}
BENCHMARK(BM_ResolverResolveAllConflicted)->Args({10, 25})->Args({100, 1000});

// The owning convenience: copies every winner out (allocates).
void BM_ResolverResolveCopy(benchmark::State& state) {
  const Views views =
      make_views({static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1))}, 7);
  swell::Resolver resolver;
  for (auto _ : state) benchmark::DoNotOptimize(resolver.resolve_copy(views));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(entries_of(views)));
}
BENCHMARK(BM_ResolverResolveCopy)->Args({10, 25})->Args({100, 1000});

// A fresh Resolver per call, as in `Resolver{}.resolve(...)`: the cost of skipping reuse.
void BM_ResolverResolveCold(benchmark::State& state) {
  const Views views =
      make_views({static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1))}, 7);
  for (auto _ : state) {
    swell::Resolver resolver;
    swell::Resolution resolution;
    auto status = resolver.resolve(views, resolution);
    benchmark::DoNotOptimize(status);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(entries_of(views)));
}
BENCHMARK(BM_ResolverResolveCold)->Args({10, 25})->Args({100, 1000});

}  // namespace

BENCHMARK_MAIN();
