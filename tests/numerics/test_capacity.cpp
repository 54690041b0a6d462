// The capacity lab's patterns and trials (numerics/pattern_stream.h, numerics/capacity.h): moments of every
// ensemble, patterns as a pure function of (seed, index) in any block order, the target weight against a brute-force
// softmax, the hebbian network's retrieval on both sides of alpha_c, and results independent of the thread count.
#include <catch2/catch.hpp>

#include <cmath>

#include "numerics/capacity.h"
#include "numerics/capacity_theory.h"
#include "numerics/input_error.h"
#include "numerics/parallel_for.h"
#include "numerics/pattern_stream.h"

using namespace uhop;

namespace {
struct ThreadCap {
  explicit ThreadCap(int n) { set_max_compute_threads(n); }
  ~ThreadCap() { set_max_compute_threads(0); }
};

void check_moments(PatternEnsemble e, int n, int count) {
  MatrixF block(n, count);
  generate_patterns(e, stream_key(7, 3), 0, block);
  const Matrix x = block.cast<double>();
  const Vector mean = x.rowwise().mean();
  const Matrix centered = x.colwise() - mean;
  const Matrix cov = centered * centered.transpose() / (count - 1);
  const double se = 1.0 / std::sqrt(static_cast<double>(count));
  CHECK(mean.cwiseAbs().maxCoeff() < 5 * se);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) CHECK(std::fabs(cov(i, j) - (i == j ? 1.0 : 0.0)) < (i == j ? 8 : 5) * se);
  const Eigen::ArrayXd norms2 = x.colwise().squaredNorm().transpose().array();
  if (e == PatternEnsemble::gaussian) {
    CHECK(std::fabs(norms2.mean() - n) < 5 * std::sqrt(2.0 * n) * se);
    CHECK(std::fabs((norms2 - n).square().mean() - 2.0 * n) < 0.15 * 2 * n);  // chi^2_N variance 2N
    const double kurtosis = x.array().pow(4).mean();
    CHECK(std::fabs(kurtosis - 3) < 0.1);
  } else {
    CHECK((norms2 - n).abs().maxCoeff() < 1e-4 * n);  // spherical: radius sqrt(N); binary: N ones
  }
  if (e == PatternEnsemble::binary) CHECK((x.array().abs() - 1).abs().maxCoeff() == 0);
  if (e == PatternEnsemble::spherical) {
    // E q^2 = 1/N for the overlap of two independent uniform unit vectors.
    double q2 = 0;
    for (int k = 0; k + 1 < count; k += 2) q2 += std::pow(x.col(k).dot(x.col(k + 1)) / n, 2);
    CHECK(std::fabs(q2 / (count / 2) - 1.0 / n) < 0.1 / n);
  }
}
}  // namespace

TEST_CASE("capacity patterns: mean 0, covariance I and the norms of each ensemble", "[capacity]") {
  for (int n : {7, 16}) {
    check_moments(PatternEnsemble::gaussian, n, 40000);
    check_moments(PatternEnsemble::spherical, n, 40000);
    check_moments(PatternEnsemble::binary, n, 40000);
  }
  check_moments(PatternEnsemble::binary, 70, 20000);  // more than one 64-bit word per pattern
}

TEST_CASE("capacity patterns: a pure function of (seed, index), whatever the blocks", "[capacity]") {
  for (PatternEnsemble e : {PatternEnsemble::gaussian, PatternEnsemble::spherical, PatternEnsemble::binary}) {
    const int n = 13, count = 300;
    const uint64_t key = stream_key(42, 5);
    MatrixF whole(n, count);
    generate_patterns(e, key, 0, whole);
    // Backwards, in uneven blocks.
    MatrixF pieces(n, count);
    for (int end = count; end > 0;) {
      const int len = std::min(end, 1 + end % 37), first = end - len;
      generate_patterns(e, key, static_cast<uint64_t>(first), pieces.middleCols(first, len));
      end = first;
    }
    CHECK(pieces == whole);
    CHECK(generate_pattern(e, n, key, 123) == whole.col(123).cast<double>());
    MatrixF other(n, count);
    generate_patterns(e, stream_key(43, 5), 0, other);
    CHECK(other != whole);
    generate_patterns(e, stream_key(42, 6), 0, other);
    CHECK(other != whole);
  }
  // Far indices (P up to 2^62) are as cheap as near ones.
  const Vector far = generate_pattern(PatternEnsemble::spherical, 20, stream_key(1, 0), 4000000000000000000ull);
  CHECK(std::fabs(far.squaredNorm() - 20) < 1e-3);
}

