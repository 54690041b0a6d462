// The numbers of the "why" views against naive loops on random small cases: the probe, Lemma 1's margin and beta*,
// the PCA feature map and its Procrustes alignment, the energy landscape and its plane coordinates.
#include <catch2/catch.hpp>

#include <cmath>

#include "naive_insight.h"
#include "numerics/corruption.h"
#include "numerics/energy_landscape.h"
#include "numerics/feature_geometry.h"
#include "numerics/feature_projection.h"
#include "numerics/input_error.h"
#include "numerics/retrieval_probe.h"
#include "numerics/retrieval_run.h"
#include "numerics/separation_stats.h"

using namespace uhop;

namespace {
MemorySet random_set(Rng& rng, int m, int d) {
  MemorySet s = memory_set_from_matrix(naive::random_matrix(rng, m, d), "random");
  return s;
}
double rel(double a, double b) {
  return std::abs(a - b) / std::max(1.0, std::abs(b));
}
}  // namespace

TEST_CASE("probe: mean paper error and fraction retrieved equal naive loops (kernel and dot, T = 1..3)", "[insight]") {
  for (int trial = 0; trial < 12; ++trial) {
    Rng rng(100 + trial);
    const int m = 3 + trial % 5, d = 4 + trial % 3, dd = d + trial % 2;
    const MemorySet set = random_set(rng, m, d);
    const Matrix w = naive::random_gaussian(rng, dd, d) * 0.7;
    const Corruption c{CorruptionKind::gaussian, 0.2 + 0.1 * (trial % 3)};
    const uint64_t seed = trial;
    const Matrix q = probe_queries(set, c, seed);
    // Query mu is corrupt(xi_mu) with the sweep's seed mixing, written out here independently.
    for (int mu = 0; mu < m; ++mu) {
      const uint64_t s = seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(mu) * 0xBF58476D1CE4E5B9ULL + 1;
      CHECK((q.row(mu).transpose() - corrupt(set.patterns.row(mu).transpose(), set.shape, c, s)).norm() == 0);
    }
    const int steps = 1 + trial % 3;
    const double beta = 0.5 + trial % 4;
    RetrievalSettings rs;
    rs.beta = beta;
    rs.similarity = Similarity::kernel;
    const ProbeResult k = run_probe(make_retrieval_operator(set.patterns, w, Similarity::kernel), rs, q, steps);
    const naive::Probe nk = naive::probe(w, set.patterns, q, steps, beta);
    CHECK(rel(k.paper_error, nk.error) < 1e-10);
    CHECK(k.retrieved == Approx(nk.retrieved).margin(1e-12));
    rs.similarity = Similarity::dot;
    const ProbeResult dot = run_probe(make_retrieval_operator(set.patterns, Matrix(), Similarity::dot), rs, q, steps);
    const naive::Probe nd = naive::probe(Matrix::Identity(d, d), set.patterns, q, steps, beta);
    CHECK(rel(dot.paper_error, nd.error) < 1e-10);
    CHECK(dot.retrieved == Approx(nd.retrieved).margin(1e-12));
  }
}

TEST_CASE("probe with 1.5-entmax equals M single-query Stage II runs", "[insight]") {
  Rng rng(7);
  const MemorySet set = random_set(rng, 6, 5);
  const Matrix w = naive::random_gaussian(rng, 5, 5);
  const Matrix q = probe_queries(set, Corruption{CorruptionKind::dropout, 0.3}, 4);
  RetrievalSettings rs;
  rs.similarity = Similarity::kernel;
  rs.sep.alpha = 1.5;
  rs.beta = 2;
  const ProbeResult p = run_probe(make_retrieval_operator(set.patterns, w, Similarity::kernel), rs, q, 2);
  double err = 0, hit = 0;
  for (int mu = 0; mu < 6; ++mu) {
    RetrievalRun run = start_retrieval(set.patterns, w, rs, q.row(mu).transpose(), mu, nullptr);
    retrieval_run_step(run);
    retrieval_run_step(run);
    err += run.log.back().paper_error / 6;
    hit += (run.log.back().nearest == mu) / 6.0;
  }
  CHECK(rel(p.paper_error, err) < 1e-10);
  CHECK(p.retrieved == Approx(hit).margin(1e-12));
}

TEST_CASE("probe settings are checked", "[insight]") {
  ProbeSettings p;
  p.steps = -1;
  CHECK_THROWS_AS(validate(p), InputError);
  p.steps = 1;
  p.beta = 0;
  CHECK_THROWS_AS(validate(p), InputError);
  p.beta = std::nan("");
  CHECK_THROWS_AS(validate(p), InputError);
}

