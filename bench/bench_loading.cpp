// Loading all 60000 Fashion-MNIST training images from the Debian package's .gz files (inflate, checks, conversion
// to the M x d double matrix). Skipped when dataset-fashion-mnist is not installed.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "data/memory_sources.h"

namespace {
void load_fashion_mnist_train(benchmark::State& state) {
  const std::string images = std::string(uhop::kFashionMnistDir) + "/train-images-idx3-ubyte.gz";
  if (!std::filesystem::exists(images)) {
    state.SkipWithError("dataset-fashion-mnist not installed (apt install dataset-fashion-mnist)");
    return;
  }
  for (auto _ : state) {
    const uhop::MemorySet set = uhop::load_memories("builtin:fashion-mnist");
    benchmark::DoNotOptimize(set.patterns.data());
    state.counters["memories"] = set.count();
  }
}
BENCHMARK(load_fashion_mnist_train)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void load_builtin_glyphs(benchmark::State& state) {
  for (auto _ : state) {
    const uhop::MemorySet set = uhop::load_memories("builtin:glyphs");
    benchmark::DoNotOptimize(set.patterns.data());
  }
}
BENCHMARK(load_builtin_glyphs)->Unit(benchmark::kMicrosecond);
}  // namespace