TEST_CASE("capacity exponential: the target weight and the final overlap equal a brute-force softmax", "[capacity]") {
  for (PatternEnsemble e : {PatternEnsemble::spherical, PatternEnsemble::gaussian, PatternEnsemble::binary}) {
    CapacitySettings s;
    s.patterns = e;
    s.dim = 10;
    s.seed = 9;
    const uint64_t count = 60;
    const double beta = 0.8;
    const CapacityTrial got = run_capacity_trial(s, beta, count, 4);
    // The trial's target is unknown here: it must be one of the patterns, with weight and overlap both matching.
    const uint64_t key = stream_key(s.seed, 4);
    Matrix xi(s.dim, count);
    for (uint64_t mu = 0; mu < count; ++mu) xi.col(mu) = generate_pattern(e, s.dim, key, mu);
    bool found = false;
    for (uint64_t t = 0; t < count && !found; ++t) {
      const Vector scores = beta * xi.transpose() * xi.col(t);
      const Vector p = (scores.array() - scores.maxCoeff()).exp().matrix();
      const double w = p[t] / p.sum();
      const Vector x1 = xi * p / p.sum();
      const double m = xi.col(t).dot(x1) / xi.col(t).squaredNorm();
      found = std::fabs(w - got.target_weight) < 1e-5 && std::fabs(m - got.final_overlap) < 1e-5;
    }
    CHECK(found);
    CHECK(got.retrieved == (got.final_overlap >= kRetrievedOverlap));
  }
}

TEST_CASE("capacity hebbian: N = 400 retrieves at alpha 0.05 and fails at 0.25 (final overlap >= 0.95)", "[capacity]") {
  CapacitySettings s;
  s.model = CapacityModel::hebbian;
  s.patterns = PatternEnsemble::binary;
  s.dim = 400;
  s.alphas = {0.05, 0.25};
  s.trials = 12;
  s.seed = 3;
  const std::vector<CapacityRow> rows = run_capacity(s);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].count == 20);
  CHECK(rows[1].count == 100);
  CHECK(rows[0].retrieved == 1.0);
  CHECK(rows[0].mean_final_overlap > 0.99);
  CHECK(rows[1].retrieved <= 1.0 / 12);
  CHECK(rows[1].mean_final_overlap < 0.9);
  CHECK(rows[0].theory == kHebbianAlphaC);
  CHECK(rows[0].mean_target_weight < 0);
  // Polynomial degree 3 holds far more: P = 0.02 N^2 = 200 patterns at N = 100 is 14 times the hebbian 0.138 N,
  // about half Krotov-Hopfield's error-free N^2 / (6 ln N) = 362.
  CapacitySettings p = s;
  p.model = CapacityModel::polynomial;
  p.degree = 3;
  p.dim = 100;
  p.alphas = {0.02};
  p.trials = 6;
  const std::vector<CapacityRow> poly = run_capacity(p);
  CHECK(poly[0].count == 200);
  CHECK(poly[0].retrieved == 1.0);
}

TEST_CASE("capacity polynomial: degree 2 is the hebbian network (docs/capacity.md)", "[capacity]") {
  // The energy -sum_mu (xi_mu.x)^2: flipping x_i changes it by 4 x_i sum_mu xi_mu,i (xi_mu.x) - 4P = 4N x_i h_i,
  // h_i = sum_{j != i} J_ij x_j with J = (1/N) Xi Xi^T: the KH rule (flip when the energy falls) is the hebbian
  // rule (flip when x_i h_i < 0), ties (h_i = 0) included. Checked here on random patterns and states.
  const int n = 31, count = 9;
  MatrixF block(n, count);
  generate_patterns(PatternEnsemble::binary, stream_key(8, 0), 0, block);
  const Matrix xi = block.cast<double>();
  Matrix j = xi * xi.transpose() / n;
  j.diagonal().setZero();
  MatrixF states(n, 5);
  generate_patterns(PatternEnsemble::binary, stream_key(8, 1), 0, states);
  auto energy = [&](const Vector& x) { return -(xi.transpose() * x).squaredNorm(); };
  for (int k = 0; k < states.cols(); ++k) {
    const Vector x = states.col(k).cast<double>();
    const Vector h = j * x;
    for (int i = 0; i < n; ++i) {
      Vector flipped = x;
      flipped[i] = -x[i];
      CHECK(energy(flipped) - energy(x) == Approx(4.0 * n * x[i] * h[i]).margin(1e-9));
    }
  }
  // And the lab runs one code path for both: same seed, same P = round(alpha N), the same rows, at loads where
  // the dynamics do work (start overlap 0.8: about 10 % of the spins wrong).
  CapacitySettings hebb;
  hebb.model = CapacityModel::hebbian;
  hebb.patterns = PatternEnsemble::binary;
  hebb.dim = 100;
  hebb.alphas = {0.05, 0.15, 0.3};
  hebb.trials = 20;
  hebb.start_overlap = 0.8;
  hebb.seed = 4;
  CapacitySettings poly = hebb;
  poly.model = CapacityModel::polynomial;
  poly.degree = 2;
  const std::vector<CapacityRow> a = run_capacity(hebb), b = run_capacity(poly);
  REQUIRE(a.size() == 3);
  REQUIRE(b.size() == 3);
  for (size_t r = 0; r < a.size(); ++r) {
    CHECK(a[r].count == b[r].count);
    CHECK(a[r].retrieved == b[r].retrieved);
    CHECK(a[r].mean_final_overlap == b[r].mean_final_overlap);
  }
  CHECK(a[0].retrieved == 1.0);  // the basin corrected the wrong spins
  CHECK(a[2].retrieved < 0.5);   // above alpha_c: it fails
  CHECK(a[0].theory == kHebbianAlphaC);
  CHECK(b[0].theory == polynomial_alpha_max(2, 100));
}

