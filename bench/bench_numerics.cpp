// Issue 14: Stage I and Stage II steps next to the plain matrix products they cannot avoid, at d = D = 784
// (MNIST-sized), in float and double, alone and beside 4 busy processes. Report ratios from one run (docs/speed.md):
// time(step) / time(products of the same precision).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "io/cpu_load.h"
#include "numerics/pair_sweep.h"
#include "numerics/parallel_for.h"
#include "numerics/parallel_products.h"
#include "numerics/retrieval.h"
#include "numerics/rng.h"
#include "numerics/stage1_kernel.h"
#include "session/session.h"

namespace {
using namespace uhop;
constexpr int kDim = 784;

Matrix random_matrix(int rows, int cols, uint64_t seed, double scale = 1.0) {
  Rng rng(seed);
  Matrix m(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) m(i, j) = scale * rng.uniform();
  return m;
}

// Processes that only burn CPU (`yes > /dev/null`, as in the issue), for as long as the object lives: "a busy
// machine" inside one benchmark run. Spawned, not forked, so this process's pages are not shared copy-on-write.
struct BusyProcesses {
  std::vector<pid_t> pids;
  explicit BusyProcesses(int n) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    char yes[] = "yes";
    char* argv[] = {yes, nullptr};
    for (int i = 0; i < n; ++i) {
      pid_t pid = 0;
      if (posix_spawnp(&pid, "yes", &actions, nullptr, argv, environ) == 0) pids.push_back(pid);
    }
    posix_spawn_file_actions_destroy(&actions);
  }
  ~BusyProcesses() {
    for (pid_t pid : pids) kill(pid, SIGKILL);
    for (pid_t pid : pids) waitpid(pid, nullptr, 0);
  }
};

// How the core's threads are chosen: following the free cores (the default of uhop and the Studio), or fixed.
enum ThreadMode { follow_free_cores_mode = 0, fixed_two = 2, fixed_one = 1 };
void set_thread_mode(int mode) {
  if (mode == follow_free_cores_mode) {
    set_max_compute_threads(0);
    set_thread_budget(free_cores);
  } else {
    set_max_compute_threads(mode);
    set_thread_budget({});
  }
}
const char* mode_name(int mode) {
  return mode == follow_free_cores_mode ? "follow-free-cores" : mode == fixed_two ? "2-threads" : "1-thread";
}

// FLOPs of the products a Stage I avg step needs: Z = Xi W^T (2MdD), K = Z Z^T (M^2 D, one triangle),
// P F (2 M^2 D), dL/dW = G^T Xi (2 M D d).
double stage1_flops(double M, double d, double D) {
  return 2 * M * d * D + M * M * D + 2 * M * M * D + 2 * M * D * d;
}