TEST_CASE("bound margin and beta* against naive loops and their defining property", "[insight]") {
  for (int trial = 0; trial < 10; ++trial) {
    Rng rng(200 + trial);
    const int m = 3 + trial % 4, d = 3 + trial % 3;
    const Matrix xi = naive::random_matrix(rng, m, d);
    const Matrix w = trial % 2 ? Matrix(Matrix::Identity(d, d)) : naive::random_gaussian(rng, d + 1, d);
    const SeparationStats s = separation_stats(feature_geometry(xi, trial % 2 ? Matrix() : w), xi);
    CHECK(rel(bound_margin_min(s), naive::bound_margin_min(w, xi)) < 1e-10);
    double mean = 0;
    for (int mu = 0; mu < m; ++mu) mean += bound_margin(s, mu) / m;
    CHECK(rel(bound_margin_mean(s), mean) < 1e-12);
  }
  // beta*: the Lemma 1 bound 2m(M-1)exp(-beta* margin) equals epsilon exactly there.
  for (double margin : {0.01, 0.3, 2.0, 17.0}) {
    for (double eps : {1e-3, 0.1, 1.0}) {
      const double b = beta_star(margin, 3.0, 50, eps);
      CHECK(2 * 3.0 * 49 * std::exp(-b * margin) == Approx(eps).epsilon(1e-10));
    }
  }
  CHECK(std::isinf(beta_star(0.0, 3.0, 50, 0.1)));
  CHECK(std::isinf(beta_star(-1.0, 3.0, 50, 0.1)));
  CHECK(beta_star(1.0, 1.0, 2, 5.0) == 0.0);  // 2m(M-1) = 2 < epsilon: every beta works
}

TEST_CASE("feature PCA equals the naive covariance PCA (up to sign), exact and iterative", "[insight]") {
  for (int trial = 0; trial < 8; ++trial) {
    Rng rng(300 + trial);
    const int m = 8 + 3 * trial, d = 5 + trial % 4, dd = d + trial % 3;
    const Matrix xi = naive::random_matrix(rng, m, d);
    const Matrix w = naive::random_gaussian(rng, dd, d);
    const Matrix z = xi * w.transpose();
    const Matrix expected = naive::pca_points(w, xi);
    const Matrix gram = z * z.transpose();
    for (int route = 0; route < 4; ++route) {  // exact eigensolver, then subspace iteration; covariance, then Gram
      const int limit = route % 2 ? 0 : 1000;
      INFO("trial " << trial << " exact_limit " << limit << (route < 2 ? " covariance (D < M)" : " Gram"));
      const FeatureMap2d map = feature_pca(z, route < 2 ? nullptr : &gram, limit);
      for (int k = 0; k < 2; ++k) {
        const double sign = map.points.col(k).dot(expected.col(k)) < 0 ? -1 : 1;
        CHECK((sign * map.points.col(k) - expected.col(k)).norm() < 1e-8 * std::max(1.0, expected.col(k).norm()));
        // The sign convention: the largest |coordinate| is positive.
        Eigen::Index arg = 0;
        map.points.col(k).cwiseAbs().maxCoeff(&arg);
        CHECK(map.points(arg, k) > 0);
      }
      CHECK((map.axes.transpose() * map.axes - Eigen::Matrix2d::Identity()).norm() < 1e-10);
      // A memory projected as a state lands on its own point; so does W = I with the pixels.
      CHECK((project_states(map, w, xi) - map.points).norm() < 1e-10);
      CHECK(map.variance[0] >= map.variance[1]);
      CHECK(map.variance.sum() <= map.total_variance + 1e-12);
    }
  }
  Rng rng(5);
  const Matrix xi = naive::random_matrix(rng, 6, 4);  // W = I: the features are the pixels
  const FeatureMap2d map = feature_pca(xi);
  CHECK((project_states(map, Matrix(), xi) - map.points).norm() < 1e-10);
  CHECK_THROWS_AS(feature_pca(Matrix::Ones(1, 3)), InputError);
  // One feature dimension, more memories (the covariance route with D = 1): the features are ±1 or 0 once
  // normalized; one axis, the second empty.
  Matrix one(5, 1);
  one << 2, -1, 0, 3, 4;
  const FeatureMap2d line = feature_pca(one);
  CHECK(line.axes.col(1).norm() == 0);
  CHECK(line.variance[1] == 0);
  CHECK(line.variance[0] == Approx(line.total_variance));
  // f = (1, -1, 0, 1, 1), mean 0.4: points (0.6, -1.4, -0.4, 0.6, 0.6), flipped so that -1.4 is positive
  CHECK(line.points(0, 0) == Approx(-0.6));
  CHECK(line.points(1, 0) == Approx(1.4));
  // All features zero (blank images): no axis at all, and no denormal variance from rounding.
  const FeatureMap2d blank = feature_pca(Matrix::Zero(6, 3));
  CHECK(blank.variance.norm() == 0);
  CHECK(blank.points.norm() == 0);
}