TEST_CASE("capacity: rows do not depend on the thread count or on streaming in parallel", "[capacity]") {
  CapacitySettings s;
  s.dim = 12;
  s.alphas = {0.3, 0.6, 0.95};  // P = 37, 1339, 88766 (the last one streams its chunks over the pool)
  s.betas = {1.5};
  s.trials = 3;
  s.seed = 11;
  s.start_overlap = 0.9;
  s.steps = 2;
  std::vector<CapacityRow> one, two;
  {
    ThreadCap cap(1);
    one = run_capacity(s);
  }
  {
    ThreadCap cap(2);
    two = run_capacity(s);
  }
  REQUIRE(one.size() == 3);
  for (size_t i = 0; i < one.size(); ++i) {
    CHECK(one[i].mean_target_weight == two[i].mean_target_weight);
    CHECK(one[i].mean_final_overlap == two[i].mean_final_overlap);
    CHECK(one[i].retrieved == two[i].retrieved);
  }
  // The streamed-parallel cell equals its trials run one by one (the serial path).
  double m = 0;
  for (int k = 0; k < 3; ++k) m += run_capacity_trial(s, 1.5, one[2].count, k).final_overlap;
  CHECK(m / 3 == one[2].mean_final_overlap);
  // Running one cell alone gives the direct run's row.
  const std::vector<CapacityRow> alone = run_capacity(s, {1});
  CHECK(alone[0].mean_target_weight == one[1].mean_target_weight);
}

TEST_CASE("capacity: bad settings are refused with the flag named", "[capacity]") {
  CapacitySettings s;
  s.alphas = {1.0};
  s.dim = 4097;
  CHECK_THROWS_WITH(capacity_cells(s), Catch::Contains("--dim"));
  s.dim = 64;
  CHECK_THROWS_WITH(capacity_cells(s), Catch::Contains("2^62"));
  s.alphas = {-1};
  CHECK_THROWS_WITH(capacity_cells(s), Catch::Contains("> 0"));
  s.alphas = {0.1};
  s.betas = {1e9};
  CHECK_THROWS_WITH(capacity_cells(s), Catch::Contains("--beta"));
  s.betas = {1};
  s.model = CapacityModel::hebbian;
  CHECK_THROWS_WITH(capacity_cells(s), Catch::Contains("binary"));
  s.patterns = PatternEnsemble::binary;
  s.model = CapacityModel::polynomial;
  s.degree = 8;
  s.dim = 4096;
  CHECK_THROWS_WITH(capacity_cells(s), Catch::Contains("2^25"));
  CHECK_THROWS_AS(parse_capacity_model("gardner"), InputError);
  CHECK_THROWS_AS(parse_pattern_ensemble("uniform"), InputError);
  // Cancelling stops the run.
  CapacitySettings c;
  c.alphas = {0.5};
  c.trials = 50;
  CHECK_THROWS_AS(run_capacity(c, {}, {}, [](double f) { return f < 0.2; }), Cancelled);
}

TEST_CASE("capacity hebbian: a cancel ends a large trial inside its sweeps (measured in pattern visits)",
          "[capacity]") {
  // N = 1000, P = 300 (alpha 0.3, past alpha_c: many sweeps), trials of up to 100 sweeps: the progress work is
  // (sweeps + 1) x P x N = 3e7 visits per trial. Cancel at the first report past 0. Before the trials checked
  // inside their sweeps, that report came after all the trials had ended (fraction 1).
  // - One thread, 4 trials: it comes after the first P x N overlaps and one check (2^16 visits): 0.25 % of the
  //   work, inside the first trial's first sweep.
  // - Two threads, 2 trials (one each): the fraction also holds what the other thread did before the caller's
  //   first report, which depends on scheduling but can never exceed its one trial: under 1/2 + 1 %.
  struct Case {
    int threads, trials;
    double bound;
  };
  for (const Case& c : {Case{1, 4, 0.01}, Case{2, 2, 0.51}}) {
    ThreadCap cap(c.threads);
    CapacitySettings s;
    s.model = CapacityModel::hebbian;
    s.patterns = PatternEnsemble::binary;
    s.dim = 1000;
    s.alphas = {0.3};
    s.trials = c.trials;
    s.seed = 1;
    std::vector<double> reports;
    bool called_after_cancel = false;
    auto progress = [&](double f) {
      if (!reports.empty() && reports.back() > 0) called_after_cancel = true;
      reports.push_back(f);
      return f == 0;
    };
    CHECK_THROWS_AS(run_capacity(s, {}, {}, progress), Cancelled);
    INFO("threads " << c.threads << ", reports " << reports.size());
    REQUIRE(reports.size() == 2);
    CHECK(reports[0] == 0);
    CHECK(reports[1] > 0);
    CHECK(reports[1] < c.bound);
    CHECK_FALSE(called_after_cancel);
  }
}
