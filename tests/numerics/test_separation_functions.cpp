#include <catch2/catch.hpp>

#include "numerics/input_error.h"
#include "naive_formulas.h"
#include "numerics/separation_functions.h"

using namespace uhop;

namespace {
void require_on_simplex(const Vector& p) {
  REQUIRE(p.allFinite());
  REQUIRE(p.minCoeff() >= 0.0);
  REQUIRE(p.sum() == Approx(1.0).margin(1e-12));
}
// The variational objective alpha-entmax maximizes: <p, z> + H_alpha(p).
double objective(const Vector& p, const Vector& z, double alpha) {
  return p.dot(z) + tsallis_entropy(p, alpha);
}
}  // namespace

TEST_CASE("every Sep variant lands on the simplex for random scores", "[sep]") {
  Rng rng(7);
  for (int trial = 0; trial < 500; ++trial) {
    const int m = 1 + static_cast<int>(rng.below(30));
    const double scale = std::pow(10.0, -2 + 5 * rng.uniform());  // from flat to extremely peaked
    const Vector z = naive::random_vector(rng, m, -scale, scale);
    require_on_simplex(softmax(z));
    require_on_simplex(sparsemax(z));
    require_on_simplex(entmax15(z));
    require_on_simplex(entmax_bisect(z, 1.0 + 2 * rng.uniform()));
    require_on_simplex(topk_softmax(z, 1 + static_cast<int>(rng.below(m))));
  }
}

TEST_CASE("softmax survives huge scores (stable shift)", "[sep]") {
  Vector z(3);
  z << 1000, 999, -1000;
  const Vector p = softmax(z);
  CHECK(p[0] == Approx(1 / (1 + std::exp(-1.0))));
  CHECK(p[1] == Approx(std::exp(-1.0) / (1 + std::exp(-1.0))));
  CHECK(log_sum_exp(z) == Approx(1000 + std::log(1 + std::exp(-1.0) + std::exp(-2000.0))));
}

TEST_CASE("sparsemax and entmax survive beta = 1e15: one-hot, never NaN (issue 12)", "[sep][hostile]") {
  // Scores of a few units times beta = 1e15: the gaps are ~1e15, the values ~1e17, where 1 + k z_(k) and z - tau lose
  // the 1 unless everything is taken relative to the max.
  Vector s(4);
  s << 91.25, 90.5, 12.0, -3.0;
  for (double beta : {1e15, 1e17, 1e100}) {
    const Vector z = beta * s;
    INFO("beta " << beta);
    for (const Vector& p : {softmax(z), sparsemax(z), entmax15(z), entmax_bisect(z, 1.3), entmax_bisect(z, 3.0)}) {
      require_on_simplex(p);
      CHECK(p[0] == 1.0);
    }
  }
  // Relative precision is kept near the top: a gap of 0.5 with values ~1e6 still gives sparsemax (0.75, 0.25).
  Vector close(2);
  close << 1e6 + 0.5, 1e6;
  CHECK(sparsemax(close)[0] == Approx(0.75).margin(1e-9));
  CHECK(entmax_bisect(close, 2.0)[0] == Approx(0.75).margin(1e-6));
}

TEST_CASE("sparsemax matches its closed form for two entries and a hand-computed case", "[sep]") {
  // Two entries: p_1 = clip((1 + z_1 - z_2)/2, 0, 1).
  Rng rng(3);
  for (int i = 0; i < 200; ++i) {
    Vector z = naive::random_vector(rng, 2, -2, 2);
    const double p1 = std::clamp((1 + z[0] - z[1]) / 2, 0.0, 1.0);
    const Vector p = sparsemax(z);
    CHECK(p[0] == Approx(p1).margin(1e-14));
    CHECK(p[1] == Approx(1 - p1).margin(1e-14));
  }
  // z = (0.5, 0.3, -1): support {1,2}, tau = (0.8 - 1)/2 = -0.1, p = (0.6, 0.4, 0).
  Vector z(3);
  z << 0.5, 0.3, -1.0;
  const Vector p = sparsemax(z);
  CHECK(p[0] == Approx(0.6));
  CHECK(p[1] == Approx(0.4));
  CHECK(p[2] == 0.0);
}

