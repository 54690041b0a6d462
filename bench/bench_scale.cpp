// Issue 16: Stage I per-step time and peak memory as M grows (Fashion-MNIST, d = D = 784, avg loss): full batch at
// M = 1000, 4000, 8000, mini-batch B = 1000 at M = 60,000, and the statistics over all 60,000 (one sweep).
// Peak memory is the process's (ru_maxrss): run one size per process, as scripts/bench_scale.sh does.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <string>

#include "data/memory_sources.h"
#include "io/cpu_load.h"
#include "session/session.h"

namespace {
using namespace uhop;

MemorySet fashion(int count) {
  LoadOptions o;
  o.count = count;
  return load_memories("builtin:fashion-mnist", o);
}

void peak_memory(benchmark::State& state) {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  state.counters["peak_MB"] = static_cast<double>(u.ru_maxrss) / 1024.0;
}

Stage1Settings settings(benchmark::State& state) {
  Stage1Settings s1;
  s1.precision = state.range(1) ? Precision::single_precision : Precision::double_precision;
  s1.batch = static_cast<int>(state.range(2));
  // Full batch: statistics on every row (the default; the same sweep as the gradient). Mini-batch: steps only, the
  // statistics sweep over all M is measured on its own below.
  s1.stats_every = s1.batch > 0 ? 1 << 30 : 1;
  s1.lr = 0.1;
  return s1;
}

// One Stage I step: full batch (batch 0; with the statistics of the new W) or mini-batch (without).
void BM_Stage1StepAtScale(benchmark::State& state) {
  follow_free_cores();
  const Stage1Settings s1 = settings(state);
  RetrievalSettings s2;
  s2.precision = s1.precision;
  Session session(fashion(static_cast<int>(state.range(0))), s1, s2);
  session.stage1_step();
  for (auto _ : state) session.stage1_step();
  peak_memory(state);
  state.SetLabel(std::string(to_string(s1.precision)) + (s1.batch ? ", mini-batch" : ", full batch"));
}

// The statistics over all M of the current W (Delta^Phi, R_Phi, m_Phi and the loss): one tiled sweep.
void BM_StatisticsAtScale(benchmark::State& state) {
  follow_free_cores();
  Stage1Settings s1 = settings(state);
  RetrievalSettings s2;
  s2.precision = s1.precision;
  Session session(fashion(static_cast<int>(state.range(0))), s1, s2);
  for (auto _ : state) {
    state.PauseTiming();
    session.stage1_step();  // a new W whose statistics are not known
    state.ResumeTiming();
    session.ensure_stats();
  }
  peak_memory(state);
  state.SetLabel(to_string(s1.precision));
}
}  // namespace

// Args: M, single (1) / double (0), batch (0 = full). Fixed iteration counts: one setup (loading, the first
// sweep) per size.
BENCHMARK(BM_Stage1StepAtScale)
    ->ArgsProduct({{1000, 4000}, {1, 0}, {0}})
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Stage1StepAtScale)
    ->ArgsProduct({{8000}, {1, 0}, {0}})
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Stage1StepAtScale)
    ->ArgsProduct({{60000}, {1, 0}, {1000}})
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_StatisticsAtScale)->Args({60000, 1, 1000})->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
