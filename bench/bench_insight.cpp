// The "why" views' costs at d = D = 784 (MNIST-sized), beside the yardstick of one M x d by d x M product:
// the energy landscape (issue 10 asks for a 128 x 128 grid at M = 1000 within 1 s), the probe (all M queries, one
// batched Stage II step, U-Hop's kernel operator included) and the feature map's PCA.
#include <benchmark/benchmark.h>

#include "numerics/energy_landscape.h"
#include "numerics/feature_geometry.h"
#include "numerics/feature_projection.h"
#include "numerics/retrieval_probe.h"
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

Matrix near_identity() {
  return Matrix::Identity(kDim, kDim) + random_matrix(kDim, kDim, 4, 0.01);
}

void BM_Product(benchmark::State& state) {  // yardstick
  const int M = static_cast<int>(state.range(0));
  const Matrix xi = random_matrix(M, kDim, 1), q = random_matrix(M, kDim, 3);
  Matrix s(M, M);
  for (auto _ : state) {
    s.noalias() = q * xi.transpose();
    benchmark::DoNotOptimize(s.data());
  }
}

// Both landscapes of the Studio (MHM and U-Hop), range(1) x range(1) grid; range(2) = 10 alpha.
void BM_Landscape(benchmark::State& state) {
  const int M = static_cast<int>(state.range(0)), n = static_cast<int>(state.range(1));
  const Matrix xi = random_matrix(M, kDim, 1);
  const Matrix w = near_identity();
  const Matrix z = xi * w.transpose();
  const Vector q = random_matrix(kDim, 1, 5);
  const LandscapePlane plane = landscape_plane(xi, q, 0, 1);
  const std::vector<double> axis = landscape_axis(n);
  SepSpec sep;
  sep.alpha = state.range(2) / 10.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(landscape_energy(plane, xi, Matrix(), sep, 0.05, axis, axis).data());
    benchmark::DoNotOptimize(landscape_energy(plane, xi, w, sep, 0.05, axis, axis, &z).data());
  }
}

// A Stage I step (avg loss) as Session::stage1_step takes it: what the probe's cost is weighed against.
void BM_Stage1Step(benchmark::State& state) {
  const int M = static_cast<int>(state.range(0));
  const Matrix xi = random_matrix(M, kDim, 1);
  Matrix w = Matrix::Identity(kDim, kDim);
  AdamState adam;
  FeatureGeometry g = feature_geometry(xi, w);
  LossValue v = separation_loss(g, 2.0, LossKind::avg);
  Matrix grad;
  GradientWorkspace work;
  for (auto _ : state) {
    separation_loss_gradient(grad, work, g, v, xi, 2.0, LossKind::avg);
    apply_update(w, grad, 1e-3, Optimizer::sgd, adam);
    update_feature_geometry(g, xi, w);
    update_separation_loss(v, g, 2.0, LossKind::avg);
    benchmark::DoNotOptimize(separation_stats(g, xi).r_phi);
  }
}

// One U-Hop probe as the Session runs it: the kernel operator A = Z W, one batched softmax step, the nearest memory.
void BM_Probe(benchmark::State& state) {
  const int M = static_cast<int>(state.range(0));
  const Matrix xi = random_matrix(M, kDim, 1);
  const Matrix w = near_identity();
  const Matrix z = xi * w.transpose();
  const MemorySet set = memory_set_from_matrix(xi, "bench");
  const Matrix queries = probe_queries(set, Corruption{CorruptionKind::gaussian, 0.1}, 0);
  RetrievalSettings rs;
  rs.similarity = Similarity::kernel;
  for (auto _ : state) {
    const RetrievalOperator op = make_retrieval_operator(xi, w, Similarity::kernel, &z);
    benchmark::DoNotOptimize(run_probe(op, rs, queries, 1).paper_error);
  }
}

// range(1) = 1: warm start from the map of a slightly different W (an animation's previous frame).
void BM_FeaturePca(benchmark::State& state) {
  const int M = static_cast<int>(state.range(0));
  const Matrix xi = random_matrix(M, kDim, 1);
  const Matrix w = near_identity();
  const FeatureGeometry g = feature_geometry(xi, w);
  const Matrix previous = feature_pca(feature_geometry(xi, w + random_matrix(kDim, kDim, 9, 1e-3)).features).points;
  for (auto _ : state)
    benchmark::DoNotOptimize(feature_pca(g.features, &g.gram, 256, state.range(1) ? &previous : nullptr).points.data());
}
}  // namespace

BENCHMARK(BM_Product)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Landscape)
    ->Args({100, 128, 10})
    ->Args({1000, 32, 10})
    ->Args({1000, 128, 10})
    ->Args({1000, 128, 15})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Stage1Step)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Probe)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FeaturePca)
    ->Args({100, 0})
    ->Args({1000, 0})
    ->Args({1000, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
