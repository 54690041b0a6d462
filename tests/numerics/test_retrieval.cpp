#include <catch2/catch.hpp>

#include "numerics/feature_map.h"
#include "numerics/input_error.h"
#include "naive_formulas.h"
#include "numerics/retrieval_run.h"
#include "session/session.h"

using namespace uhop;

namespace {
// A random full-column-rank W of one of the three kinds, D >= d.
Matrix random_w(Rng& rng, int d) {
  const int D = d + static_cast<int>(rng.below(4));
  switch (rng.below(3)) {
    case 0:
      return init_feature_map(FeatureInit::orthogonal, d, D, rng.next_u64());
    case 1:
      return naive::random_gaussian(rng, D, d);
    default:
      return Matrix::Identity(d, d);
  }
}
}  // namespace

TEST_CASE("kernel scores, one step and energy equal the naive formulas", "[stage2]") {
  Rng rng(40);
  for (int trial = 0; trial < 50; ++trial) {
    const int M = 2 + static_cast<int>(rng.below(6)), d = 1 + static_cast<int>(rng.below(5));
    const Matrix xi = naive::random_matrix(rng, M, d), w = random_w(rng, d);
    const Vector x = naive::random_vector(rng, d, 0, 1);
    const double beta = 0.1 + 5 * rng.uniform();
    const RetrievalOperator op = make_retrieval_operator(xi, w, Similarity::kernel);
    const RetrievalSettings set{Similarity::kernel, SepSpec{1.0, 0}, beta, false};
    const Vector s = similarity_scores(op, x);
    for (int nu = 0; nu < M; ++nu) CHECK(s[nu] == Approx(naive::kernel(w, naive::row(xi, nu), x)).margin(1e-12));
    CHECK((retrieval_step(op, set, x) - naive::softmax_step(w, xi, x, beta)).norm() < 1e-12);
    CHECK(energy(op, set, x) == Approx(naive::softmax_energy(w, xi, x, beta)).margin(1e-10));
  }
}

TEST_CASE("distance similarities: euclidean and manhattan scores by hand", "[stage2]") {
  Matrix xi(2, 2);
  xi << 0, 0, 3, 4;
  Vector x(2);
  x << 0, 1;
  const Vector e = similarity_scores(make_retrieval_operator(xi, Matrix(), Similarity::euclidean), x);
  CHECK(e[0] == Approx(-1.0));
  CHECK(e[1] == Approx(-std::sqrt(18.0)));
  const Vector m = similarity_scores(make_retrieval_operator(xi, Matrix(), Similarity::manhattan), x);
  CHECK(m[1] == Approx(-6.0));
}

TEST_CASE("the batched step equals one step per query", "[stage2]") {
  Rng rng(41);
  for (Similarity sim : {Similarity::dot, Similarity::kernel, Similarity::euclidean, Similarity::manhattan}) {
    for (double alpha : {1.0, 1.5, 2.0}) {
      const Matrix xi = naive::random_matrix(rng, 7, 5), w = random_w(rng, 5), q = naive::random_matrix(rng, 9, 5);
      const RetrievalOperator op = make_retrieval_operator(xi, w, sim);
      const RetrievalSettings set{sim, SepSpec{alpha, 0}, 3.0, false};
      const Matrix batch = retrieval_step_batch(op, set, q);
      for (int r = 0; r < q.rows(); ++r)
        CHECK((batch.row(r).transpose() - retrieval_step(op, set, q.row(r).transpose())).norm() < 1e-10);
    }
  }
}

