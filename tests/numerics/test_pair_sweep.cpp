// The tiled pair sweep and the Stage I kernel against the untiled reference (feature_geometry + separation_loss +
// separation_stats, whose M x M Gram matrix the tests can afford), tiles of every shape, any thread count.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "data/memory_sources.h"
#include "naive_formulas.h"
#include "numerics/feature_geometry.h"
#include "numerics/input_error.h"
#include "numerics/pair_sweep.h"
#include "numerics/parallel_for.h"
#include "numerics/separation_loss.h"
#include "numerics/separation_stats.h"
#include "numerics/stage1_kernel.h"

using namespace uhop;

namespace {
struct Case {
  Matrix xi, w;
  double t;
};
Case random_case(Rng& rng, int M, int d, int D) {
  return {naive::random_matrix(rng, M, d), naive::random_gaussian(rng, D, d), 0.5 + 3 * rng.uniform()};
}

// Restores the thread cap when a test ends.
struct ThreadCap {
  explicit ThreadCap(int n) { set_max_compute_threads(n); }
  ~ThreadCap() { set_max_compute_threads(0); }
};

std::shared_ptr<const Matrix> shared(const Matrix& m) {
  return std::make_shared<const Matrix>(m);
}
}  // namespace

TEST_CASE("tiled pair sweep equals the untiled Gram-matrix computation on random cases", "[pair-sweep]") {
  Rng rng(5);
  for (int trial = 0; trial < 40; ++trial) {
    const int M = 2 + static_cast<int>(rng.below(70)), d = 1 + static_cast<int>(rng.below(6));
    const Case c = random_case(rng, M, d, d + static_cast<int>(rng.below(3)));
    const int n = rng.below(3) == 0 ? 2 + static_cast<int>(rng.below(M - 1)) : M;  // loss over the first n
    const Eigen::Index block = 1 + static_cast<Eigen::Index>(rng.below(20));       // many tiles, ragged last block
    const FeatureGeometry g = feature_geometry(c.xi, c.w);
    const SeparationStats stats = separation_stats(g, c.xi);
    for (LossKind kind : {LossKind::avg, LossKind::max}) {
      const LossValue untiled = separation_loss(g, c.t, kind, n);
      PairSweepRequest request;
      request.t = c.t;
      request.loss = kind;
      request.loss_rows = n;
      request.weighted_sum = true;
      request.stats = true;
      request.block = block;
      PairSweep<double> tiled;
      pair_sweep(tiled, g.features, g.norms, request);
      INFO("M " << M << " n " << n << " block " << block << " kind " << to_string(kind));
      CHECK(tiled.loss == Approx(untiled.loss).epsilon(1e-12).margin(1e-12));
      // The closest pair, where it is unique (d = 1 has many exact ties).
      std::vector<double> e;
      for (int b = 0; b < n; ++b)
        for (int a = 0; a < b; ++a)
          e.push_back(-c.t * (g.features.row(a) / g.norms[a] - g.features.row(b) / g.norms[b]).squaredNorm());
      std::sort(e.rbegin(), e.rend());
      if (e.size() < 2 || e[0] - e[1] > 1e-9) {
        CHECK(tiled.max_mu == untiled.max_mu);
        CHECK(tiled.max_nu == untiled.max_nu);
      }
      REQUIRE(tiled.delta.size() == M);
      for (int mu = 0; mu < M; ++mu) CHECK(tiled.delta[mu] == Approx(stats.delta[mu]).margin(1e-10));
      CHECK(tiled.r_phi == Approx(stats.r_phi).margin(1e-10));
      if (kind == LossKind::avg) {
        // (P F)_mu = sum_nu P_mu,nu f_nu with the untiled pair weights.
        const Vector inv = g.norms.head(n).cwiseInverse();
        const Matrix pf = untiled.pair_weights * (inv.asDiagonal() * g.features.topRows(n));
        REQUIRE(tiled.weighted_features.rows() == n);
        CHECK((tiled.weighted_features - pf).norm() <= 1e-12 * std::max(1.0, pf.norm()));
      }
    }
  }
}

