// Stage I and Stage II steps next to the plain matrix products they cannot avoid, at d = D = 784 (MNIST-sized).
// Report ratios from one run (README "Speed"): time(step) / time(products) and GFLOP/s.
#include <benchmark/benchmark.h>

#include "numerics/feature_geometry.h"
#include "numerics/retrieval.h"
#include "numerics/rng.h"
#include "numerics/separation_loss.h"
#include "numerics/separation_stats.h"

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

// FLOPs of the products a Stage I avg step needs: Z = Xi W^T (2MdD), K = Z Z^T (M^2 D, symmetric half),
// P F (2 M^2 D), dL/dW = G^T Xi (2 M D d).
double stage1_flops(double M, double d, double D) {
  return 2 * M * d * D + M * M * D + 2 * M * M * D + 2 * M * D * d;
}

void set_flops(benchmark::State& state, double flops) {
  state.counters["FLOP"] = flops;
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// The yardstick: exactly the unavoidable products of one Stage I step, nothing else.
void BM_Stage1Products(benchmark::State& state) {
  const int M = static_cast<int>(state.range(0));
  const Matrix xi = random_matrix(M, kDim, 1), w = random_matrix(kDim, kDim, 2, 0.05);
  Matrix z(M, kDim), k(M, M), pf(M, kDim), grad(kDim, kDim);
  for (auto _ : state) {
    z.noalias() = xi * w.transpose();
    k.setZero();
    k.selfadjointView<Eigen::Lower>().rankUpdate(z);
    pf.noalias() = k * z;
    grad.noalias() = pf.transpose() * xi;
    benchmark::DoNotOptimize(grad.data());
  }
  set_flops(state, stage1_flops(M, kDim, kDim));
}

template <LossKind kind>
void BM_Stage1Step(benchmark::State& state) {
  const int M = static_cast<int>(state.range(0));
  const Matrix xi = random_matrix(M, kDim, 1);
  Matrix w = Matrix::Identity(kDim, kDim);
  AdamState adam;
  FeatureGeometry g = feature_geometry(xi, w);
  LossValue v = separation_loss(g, 2.0, kind);
  Matrix grad;
  GradientWorkspace work;
  for (auto _ : state) {
    // What Session::stage1_step does: gradient at W_i, update, then loss and statistics of W_{i+1}.
    separation_loss_gradient(grad, work, g, v, xi, 2.0, kind);
    apply_update(w, grad, 1e-3, Optimizer::sgd, adam);
    update_feature_geometry(g, xi, w);
    update_separation_loss(v, g, 2.0, kind);
    benchmark::DoNotOptimize(separation_stats(g, xi).r_phi);
  }
  set_flops(state, stage1_flops(M, kDim, kDim));
}

// Stage II yardstick: one M x d by d x M product (the scores of all M queries).
void BM_Stage2Product(benchmark::State& state) {
  const int M = static_cast<int>(state.range(0));
  const Matrix xi = random_matrix(M, kDim, 1), q = random_matrix(M, kDim, 3);
  Matrix s(M, M);
  for (auto _ : state) {
    s.noalias() = q * xi.transpose();
    benchmark::DoNotOptimize(s.data());
  }
  set_flops(state, 2.0 * M * M * kDim);
}

void BM_Stage2Batch(benchmark::State& state) {
  const int M = static_cast<int>(state.range(0));
  const double alpha = state.range(1) / 10.0;
  const Matrix xi = random_matrix(M, kDim, 1), q = random_matrix(M, kDim, 3);
  const Matrix w = Matrix::Identity(kDim, kDim) + random_matrix(kDim, kDim, 4, 0.01);
  const RetrievalOperator op = make_retrieval_operator(xi, w, Similarity::kernel);
  const RetrievalSettings settings{Similarity::kernel, SepSpec{alpha, 0}, 0.01, false};
  for (auto _ : state) benchmark::DoNotOptimize(retrieval_step_batch(op, settings, q).data());
  set_flops(state, 4.0 * M * M * kDim);  // scores and the weighted sum of memories
}
}  // namespace

BENCHMARK(BM_Stage1Products)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Stage1Step<LossKind::avg>)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Stage1Step<LossKind::max>)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Stage2Product)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Stage2Batch)
    ->Args({100, 10})
    ->Args({1000, 10})
    ->Args({1000, 15})
    ->Args({1000, 20})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
