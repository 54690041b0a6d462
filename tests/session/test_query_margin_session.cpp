// The Session's Stage I rows carry the query's margin at x_0 (U-Hop with W_i, MHM with W = I), following the query.
#include <catch2/catch.hpp>

#include "naive_formulas.h"
#include "numerics/query_margin.h"
#include "session/session.h"

using namespace uhop;

TEST_CASE("Stage I rows carry the query's margin of their W and follow a new query", "[query_margin][session]") {
  Rng rng(23);
  MemorySet set = memory_set_from_matrix(naive::random_matrix(rng, 6, 5), "random");
  Stage1Settings s1;
  s1.lr = 0.5;
  s1.precision = Precision::double_precision;
  Session s(std::move(set), s1);
  const Vector q = naive::random_vector(rng, 5, 0, 1);
  s.set_query(q, 2);
  const Matrix& xi = s.memories().patterns;
  const auto naive_margin = [&](const Matrix& w, const Vector& x, int mu) {
    double best = -1e300;
    for (int nu = 0; nu < xi.rows(); ++nu)
      if (nu != mu) best = std::max(best, naive::kernel(w, naive::row(xi, nu), x));
    return naive::kernel(w, naive::row(xi, mu), x) - best;
  };
  const Matrix identity = Matrix::Identity(5, 5);
  CHECK(s.stage1_log().back().query_margin == Approx(naive_margin(identity, q, 2)).margin(1e-12));
  for (int i = 0; i < 3; ++i) s.stage1_step();
  const auto& last = s.stage1_log().back();
  CHECK(last.query_margin == Approx(naive_margin(s.w(), q, 2)).margin(1e-12));
  CHECK(last.mhm_query_margin == Approx(naive_margin(identity, q, 2)).margin(1e-12));
  CHECK(last.query_margin != s.stage1_log().front().query_margin);  // W moved, so did the margin
  // A new query and target: the current row follows.
  const Vector q2 = naive::random_vector(rng, 5, 0, 1);
  s.set_query(q2, 4);
  CHECK(s.stage1_log().back().query_margin == Approx(naive_margin(s.w(), q2, 4)).margin(1e-12));
  CHECK(s.stage1_log().back().mhm_query_margin == Approx(naive_margin(identity, q2, 4)).margin(1e-12));
}