TEST_CASE("pair sweep: stable at a large temperature, and refuses what it cannot do", "[pair-sweep]") {
  Rng rng(8);
  const Case c = random_case(rng, 30, 4, 4);
  const FeatureGeometry g = feature_geometry(c.xi, c.w);
  for (double t : {200.0, 5000.0}) {  // exp(-4t) underflows double: the row shifts keep the sums finite
    PairSweepRequest request;
    request.t = t;
    request.loss_rows = 30;
    request.weighted_sum = true;
    request.block = 7;
    PairSweep<double> s;
    pair_sweep(s, g.features, g.norms, request);
    const LossValue untiled = separation_loss(g, t, LossKind::avg);
    CHECK(std::isfinite(s.loss));
    CHECK(s.loss == Approx(untiled.loss).epsilon(1e-12));
    CHECK(s.weighted_features.allFinite());
  }
  PairSweepRequest one;
  one.loss_rows = 1;
  PairSweep<double> s;
  CHECK_THROWS_AS(pair_sweep(s, g.features, g.norms, one), InputError);
  PairSweepRequest stats;
  stats.stats = true;
  CHECK_THROWS_AS(pair_sweep(s, Matrix(g.features.topRows(1)), Vector(g.norms.head(1)), stats), InputError);
}

TEST_CASE("Stage I kernel: gradient equals the untiled gradient and finite differences", "[pair-sweep][gradient]") {
  Rng rng(12);
  for (LossKind kind : {LossKind::avg, LossKind::max}) {
    for (int trial = 0; trial < 10; ++trial) {
      const int M = 3 + static_cast<int>(rng.below(40)), d = 2 + static_cast<int>(rng.below(4));
      const Case c = random_case(rng, M, d, d + static_cast<int>(rng.below(3)));
      const auto kernel = make_stage1_kernel(shared(c.xi), nullptr, Precision::double_precision);
      Stage1Request request;
      request.t = c.t;
      request.loss = kind;
      request.gradient = true;
      const Stage1Evaluation ev = kernel->evaluate(c.w, {}, request);
      Matrix grad;
      kernel->gradient(grad);
      CHECK_THROWS_AS(kernel->gradient(grad), InputError);  // once per evaluation
      const FeatureGeometry g = feature_geometry(c.xi, c.w);
      const LossValue v = separation_loss(g, c.t, kind);
      // The max loss is recomputed from the pair's rows (no cancellation): held to the naive formula.
      CHECK(ev.loss ==
            Approx(naive::separation_loss(c.w, c.xi, c.t, kind == LossKind::max)).epsilon(1e-10).margin(1e-13));
      const Matrix untiled = separation_loss_gradient(g, v, c.xi, c.t, kind);
      CHECK((grad - untiled).norm() <= 1e-10 * std::max(1.0, untiled.norm()));
      const double h = 1e-6;
      const int i = static_cast<int>(rng.below(c.w.rows())), j = static_cast<int>(rng.below(d));
      Matrix wp = c.w, wm = c.w;
      wp(i, j) += h;
      wm(i, j) -= h;
      const double fd = (naive::separation_loss(wp, c.xi, c.t, kind == LossKind::max) -
                         naive::separation_loss(wm, c.xi, c.t, kind == LossKind::max)) /
                        (2 * h);
      CHECK(grad(i, j) == Approx(fd).margin(1e-6).epsilon(1e-5));
    }
  }
}