TEST_CASE("Procrustes: recovers a rotation or reflection and beats every other one", "[insight]") {
  for (int trial = 0; trial < 10; ++trial) {
    Rng rng(400 + trial);
    const Matrix p = naive::random_gaussian(rng, 12, 2);
    const double th = 6.28318 * rng.uniform();
    Eigen::Matrix2d r0;
    r0 << std::cos(th), -std::sin(th), std::sin(th), std::cos(th);
    if (trial % 2) r0.col(1) *= -1;  // a reflection
    CHECK((procrustes_rotation(p, p * r0) - r0).norm() < 1e-10);
    // Against a random target: no rotation or reflection on a 0.25 degree grid does better.
    const Matrix q = naive::random_gaussian(rng, 12, 2);
    const double best = (p * procrustes_rotation(p, q) - q).norm();
    for (int k = 0; k < 1440; ++k) {
      const double a = k * 6.28318530718 / 1440;
      Eigen::Matrix2d r;
      r << std::cos(a), -std::sin(a), std::sin(a), std::cos(a);
      CHECK(best <= (p * r - q).norm() + 1e-12);
      r.col(1) *= -1;
      CHECK(best <= (p * r - q).norm() + 1e-12);
    }
  }
  Rng rng(9);
  const Matrix xi = naive::random_matrix(rng, 7, 4);
  FeatureMap2d map = feature_pca(xi);
  const Matrix before = map.points;
  Eigen::Matrix2d flip;
  flip << 0, 1, 1, 0;
  align_map(map, before * flip);  // the axes turn with the points
  CHECK((map.points - before * flip).norm() < 1e-10);
  CHECK((project_states(map, Matrix(), xi) - map.points).norm() < 1e-10);
}

TEST_CASE("energy landscape equals the naive energy and the retrieve log's energy at every grid point", "[insight]") {
  for (int trial = 0; trial < 6; ++trial) {
    Rng rng(500 + trial);
    const int m = 4 + trial, d = 5, dd = 6;
    const Matrix xi = naive::random_matrix(rng, m, d);
    const Matrix w = naive::random_gaussian(rng, dd, d) * 0.6;
    const Vector q = naive::random_vector(rng, d, 0, 1);
    const LandscapePlane plane = landscape_plane(xi, q, 1, 2);
    const std::vector<double> a = landscape_axis(5 + trial), b = landscape_axis(4 + trial);
    const double beta = 0.5 + trial;
    const Matrix e = landscape_energy(plane, xi, w, SepSpec{}, beta, a, b);
    const Matrix e_mhm = landscape_energy(plane, xi, Matrix(), SepSpec{}, beta, a, b);
    const Matrix z = xi * w.transpose();
    const Matrix e_with_features = landscape_energy(plane, xi, w, SepSpec{}, beta, a, b, &z);
    const RetrievalOperator op = make_retrieval_operator(xi, w, Similarity::kernel);
    const RetrievalOperator dot = make_retrieval_operator(xi, Matrix(), Similarity::dot);
    RetrievalSettings rs;
    rs.beta = beta;
    RetrievalSettings entmax = rs;
    entmax.sep.alpha = 1.5;
    const Matrix e15 = landscape_energy(plane, xi, w, entmax.sep, beta, a, b);
    for (size_t i = 0; i < a.size(); ++i) {
      for (size_t j = 0; j < b.size(); ++j) {
        Vector x(d);
        for (int p = 0; p < d; ++p) x[p] = q[p] + a[i] * (xi(1, p) - q[p]) + b[j] * (xi(2, p) - q[p]);
        CHECK(rel(e(i, j), naive::softmax_energy(w, xi, x, beta)) < 1e-9);
        CHECK(rel(e_mhm(i, j), naive::softmax_energy(Matrix::Identity(d, d), xi, x, beta)) < 1e-9);
        CHECK(rel(e(i, j), energy(op, rs, x)) < 1e-9);
        CHECK(rel(e_mhm(i, j), energy(dot, rs, x)) < 1e-9);
        CHECK(rel(e15(i, j), energy(op, entmax, x)) < 1e-9);
        CHECK(rel(e_with_features(i, j), e(i, j)) < 1e-12);
      }
    }
  }
}

