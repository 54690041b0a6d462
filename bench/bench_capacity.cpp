// The capacity lab's speed (docs/capacity.md "Speed"): one exponential trial at N = 20, P = 1e7 beside a yardstick
// of the same size (generate the same blocks and do one matrix-vector product per block, nothing else), and the
// Studio's default curve (12 loads x 200 trials at N = 16, beta 1). Peak memory: run with /usr/bin/time -v.
#include <benchmark/benchmark.h>

#include "numerics/capacity.h"
#include "numerics/pattern_stream.h"
#include "numerics/parallel_for.h"

using namespace uhop;

namespace {
constexpr uint64_t kCount = 10000000;
constexpr int kDim = 20;

// The trial: stream P patterns once, softmax-weighted sum, target weight and final overlap.
void BM_ExponentialTrial_N20_P1e7(benchmark::State& state) {
  CapacitySettings s;
  s.patterns = PatternEnsemble::gaussian;
  s.dim = kDim;
  s.alphas = {std::log(static_cast<double>(kCount)) / kDim};
  s.trials = 1;
  for (auto _ : state) benchmark::DoNotOptimize(run_capacity(s));
  state.counters["patterns/s"] =
      benchmark::Counter(static_cast<double>(kCount), benchmark::Counter::kIsIterationInvariantRate);
}

// The yardstick: the same blocks generated and multiplied by x (chunks over the same pool), no softmax.
void BM_Yardstick_GenerateAndMatvec_N20_P1e7(benchmark::State& state) {
  const Eigen::VectorXf x = Eigen::VectorXf::Ones(kDim);
  const uint64_t chunks = (kCount + kCapacityChunk - 1) / kCapacityChunk;
  for (auto _ : state) {
    std::vector<float> sums(chunks);
    parallel_for(static_cast<long>(chunks), [&](long c) {
      thread_local MatrixF block;
      const uint64_t first = static_cast<uint64_t>(c) * kCapacityChunk;
      const Eigen::Index len = static_cast<Eigen::Index>(std::min(kCapacityChunk, kCount - first));
      block.resize(kDim, len);
      generate_patterns(PatternEnsemble::gaussian, stream_key(0, 0), first, block);
      sums[c] = (block.transpose() * x).sum();
    });
    benchmark::DoNotOptimize(sums.data());
  }
  state.counters["patterns/s"] =
      benchmark::Counter(static_cast<double>(kCount), benchmark::Counter::kIsIterationInvariantRate);
}

// The Studio's default "retrieved vs load" curve.
void BM_StudioDefaultCurve_N16_12x200(benchmark::State& state) {
  CapacitySettings s;
  s.dim = 16;
  for (int i = 0; i < 12; ++i) s.alphas.push_back(0.1 + (0.75 - 0.1) * i / 11);
  s.trials = 200;
  for (auto _ : state) benchmark::DoNotOptimize(run_capacity(s));
}
}  // namespace

BENCHMARK(BM_ExponentialTrial_N20_P1e7)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Yardstick_GenerateAndMatvec_N20_P1e7)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_StudioDefaultCurve_N16_12x200)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