TEST_CASE("energy never increases along T (alpha 1, 1.5, 2; D >= d; 1000+ random instances)", "[stage2][energy]") {
  Rng rng(42);
  int checked = 0;
  for (double alpha : {1.0, 1.5, 2.0}) {
    for (int trial = 0; trial < 400; ++trial) {
      const int M = 2 + static_cast<int>(rng.below(10)), d = 1 + static_cast<int>(rng.below(8));
      const Matrix xi = naive::random_matrix(rng, M, d, -1, 1), w = random_w(rng, d);
      const double beta = std::pow(10.0, -1 + 2.5 * rng.uniform());
      const Similarity sim = rng.below(4) == 0 ? Similarity::dot : Similarity::kernel;
      const RetrievalOperator op = make_retrieval_operator(xi, w, sim);
      const RetrievalSettings set{sim, SepSpec{alpha, 0}, beta, false};
      Vector x = naive::random_vector(rng, d, -2, 2);
      double e = energy(op, set, x);
      for (int step = 0; step < 5; ++step) {
        x = retrieval_step(op, set, x);
        const double next = energy(op, set, x);
        CHECK(next <= e + 1e-9 * (1 + std::abs(e)));
        e = next;
        ++checked;
      }
    }
  }
  CHECK(checked == 6000);
}

TEST_CASE("measured error <= Lemma 1 bound for queries inside the sphere (1000+ random instances)", "[stage2][bound]") {
  Rng rng(43);
  int inside = 0, informative = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    const int M = 3 + static_cast<int>(rng.below(8)), d = 2 + static_cast<int>(rng.below(6));
    Matrix xi = naive::random_matrix(rng, M, d, -1, 1);
    // Memories of varied norms plus a close pair of small ones: a small R_Phi makes the bound informative.
    for (int mu = 0; mu < M; ++mu) xi.row(mu) *= 0.2 + 3 * rng.uniform();
    xi.row(M - 1) = 0.1 * xi.row(M - 2) / xi.row(M - 2).norm();
    xi.row(M - 2) = xi.row(M - 1) * 1.05;
    const Matrix w = random_w(rng, d);
    const FeatureGeometry g = feature_geometry(xi, w);
    const SeparationStats stats = separation_stats(g, xi);
    const int mu = static_cast<int>(rng.below(M));
    const double beta = std::pow(10.0, rng.uniform() * 1.5);
    // x = xi_mu + e with ||W e|| = u R_Phi, u in [0, 1]: inside the sphere by construction.
    Vector e = naive::random_vector(rng, d, -1, 1);
    e *= rng.uniform() * stats.r_phi / (w * e).norm();
    const Vector x = xi.row(mu).transpose() + e;
    const RetrievalOperator op = make_retrieval_operator(xi, w, Similarity::kernel);
    REQUIRE(feature_distance(op, x, xi.row(mu).transpose()) <= stats.r_phi * (1 + 1e-12));
    ++inside;
    const double bound = retrieval_error_bound(stats, mu, beta);
    const double err =
        (retrieval_step(op, {Similarity::kernel, SepSpec{1.0, 0}, beta, false}, x) - xi.row(mu).transpose()).norm();
    CHECK(err <= bound * (1 + 1e-9) + 1e-12);
    if (!bound_is_vacuous(stats, bound)) ++informative;
  }
  CHECK(inside == 1500);
  CHECK(informative > 300);  // the check above must bite on many non-trivial bounds
}

TEST_CASE("exact retrieval when the Theorem 2 condition holds (alpha > 1)", "[stage2][exact]") {
  Rng rng(44);
  int exact = 0;
  for (int trial = 0; trial < 600; ++trial) {
    const int M = 3 + static_cast<int>(rng.below(6)), d = 2 + static_cast<int>(rng.below(5));
    Matrix xi = naive::random_matrix(rng, M, d, -1, 1);
    for (int mu = 0; mu < M; ++mu) xi.row(mu) *= 0.2 + 3 * rng.uniform();
    const Matrix w = random_w(rng, d);
    const SeparationStats stats = separation_stats(feature_geometry(xi, w), xi);
    const int mu = static_cast<int>(rng.below(M));
    const double alpha = 1.2 + 0.8 * rng.uniform(), beta = std::pow(10.0, 2 * rng.uniform());
    Vector e = naive::random_vector(rng, d, -1, 1);
    e *= rng.uniform() * stats.r_phi / (w * e).norm();
    const Vector x = xi.row(mu).transpose() + e;
    const RetrievalOperator op = make_retrieval_operator(xi, w, Similarity::kernel);
    const RetrievalSettings set{Similarity::kernel, SepSpec{alpha, 0}, beta, false};
    const Vector p = retrieval_weights(op, set, x);
    // The direct one-hot criterion agrees with the computed weights.
    const bool one_hot = entmax_is_one_hot(similarity_scores(op, x), mu, beta, alpha);
    if (one_hot) CHECK(p[mu] == Approx(1.0).margin(1e-9));
    if (p[mu] < 1 - 1e-6) CHECK_FALSE(one_hot);
    if (exact_retrieval_guaranteed(stats, mu, beta, alpha)) {
      ++exact;
      CHECK(one_hot);
      CHECK((retrieval_step(op, set, x) - xi.row(mu).transpose()).norm() < 1e-9);
    }
  }
  CHECK(exact > 50);
}

