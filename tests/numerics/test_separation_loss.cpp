#include <catch2/catch.hpp>

#include "numerics/feature_map.h"
#include "numerics/input_error.h"
#include "naive_formulas.h"
#include "numerics/separation_loss.h"
#include "numerics/separation_stats.h"

using namespace uhop;

namespace {
double core_loss(const Matrix& w, const Matrix& xi, double t, LossKind kind) {
  return separation_loss(feature_geometry(xi, w), t, kind).loss;
}
}  // namespace

TEST_CASE("separation loss equals the naive formula", "[stage1]") {
  Rng rng(21);
  for (int trial = 0; trial < 50; ++trial) {
    const int M = 2 + static_cast<int>(rng.below(8)), d = 1 + static_cast<int>(rng.below(6));
    const int D = d + static_cast<int>(rng.below(4));
    const Matrix xi = naive::random_matrix(rng, M, d), w = naive::random_gaussian(rng, D, d);
    const double t = 0.5 + 3 * rng.uniform();
    CHECK(core_loss(w, xi, t, LossKind::avg) == Approx(naive::separation_loss(w, xi, t, false)).margin(1e-12));
    CHECK(core_loss(w, xi, t, LossKind::max) == Approx(naive::separation_loss(w, xi, t, true)).margin(1e-12));
  }
}

TEST_CASE("separation loss by hand: three orthogonal unit memories", "[stage1]") {
  // Pairwise ||f_mu - f_nu||^2 = 2 for all three pairs: L_avg = log((2/6) * 3 e^{-2t}) = -2t, L_max = -2t.
  const Matrix xi = Matrix::Identity(3, 3);
  CHECK(core_loss(Matrix::Identity(3, 3), xi, 2.0, LossKind::avg) == Approx(-4.0));
  CHECK(core_loss(Matrix::Identity(3, 3), xi, 2.0, LossKind::max) == Approx(-4.0));
}

TEST_CASE("loss gradient matches central finite differences (avg and max, D > d)", "[stage1][gradient]") {
  Rng rng(33);
  for (LossKind kind : {LossKind::avg, LossKind::max}) {
    for (int trial = 0; trial < 20; ++trial) {
      const int M = 3 + static_cast<int>(rng.below(6)), d = 2 + static_cast<int>(rng.below(4));
      const int D = d + 1 + static_cast<int>(rng.below(3));
      const Matrix xi = naive::random_matrix(rng, M, d), w = naive::random_gaussian(rng, D, d);
      const double t = 0.5 + 2 * rng.uniform();
      const FeatureGeometry g = feature_geometry(xi, w);
      const LossValue v = separation_loss(g, t, kind);
      const Matrix grad = separation_loss_gradient(g, v, xi, t, kind);
      REQUIRE(grad.rows() == D);
      REQUIRE(grad.cols() == d);
      const double h = 1e-6;
      for (int i = 0; i < D; ++i)
        for (int j = 0; j < d; ++j) {
          Matrix wp = w, wm = w;
          wp(i, j) += h;
          wm(i, j) -= h;
          const double fd = (naive::separation_loss(wp, xi, t, kind == LossKind::max) -
                             naive::separation_loss(wm, xi, t, kind == LossKind::max)) /
                            (2 * h);
          CHECK(grad(i, j) == Approx(fd).margin(1e-6).epsilon(1e-5));
        }
    }
  }
}

TEST_CASE("gradient of a subset loss only involves the training memories", "[stage1][gradient]") {
  Rng rng(4);
  const Matrix xi = naive::random_matrix(rng, 8, 3), w = naive::random_gaussian(rng, 4, 3);
  const FeatureGeometry g = feature_geometry(xi, w);
  const LossValue v = separation_loss(g, 2.0, LossKind::avg, 4);
  CHECK(v.loss == Approx(naive::separation_loss(w, xi.topRows(4), 2.0, false)));
  const Matrix grad = separation_loss_gradient(g, v, xi, 2.0, LossKind::avg);
  const FeatureGeometry g4 = feature_geometry(xi.topRows(4), w);
  const Matrix grad4 =
      separation_loss_gradient(g4, separation_loss(g4, 2.0, LossKind::avg), xi.topRows(4), 2.0, LossKind::avg);
  CHECK((grad - grad4).norm() < 1e-12);
}