TEST_CASE("Stage I kernel: a batch of rows is the same computation as those memories alone", "[pair-sweep]") {
  Rng rng(14);
  const Case c = random_case(rng, 40, 5, 6);
  const std::vector<int> rows = {1, 4, 5, 9, 20, 33, 39};
  Matrix sub(static_cast<Eigen::Index>(rows.size()), 5);
  for (size_t i = 0; i < rows.size(); ++i) sub.row(static_cast<Eigen::Index>(i)) = c.xi.row(rows[i]);
  const auto kernel = make_stage1_kernel(shared(c.xi), nullptr, Precision::double_precision);
  const auto alone = make_stage1_kernel(shared(sub), nullptr, Precision::double_precision);
  Stage1Request request;
  request.t = c.t;
  request.gradient = request.stats = true;
  const Stage1Evaluation a = kernel->evaluate(c.w, rows, request), b = alone->evaluate(c.w, {}, request);
  Matrix ga, gb;
  kernel->gradient(ga);
  alone->gradient(gb);
  CHECK(a.loss == b.loss);
  CHECK(a.stats.r_phi == b.stats.r_phi);
  CHECK(a.stats.m == b.stats.m);
  CHECK(ga == gb);
}

TEST_CASE("sweeps, features and gradients do not depend on the thread count", "[pair-sweep][threads]") {
  Rng rng(15);
  const Case c = random_case(rng, 700, 30, 40);  // several 256-row product blocks and sweep tiles
  const auto run = [&](int threads, Precision p) {
    ThreadCap cap(threads);
    const auto kernel = make_stage1_kernel(shared(c.xi), nullptr, p);
    Stage1Request request;
    request.t = c.t;
    request.gradient = request.stats = true;
    const Stage1Evaluation ev = kernel->evaluate(c.w, {}, request);
    Matrix grad;
    kernel->gradient(grad);
    return std::make_pair(ev, grad);
  };
  for (Precision p : {Precision::double_precision, Precision::single_precision}) {
    const auto one = run(1, p), two = run(2, p), three = run(3, p);
    CHECK(one.first.loss == two.first.loss);
    CHECK(one.first.loss == three.first.loss);
    CHECK(one.first.stats.delta == two.first.stats.delta);
    CHECK(one.first.stats.r_phi == three.first.stats.r_phi);
    CHECK(one.second == two.second);
    CHECK(one.second == three.second);
  }
}

TEST_CASE("single precision: loss, statistics and gradient within 1e-4 relative of double", "[pair-sweep][precision]") {
  Rng rng(16);
  for (int trial = 0; trial < 10; ++trial) {
    const int M = 20 + static_cast<int>(rng.below(300)), d = 10 + static_cast<int>(rng.below(60));
    const Case c = random_case(rng, M, d, d);
    Stage1Request request;
    request.t = c.t;
    request.gradient = request.stats = true;
    Stage1Evaluation ev[2];
    Matrix grad[2];
    const Precision ps[2] = {Precision::double_precision, Precision::single_precision};
    for (int k = 0; k < 2; ++k) {
      const auto kernel = make_stage1_kernel(shared(c.xi), nullptr, ps[k]);
      ev[k] = kernel->evaluate(c.w, {}, request);
      kernel->gradient(grad[k]);
    }
    const auto rel = [](double a, double b) { return std::abs(a - b) / std::max(std::abs(a), 1e-300); };
    INFO("M " << M << " d " << d);
    CHECK(rel(ev[0].loss, ev[1].loss) < 1e-4);
    CHECK(rel(ev[0].stats.delta_min, ev[1].stats.delta_min) < 1e-4);
    CHECK(rel(ev[0].stats.delta_mean, ev[1].stats.delta_mean) < 1e-4);
    CHECK(rel(ev[0].stats.delta_max, ev[1].stats.delta_max) < 1e-4);
    CHECK(rel(ev[0].stats.r_phi, ev[1].stats.r_phi) < 1e-4);
    CHECK(rel(ev[0].stats.m_phi, ev[1].stats.m_phi) < 1e-4);
    CHECK((grad[0] - grad[1]).norm() < 1e-4 * grad[0].norm());
  }
}