TEST_CASE("identity W gives exactly the MHM numbers", "[stage2][session]") {
  Rng rng(45);
  const Matrix xi = naive::random_matrix(rng, 8, 6);
  Session session(memory_set_from_matrix(xi, "test"), Stage1Settings{}, RetrievalSettings{});
  session.set_query(naive::random_vector(rng, 6, 0, 1), 3);
  for (int s = 0; s < 4; ++s) session.stage2_step();
  const auto& a = session.retrieval().log;
  const auto& b = session.baseline().log;
  REQUIRE(a.size() == 5);
  for (size_t s = 0; s < a.size(); ++s) {
    CHECK(a[s].energy == b[s].energy);
    CHECK(a[s].error == b[s].error);
    CHECK(a[s].bound_value == b[s].bound_value);
    CHECK(session.retrieval().trajectory[s] == session.baseline().trajectory[s]);
  }
  CHECK(session.stats().delta == session.identity_stats().delta);
}

TEST_CASE("retrieval log rows: bound applies after an in-sphere state and bounds that row's error",
          "[stage2][session]") {
  Rng rng(46);
  for (int trial = 0; trial < 100; ++trial) {
    Matrix xi = naive::random_matrix(rng, 5, 4, -1, 1);
    for (int mu = 0; mu < 5; ++mu) xi.row(mu) *= 0.3 + 3 * rng.uniform();
    RetrievalSettings rs;
    rs.beta = 5;
    rs.similarity = Similarity::dot;
    Session session(memory_set_from_matrix(xi, "t"), Stage1Settings{}, rs);
    session.set_query(xi.row(2).transpose() + 0.01 * naive::random_vector(rng, 4, -1, 1), 2);
    for (int s = 0; s < 3; ++s) session.stage2_step();
    const auto& log = session.retrieval().log;
    CHECK(std::isnan(log[0].bound));
    for (size_t s = 1; s < log.size(); ++s) {
      CHECK(std::isnan(log[s].bound) == !log[s - 1].in_sphere);
      if (!std::isnan(log[s].bound)) CHECK(log[s].error <= log[s].bound * (1 + 1e-9) + 1e-12);
    }
  }
}

TEST_CASE("bad retrieval settings are refused", "[stage2][bad-input]") {
  const Matrix xi = Matrix::Identity(3, 3);
  CHECK_THROWS_AS(validate(RetrievalSettings{Similarity::dot, SepSpec{1.0, 0}, 0.0, false}), InputError);
  CHECK_THROWS_AS(validate(RetrievalSettings{Similarity::dot, SepSpec{1.0, 0}, -1.0, false}), InputError);
  CHECK_THROWS_AS(validate(RetrievalSettings{Similarity::dot, SepSpec{1.0, 0}, INFINITY, false}), InputError);
  CHECK_THROWS_AS(validate(RetrievalSettings{Similarity::dot, SepSpec{0.9, 0}, 1.0, false}), InputError);
  CHECK_THROWS_AS(start_retrieval(xi, Matrix(), RetrievalSettings{}, Vector::Zero(2), 0, nullptr), InputError);
  CHECK_THROWS_AS(start_retrieval(xi, Matrix(), RetrievalSettings{}, Vector::Zero(3), 3, nullptr), InputError);
}