void set_flops(benchmark::State& state, double flops) {
  state.counters["FLOP"] = flops;
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// The yardstick: exactly the unavoidable products of one Stage I step in precision T, on the core's threads,
// nothing else (K one triangle of tiles; the M x M matrix is kept here, which the real step never does).
template <typename T>
void BM_Stage1Products(benchmark::State& state) {
  set_thread_mode(follow_free_cores_mode);
  const int M = static_cast<int>(state.range(0));
  const MatrixT<T> xi = random_matrix(M, kDim, 1).cast<T>(), w = random_matrix(kDim, kDim, 2, 0.05).cast<T>();
  MatrixT<T> z, k(M, M), pf, grad;
  const Eigen::Index b = pair_sweep_block(M), blocks = (M + b - 1) / b;
  for (auto _ : state) {
    parallel_product(z, xi, w.transpose());
    parallel_for(static_cast<long>(blocks * blocks), [&](long t) {
      const Eigen::Index bi = t % blocks, bj = t / blocks;
      if (bi > bj) return;
      const Eigen::Index r0 = bi * b, c0 = bj * b, nr = std::min(b, M - r0), nc = std::min(b, M - c0);
      k.block(r0, c0, nr, nc).noalias() = z.middleRows(r0, nr) * z.middleRows(c0, nc).transpose();
    });
    k.template triangularView<Eigen::StrictlyLower>() = k.transpose();
    parallel_product(pf, k, z);
    parallel_product(grad, pf.transpose(), xi);
    benchmark::DoNotOptimize(grad.data());
  }
  set_flops(state, stage1_flops(M, kDim, kDim));
}

// What Session::stage1_step does in full batch: the gradient at W_i (from the last sweep), the update, then the
// sweep of W_{i+1}: its loss, Delta^Phi/R_Phi/m_Phi and the next gradient's weighted sum.
template <LossKind kind>
void BM_Stage1Step(benchmark::State& state) {
  const int M = static_cast<int>(state.range(0));
  const Precision precision = state.range(1) ? Precision::single_precision : Precision::double_precision;
  const int mode = static_cast<int>(state.range(2)), busy = static_cast<int>(state.range(3));
  set_thread_mode(mode);
  Stage1Settings s1;
  s1.precision = precision;
  s1.loss = kind;
  s1.lr = 1e-3;
  RetrievalSettings s2;
  s2.precision = precision;
  Session session(memory_set_from_matrix(random_matrix(M, kDim, 1), "bench"), s1, s2);
  session.stage1_step();  // the first step also prepares W_0's sweep
  BusyProcesses load(busy);
  for (auto _ : state) session.stage1_step();
  set_flops(state, stage1_flops(M, kDim, kDim));
  state.SetLabel(std::string(to_string(precision)) + ", " + mode_name(mode) + (busy ? ", beside 4 busy" : ", alone"));
}

// Stage II yardstick: one M x d by d x M product (the scores of all M queries).
template <typename T>
void BM_Stage2Product(benchmark::State& state) {
  set_thread_mode(follow_free_cores_mode);
  const int M = static_cast<int>(state.range(0));
  const MatrixT<T> xi = random_matrix(M, kDim, 1).cast<T>(), q = random_matrix(M, kDim, 3).cast<T>();
  MatrixT<T> s;
  for (auto _ : state) {
    parallel_product(s, q, xi.transpose());
    benchmark::DoNotOptimize(s.data());
  }
  set_flops(state, 2.0 * M * M * kDim);
}

// The batched step's own two products, in its blocks of queries, without Sep: S^T = A X^T, X+^T = Xi^T P^T. The
// step cannot beat these (2x the one-product yardstick in flops); step / these = what Sep and the conversions add.
template <typename T>
void BM_Stage2BatchProducts(benchmark::State& state) {
  set_thread_mode(follow_free_cores_mode);
  const int M = static_cast<int>(state.range(0));
  const MatrixT<T> xi = random_matrix(M, kDim, 1).cast<T>(), q = random_matrix(M, kDim, 3).cast<T>();
  const Eigen::Index block = std::clamp<Eigen::Index>((M + 3) / 4, 16, 256);
  Matrix out(M, kDim);
  for (auto _ : state) {
    parallel_rows(M, block, [&](Eigen::Index q0, Eigen::Index count) {
      const MatrixT<T> xt = q.middleRows(q0, count).transpose();
      MatrixT<T> st(M, count);
      st.noalias() = xi * xt;
      MatrixT<T> next(kDim, count);
      next.noalias() = xi.transpose() * st;
      out.middleRows(q0, count) = next.transpose().template cast<double>();
    });
    benchmark::DoNotOptimize(out.data());
  }
  set_flops(state, 4.0 * M * M * kDim);
}

void BM_Stage2Batch(benchmark::State& state) {
  set_thread_mode(follow_free_cores_mode);
  const int M = static_cast<int>(state.range(0));
  const double alpha = state.range(1) / 10.0;
  const Precision precision = state.range(2) ? Precision::single_precision : Precision::double_precision;
  const auto xi = std::make_shared<const Matrix>(random_matrix(M, kDim, 1));
  const Matrix q = random_matrix(M, kDim, 3);
  const Matrix w = Matrix::Identity(kDim, kDim) + random_matrix(kDim, kDim, 4, 0.01);
  const RetrievalOperator op = make_retrieval_operator(xi, w, Similarity::kernel, precision);
  RetrievalSettings settings{Similarity::kernel, SepSpec{alpha, 0}, 0.01, false};
  settings.precision = precision;
  for (auto _ : state) benchmark::DoNotOptimize(retrieval_step_batch(op, settings, q).data());
  set_flops(state, 4.0 * M * M * kDim);  // scores and the weighted sum of memories
  state.SetLabel(to_string(precision));
}
}  // namespace

BENCHMARK_TEMPLATE(BM_Stage1Products, float)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_TEMPLATE(BM_Stage1Products, double)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
// Args: M, single (1) / double (0), thread mode (0 follow free cores, 2 fixed 2, 1 fixed 1), busy processes.
BENCHMARK_TEMPLATE(BM_Stage1Step, LossKind::avg)
    ->ArgsProduct({{100, 1000}, {1, 0}, {0}, {0, 4}})
    ->Args({100, 1, 2, 4})
    ->Args({1000, 1, 2, 4})
    ->Args({100, 1, 1, 4})
    ->Args({1000, 1, 1, 4})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_TEMPLATE(BM_Stage1Step, LossKind::max)
    ->ArgsProduct({{1000}, {1, 0}, {0}, {0}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_TEMPLATE(BM_Stage2Product, float)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_TEMPLATE(BM_Stage2Product, double)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_TEMPLATE(BM_Stage2BatchProducts, float)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_TEMPLATE(BM_Stage2BatchProducts, double)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
// Args: M, 10 alpha, single (1) / double (0).
BENCHMARK(BM_Stage2Batch)
    ->ArgsProduct({{100, 1000}, {10}, {1, 0}})
    ->Args({1000, 15, 1})
    ->Args({1000, 20, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
