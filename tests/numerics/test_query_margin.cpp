// The query's margin (numerics/query_margin.h) against naive loops, its 1/2-weight property on random cases, and the
// margin every Stage II row carries.
#include <catch2/catch.hpp>

#include <cmath>

#include "naive_formulas.h"
#include "numerics/query_margin.h"
#include "numerics/retrieval_run.h"
#include "numerics/separation_functions.h"

using namespace uhop;

namespace {
// s_mu - max_{nu != mu} s_nu with s_nu = K(xi_nu, x) = <W xi_nu, W x>, one kernel at a time.
double naive_margin(const Matrix& w, const Matrix& xi, const Vector& x, int mu) {
  double best = -1e300;
  for (int nu = 0; nu < xi.rows(); ++nu)
    if (nu != mu) best = std::max(best, naive::kernel(w, naive::row(xi, nu), x));
  return naive::kernel(w, naive::row(xi, mu), x) - best;
}
}  // namespace

TEST_CASE("query margin: feature and pixel space equal naive loops", "[query_margin]") {
  Rng rng(20);
  for (int trial = 0; trial < 20; ++trial) {
    const int m = 2 + trial % 7, d = 3 + trial % 5, dim = d + trial % 3;
    const Matrix xi = naive::random_matrix(rng, m, d);
    const Matrix w = naive::random_gaussian(rng, dim, d);
    const Vector x = naive::random_vector(rng, d, -1, 1);
    const int mu = trial % m;
    CHECK(query_margin(xi, w, x, mu) == Approx(naive_margin(w, xi, x, mu)).margin(1e-12));
    const Matrix identity = Matrix::Identity(d, d);
    CHECK(query_margin(xi, Matrix(), x, mu) == Approx(naive_margin(identity, xi, x, mu)).margin(1e-12));
  }
  // By hand: scores 3, 5, 1 -> the target 0 trails the best rival by 2; target 1 leads by 2.
  const Vector s = (Vector(3) << 3, 5, 1).finished();
  CHECK(score_margin(s, 0) == -2);
  CHECK(score_margin(s, 1) == 2);
  CHECK(std::isnan(score_margin(Vector::Constant(1, 1.0), 0)));
  CHECK(std::isnan(score_margin(s, 3)));
  CHECK(half_weight_margin(20, 1) == Approx(std::log(19.0)));
  CHECK(half_weight_margin(20, 4) == Approx(std::log(19.0) / 4));
  CHECK(half_weight_margin(2, 1) == 0);
}

TEST_CASE("query margin: at >= ln(M-1)/beta the target's softmax weight is >= 1/2, below 0 it is < 1/2",
          "[query_margin]") {
  Rng rng(21);
  int above = 0, negative = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const int m = 2 + trial % 30;
    const double beta = 0.1 + 0.05 * (trial % 60);
    const Vector s = naive::random_vector(rng, m, -10, 10);
    const int mu = trial % m;
    const double g = score_margin(s, mu);
    SepSpec softmax;
    const double p = separate(Vector(beta * s), softmax)[mu];
    if (g >= half_weight_margin(m, beta)) {
      CHECK(p >= 0.5 - 1e-12);
      ++above;
    }
    if (g < 0) {
      CHECK(p < 0.5);
      ++negative;
    }
  }
  CHECK(above > 10);  // both sides were exercised
  CHECK(negative > 20);
}

TEST_CASE("query margin: every Stage II row carries the margin of its state", "[query_margin]") {
  Rng rng(22);
  const Matrix xi = naive::random_matrix(rng, 7, 5);
  const Matrix w = naive::random_gaussian(rng, 6, 5);
  const Vector q = naive::random_vector(rng, 5, 0, 1);
  RetrievalSettings kernel;
  kernel.beta = 2;
  RetrievalRun run = start_retrieval(xi, w, kernel, q, 3, nullptr);
  RetrievalSettings dot = kernel;
  dot.similarity = Similarity::dot;
  RetrievalRun mhm = start_retrieval(xi, Matrix(), dot, q, 3, nullptr);
  for (int t = 0; t < 3; ++t) retrieval_run_step(run), retrieval_run_step(mhm);
  for (size_t t = 0; t < run.log.size(); ++t) {
    CHECK(run.log[t].score_margin == Approx(naive_margin(w, xi, run.trajectory[t], 3)).margin(1e-12));
    CHECK(mhm.log[t].score_margin ==
          Approx(naive_margin(Matrix::Identity(5, 5), xi, mhm.trajectory[t], 3)).margin(1e-12));
  }
}