TEST_CASE("exact 1.5-entmax and sparsemax agree with bisection", "[sep]") {
  Rng rng(11);
  for (int i = 0; i < 300; ++i) {
    const Vector z = naive::random_vector(rng, 2 + static_cast<int>(rng.below(20)), -3, 3);
    const Vector a = entmax15(z), b = entmax_bisect(z, 1.5);
    CHECK((a - b).cwiseAbs().maxCoeff() < 1e-9);
    const Vector c = sparsemax(z), d = entmax_bisect(z, 2.0);
    CHECK((c - d).cwiseAbs().maxCoeff() < 1e-9);
  }
}

TEST_CASE("alpha-entmax maximizes <p,z> + H_alpha(p) over the simplex", "[sep]") {
  Rng rng(5);
  for (double alpha : {1.0, 1.25, 1.5, 2.0, 3.0}) {
    for (int i = 0; i < 50; ++i) {
      const int m = 2 + static_cast<int>(rng.below(8));
      const Vector z = naive::random_vector(rng, m, -2, 2);
      const Vector p = separate(z, SepSpec{alpha, 0});
      const double best = objective(p, z, alpha);
      CHECK(psi_star(z, SepSpec{alpha, 0}) == Approx(best).margin(1e-10));
      for (int j = 0; j < 50; ++j) {  // random simplex points and small moves never beat p
        Vector q = naive::random_vector(rng, m, 0, 1);
        q /= q.sum();
        Vector near_p = (0.99 * p + 0.01 * q);
        CHECK(objective(q, z, alpha) <= best + 1e-10);
        CHECK(objective(near_p, z, alpha) <= best + 1e-10);
      }
    }
  }
}

TEST_CASE("alpha-entmax tends to softmax as alpha -> 1", "[sep]") {
  Rng rng(9);
  const Vector z = naive::random_vector(rng, 10, -2, 2);
  const Vector p1 = softmax(z);
  double prev = 1e9;
  for (double eps : {1e-1, 1e-2, 1e-3, 1e-4}) {
    const double gap = (entmax_bisect(z, 1 + eps) - p1).cwiseAbs().maxCoeff();
    CHECK(gap < prev);
    prev = gap;
  }
  CHECK(prev < 1e-3);
  CHECK(psi_star(z, SepSpec{1.0001, 0}) == Approx(log_sum_exp(z)).epsilon(1e-3));
}

TEST_CASE("top-k softmax keeps exactly the k largest", "[sep]") {
  Vector z(5);
  z << 0.1, 2.0, -1.0, 1.5, 0.0;
  const Vector p = topk_softmax(z, 2);
  CHECK(p[0] == 0.0);
  CHECK(p[2] == 0.0);
  CHECK(p[4] == 0.0);
  CHECK(p[1] == Approx(std::exp(2.0) / (std::exp(2.0) + std::exp(1.5))));
  CHECK(std::isnan(psi_star(z, SepSpec{1.0, 2})));
}

TEST_CASE("row-wise Sep equals Sep of each row", "[sep]") {
  Rng rng(2);
  for (double alpha : {1.0, 1.5, 2.0, 1.7}) {
    Matrix z = naive::random_matrix(rng, 6, 9, -3, 3), rows = z;
    separate_rows(rows, SepSpec{alpha, 0});
    for (int r = 0; r < 6; ++r)
      CHECK((rows.row(r).transpose() - separate(z.row(r).transpose(), SepSpec{alpha, 0})).norm() < 1e-14);
  }
}

TEST_CASE("alpha below 1 is refused", "[sep][bad-input]") {
  CHECK_THROWS_AS(validate(SepSpec{0.5, 0}), InputError);
  CHECK_THROWS_AS(validate(SepSpec{std::nan(""), 0}), InputError);
  CHECK_NOTHROW(validate(SepSpec{1.0, 0}));
}