TEST_CASE("energy landscape refuses what has no energy or no plane", "[insight]") {
  Rng rng(1);
  const Matrix xi = naive::random_matrix(rng, 4, 3);
  const Vector q = naive::random_vector(rng, 3, 0, 1);
  const LandscapePlane plane = landscape_plane(xi, q, 0, 1);
  const auto axis = landscape_axis(3);
  SepSpec topk;
  topk.top_k = 2;
  CHECK_THROWS_WITH(landscape_energy(plane, xi, Matrix(), topk, 1, axis, axis), Catch::Contains("top-k"));
  CHECK_THROWS_AS(landscape_energy(plane, xi, Matrix(), SepSpec{}, 0, axis, axis), InputError);
  CHECK_THROWS_WITH(landscape_plane(xi, q, 2, 2), Catch::Contains("must differ"));
  CHECK_THROWS_AS(landscape_plane(xi, q, 0, 4), InputError);
  CHECK_THROWS_AS(landscape_plane(xi, Vector::Zero(2), 0, 1), InputError);
  CHECK_THROWS_AS(landscape_axis(1), InputError);
  const auto seven = landscape_axis(7);
  CHECK(seven.front() == -0.25);
  CHECK(seven[1] == 0.0);
  CHECK(seven[5] == 1.0);
  CHECK(seven.back() == 1.25);
}

TEST_CASE("plane coordinates recover a and b and the distance off the plane", "[insight]") {
  Rng rng(3);
  const Matrix xi = naive::random_matrix(rng, 5, 6);
  const Vector q = naive::random_vector(rng, 6, 0, 1);
  const LandscapePlane plane = landscape_plane(xi, q, 3, 0);
  // A direction orthogonal to u and v.
  Vector n = naive::random_vector(rng, 6, -1, 1);
  const Matrix basis = (Matrix(6, 2) << plane.u, plane.v).finished();
  n -= basis * basis.colPivHouseholderQr().solve(n);
  const Vector x = q + 0.3 * plane.u - 0.7 * plane.v + 2.0 * n;
  const PlanePoint p = plane_coordinates(plane, x);
  CHECK(p.a == Approx(0.3).margin(1e-10));
  CHECK(p.b == Approx(-0.7).margin(1e-10));
  CHECK(p.off_plane == Approx(2.0 * n.norm()).epsilon(1e-9));
}

TEST_CASE("default rival: what MHM retrieved, else the nearest other memory to the query", "[insight]") {
  Matrix xi(3, 2);
  xi << 0, 0, 1, 0, 5, 5;
  CHECK(default_rival(xi, Vector::Constant(2, 0.1), 0, 2) == 2);
  CHECK(default_rival(xi, Vector::Constant(2, 0.1), 0, 0) == 1);
  CHECK(default_rival(xi, Vector::Constant(2, 4.0), 0, -1) == 2);
}

TEST_CASE("energy landscape on a grid large enough to be spread over threads equals the point-wise energy",
          "[insight]") {
  Rng rng(77);
  const int m = 2000, d = 4;
  const Matrix xi = naive::random_matrix(rng, m, d);
  const Matrix w = naive::random_gaussian(rng, d, d);
  const Vector q = naive::random_vector(rng, d, 0, 1);
  const LandscapePlane plane = landscape_plane(xi, q, 5, 9);
  const std::vector<double> axis = landscape_axis(128);
  RetrievalSettings rs;
  rs.beta = 3;
  const Matrix e = landscape_energy(plane, xi, w, SepSpec{}, rs.beta, axis, axis);
  const RetrievalOperator op = make_retrieval_operator(xi, w, Similarity::kernel);
  for (int i = 0; i < 128; i += 9) {
    for (int j = 0; j < 128; j += 13) {
      const Vector x = q + axis[i] * plane.u + axis[j] * plane.v;
      CHECK(rel(e(i, j), energy(op, rs, x)) < 1e-9);
    }
  }
}

TEST_CASE("probe in single precision at an extreme beta: finite, equal to the double probe (was NaN at 1e50)",
          "[insight]") {
  Rng rng(11);
  const MemorySet set = random_set(rng, 5, 8);
  const Matrix w = naive::random_gaussian(rng, 8, 8);
  const Matrix q = probe_queries(set, Corruption{CorruptionKind::gaussian, 0.1}, 2);
  auto shared = std::make_shared<const Matrix>(set.patterns);  // kernel and dot in float, as the Stage I probe runs
  for (const Similarity similarity : {Similarity::dot, Similarity::kernel}) {
    const Matrix wk = similarity == Similarity::kernel ? w : Matrix();
    for (const double beta : {1e50, 1e100}) {
      RetrievalSettings rs;
      rs.similarity = similarity;
      rs.beta = beta;
      const ProbeResult single =
          run_probe(make_retrieval_operator(shared, wk, similarity, Precision::single_precision), rs, q, 1);
      const ProbeResult twice = run_probe(make_retrieval_operator(set.patterns, wk, similarity), rs, q, 1);
      CHECK(std::isfinite(single.paper_error));
      CHECK(single.paper_error == Approx(twice.paper_error).margin(1e-9));
      CHECK(single.retrieved == twice.retrieved);
    }
  }
}