TEST_CASE("mini-batch rows: B distinct ascending indices from (seed, step); B >= n takes all", "[pair-sweep]") {
  const std::vector<int> a = sample_batch(7, 3, 1000, 50), b = sample_batch(7, 3, 1000, 50);
  CHECK(a == b);
  CHECK(a.size() == 50u);
  CHECK(std::is_sorted(a.begin(), a.end()));
  CHECK(std::set<int>(a.begin(), a.end()).size() == 50u);
  CHECK(a.back() < 1000);
  CHECK(sample_batch(7, 4, 1000, 50) != a);
  CHECK(sample_batch(8, 3, 1000, 50) != a);
  const std::vector<int> all = sample_batch(7, 3, 20, 20);
  CHECK(all.size() == 20u);
  CHECK(all.front() == 0);
  CHECK(all.back() == 19);
  // Every index is equally likely: over many steps each of 10 appears about B/n of the time.
  std::vector<int> hits(10, 0);
  for (int step = 0; step < 2000; ++step)
    for (int i : sample_batch(1, step, 10, 3)) ++hits[static_cast<size_t>(i)];
  for (int h : hits) CHECK(std::abs(h - 600) < 90);
}

TEST_CASE("feature cosine sample: exact cosines of evenly spaced memories", "[pair-sweep]") {
  Rng rng(17);
  const Case c = random_case(rng, 50, 4, 5);
  std::vector<int> picked;
  const Matrix cs = feature_cosine_sample(c.xi, c.w, 8, &picked);
  REQUIRE(cs.rows() == 8);
  REQUIRE(picked.size() == 8u);
  CHECK(picked[1] == 6);  // floor(1 * 50 / 8)
  for (int a = 0; a < 8; ++a)
    for (int b = 0; b < 8; ++b) {
      const Vector fa = naive::feature(c.w, naive::row(c.xi, picked[a])),
                   fb = naive::feature(c.w, naive::row(c.xi, picked[b]));
      CHECK(cs(a, b) == Approx(fa.dot(fb) / (fa.norm() * fb.norm())).margin(1e-12));
    }
  CHECK(feature_cosine_sample(c.xi, c.w, 256).rows() == 50);
}

TEST_CASE("single precision statistics: the float tiles choose, double recomputes the value",
          "[pair-sweep][precision]") {
  // Unrefined float tiles miss these by 10-50x (Delta^Phi min/max ~1e-6, single memories' Delta^Phi ~1e-2).
  LoadOptions o;
  o.count = 500;
  std::shared_ptr<const Matrix> xi;
  try {
    xi = std::make_shared<const Matrix>(load_memories("builtin:fashion-mnist", o).patterns);
  } catch (const InputError&) {
    WARN("builtin:fashion-mnist is not installed: skipped");
    return;
  }
  Rng rng(3);
  Matrix w = Matrix::Identity(784, 784);
  for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] += 0.02 * rng.normal();
  for (const Matrix& ww : {Matrix(), w}) {
    Stage1Request request;
    request.stats = true;
    const Stage1Evaluation d = make_stage1_kernel(xi, nullptr, Precision::double_precision)->evaluate(ww, {}, request);
    const Stage1Evaluation s = make_stage1_kernel(xi, nullptr, Precision::single_precision)->evaluate(ww, {}, request);
    const auto rel = [](double a, double b) { return std::abs(a - b) / std::abs(a); };
    INFO((ww.size() ? "W = I + noise" : "W = I"));
    CHECK(rel(d.stats.delta_min, s.stats.delta_min) < 1e-6);
    CHECK(rel(d.stats.delta_max, s.stats.delta_max) < 1e-6);
    CHECK(rel(d.stats.delta_mean, s.stats.delta_mean) < 1e-6);
    CHECK(rel(d.stats.r_phi, s.stats.r_phi) < 1e-6);
    double worst = 0;
    for (Eigen::Index mu = 0; mu < d.stats.delta.size(); ++mu)
      worst = std::max(worst, rel(d.stats.delta[mu], s.stats.delta[mu]));
    CHECK(worst < 1e-3);
  }
}