TEST_CASE("a small gradient step lowers the loss", "[stage1]") {
  Rng rng(8);
  for (int trial = 0; trial < 50; ++trial) {
    const Matrix xi = naive::random_matrix(rng, 6, 4), w = naive::random_gaussian(rng, 5, 4);
    const FeatureGeometry g = feature_geometry(xi, w);
    const LossValue v = separation_loss(g, 2.0, LossKind::avg);
    Matrix w2 = w;
    AdamState adam;
    apply_update(w2, separation_loss_gradient(g, v, xi, 2.0, LossKind::avg), 1e-3, Optimizer::sgd, adam);
    CHECK(core_loss(w2, xi, 2.0, LossKind::avg) < v.loss);
  }
}

TEST_CASE("learning-rate schedules by hand", "[stage1]") {
  CHECK(learning_rate(Schedule::constant, 0.5, 7) == 0.5);
  CHECK(learning_rate(Schedule::inv_sqrt, 1.0, 3) == Approx(0.5));  // 1/sqrt(4)
  // reference: gamma_0 = 1, gamma_1 = 1/sqrt(1), gamma_2 = gamma_1/sqrt(2), gamma_3 = gamma_2/sqrt(3)
  CHECK(learning_rate(Schedule::reference, 1.0, 0) == Approx(1.0));
  CHECK(learning_rate(Schedule::reference, 1.0, 1) == Approx(1.0));
  CHECK(learning_rate(Schedule::reference, 1.0, 2) == Approx(1 / std::sqrt(2.0)));
  CHECK(learning_rate(Schedule::reference, 2.0, 3) == Approx(2 / std::sqrt(6.0)));
}

TEST_CASE("feature map inits: shapes, orthonormal columns, seeded, D >= d enforced", "[stage1]") {
  CHECK(init_feature_map(FeatureInit::identity, 4, 0, 1) == Matrix::Identity(4, 4));
  const Matrix q = init_feature_map(FeatureInit::orthogonal, 4, 7, 3);
  REQUIRE(q.rows() == 7);
  CHECK((q.transpose() * q - Matrix::Identity(4, 4)).norm() < 1e-12);
  CHECK(init_feature_map(FeatureInit::gaussian, 5, 5, 42) == init_feature_map(FeatureInit::gaussian, 5, 5, 42));
  CHECK(init_feature_map(FeatureInit::gaussian, 5, 5, 42) != init_feature_map(FeatureInit::gaussian, 5, 5, 43));
  CHECK_THROWS_AS(init_feature_map(FeatureInit::gaussian, 5, 3, 0), InputError);
  CHECK_THROWS_AS(init_feature_map(FeatureInit::identity, 5, 6, 0), InputError);
  Rng rng(1);
  Matrix w = naive::random_gaussian(rng, 6, 3);
  normalize_rows(w);
  CHECK((w.rowwise().norm().array() - 1.0).abs().maxCoeff() < 1e-14);
}

TEST_CASE("Delta^Phi, R_Phi, m, m_Phi equal the naive formulas", "[stage1][stats]") {
  Rng rng(12);
  for (int trial = 0; trial < 30; ++trial) {
    const int M = 2 + static_cast<int>(rng.below(7)), d = 1 + static_cast<int>(rng.below(5));
    const Matrix xi = naive::random_matrix(rng, M, d), w = naive::random_gaussian(rng, d + 2, d);
    const SeparationStats s = separation_stats(feature_geometry(xi, w), xi);
    for (int mu = 0; mu < M; ++mu) CHECK(s.delta[mu] == Approx(naive::delta_phi(w, xi, mu)).margin(1e-12));
    CHECK(s.r_phi == Approx(naive::r_phi(w, xi)).margin(1e-7));
    CHECK(s.m == Approx(xi.rowwise().norm().maxCoeff()));
    double m_phi = 0;
    for (int mu = 0; mu < M; ++mu) m_phi = std::max(m_phi, naive::feature(w, naive::row(xi, mu)).norm());
    CHECK(s.m_phi == Approx(m_phi));
    // W = I gives the plain Delta and R.
    const SeparationStats id = separation_stats(feature_geometry(xi, Matrix()), xi);
    CHECK(id.delta[0] == Approx(naive::delta_phi(Matrix::Identity(d, d), xi, 0)).margin(1e-12));
  }
}

TEST_CASE("fewer than two memories or t <= 0 are refused", "[stage1][bad-input]") {
  const Matrix one = Matrix::Ones(1, 3);
  CHECK_THROWS_AS(separation_loss(feature_geometry(one, Matrix()), 2.0, LossKind::avg), InputError);
  CHECK_THROWS_AS(separation_stats(feature_geometry(one, Matrix()), one), InputError);
  CHECK_THROWS_AS(separation_loss(feature_geometry(Matrix::Identity(3, 3), Matrix()), 0.0, LossKind::avg), InputError);
}
