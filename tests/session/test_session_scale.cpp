// Issue 14 and 16 in the Session: mini-batch Stage I, statistics every K rows, single precision, and sets larger
// than an M x M matrix would allow.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "data/memory_sources.h"
#include "naive_formulas.h"
#include "numerics/corruption.h"
#include "numerics/feature_geometry.h"
#include "numerics/input_error.h"
#include "numerics/separation_loss.h"
#include "numerics/separation_stats.h"
#include "session/run_logs.h"
#include "session/session.h"

using namespace uhop;

namespace {
std::string stage1_csv(const std::vector<Stage1Record>& log) {
  std::ostringstream out;
  write_stage1_log(out, log);
  return out.str();
}

Stage1Settings gaussian_settings(Precision p) {
  Stage1Settings s1;
  s1.init = FeatureInit::gaussian;
  s1.seed = 4;
  s1.dim = 8;
  s1.lr = 0.05;
  s1.precision = p;
  return s1;
}

MemorySet random_memories(int m, int d, uint64_t seed = 99) {
  Rng rng(seed);
  return memory_set_from_matrix(naive::random_matrix(rng, m, d), "random");
}

// Bit for bit, NaN matching NaN.
bool same(double a, double b) {
  return std::isnan(a) ? std::isnan(b) : a == b;
}

// |a - b| <= tol |b|, for logged numbers (NaN must match NaN).
bool close(double a, double b, double tol) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::abs(a - b) <= tol * std::abs(b);
}
}  // namespace

TEST_CASE("mini-batch with B = M is the full-batch run, bit for bit", "[session][batch]") {
  for (Precision p : {Precision::double_precision, Precision::single_precision}) {
    for (LossKind kind : {LossKind::avg, LossKind::max}) {
      for (int every : {1, 3}) {
        Stage1Settings full = gaussian_settings(p);
        full.loss = kind;
        full.stats_every = every;
        Stage1Settings batch = full;
        batch.batch = 30;
        Session a(random_memories(30, 6), full), b(random_memories(30, 6), batch);
        for (int i = 0; i < 7; ++i) {
          a.stage1_step();
          b.stage1_step();
        }
        a.ensure_stats();
        b.ensure_stats();
        INFO(to_string(p) << " " << to_string(kind) << " stats every " << every);
        CHECK(a.w() == b.w());
        const auto& la = a.stage1_log();
        const auto& lb = b.stage1_log();
        REQUIRE(la.size() == lb.size());
        for (size_t i = 0; i < la.size(); ++i) {
          const bool stats_row = i % static_cast<size_t>(every) == 0 || i + 1 == la.size();
          CHECK(same(la[i].batch_loss, lb[i].batch_loss));  // NaN only on the last row
          CHECK(same(la[i].grad_norm, lb[i].grad_norm));
          if (stats_row) {
            CHECK(same(la[i].loss, lb[i].loss));
            CHECK(same(la[i].delta_phi_min, lb[i].delta_phi_min));
            CHECK(same(la[i].delta_phi_mean, lb[i].delta_phi_mean));
            CHECK(same(la[i].r_phi, lb[i].r_phi));
            CHECK(same(la[i].m_phi, lb[i].m_phi));
          }
        }
        if (every == 1) CHECK(stage1_csv(la) == stage1_csv(lb));
      }
    }
  }
}

TEST_CASE("a mini-batch step follows the loss of the drawn batch", "[session][batch]") {
  Stage1Settings s1 = gaussian_settings(Precision::double_precision);
  s1.batch = 5;
  Session s(random_memories(20, 6), s1);
  const Matrix w0 = s.w(), xi = s.memories().patterns;
  s.stage1_step();
  const std::vector<int> rows = sample_batch(s1.seed, 0, 20, 5);
  Matrix sub(5, 6);
  for (int i = 0; i < 5; ++i) sub.row(i) = xi.row(rows[static_cast<size_t>(i)]);
  const FeatureGeometry g = feature_geometry(sub, w0);
  const LossValue v = separation_loss(g, s1.t, LossKind::avg);
  const Matrix grad = separation_loss_gradient(g, v, sub, s1.t, LossKind::avg);
  CHECK(s.stage1_log()[0].batch_loss == Approx(naive::separation_loss(w0, sub, s1.t, false)).epsilon(1e-12));
  CHECK(s.stage1_log()[0].loss == Approx(naive::separation_loss(w0, xi, s1.t, false)).epsilon(1e-12));
  CHECK((s.w() - (w0 - s1.lr * grad)).norm() <= 1e-12 * w0.norm());
}

TEST_CASE("stats every K: rows 0, K, 2K and the last; empty in between", "[session][batch]") {
  for (int batch : {0, 8}) {
    Stage1Settings s1 = gaussian_settings(Precision::double_precision);
    s1.batch = batch;
    s1.stats_every = 3;
    Session s(random_memories(25, 5), s1);
    for (int i = 0; i < 7; ++i) s.stage1_step();
    INFO("batch " << batch);
    CHECK(s.stats_step() == 6);
    CHECK_FALSE(s.stats_current());
    CHECK(std::isnan(s.stage1_log()[7].delta_phi_min));
    s.ensure_stats();
    CHECK(s.stats_current());
    CHECK(s.stats_step() == 7);
    const auto& log = s.stage1_log();
    for (size_t i = 0; i < log.size(); ++i) {
      const bool stats_row = i % 3 == 0 || i == 7;
      CHECK(std::isnan(log[i].delta_phi_min) != stats_row);
      CHECK(std::isnan(log[i].r_phi) != stats_row);
      CHECK(std::isnan(log[i].m_phi) != stats_row);
      // Full batch computes the loss of every W (its gradient needs the same sweep); mini-batch on stats rows.
      CHECK(std::isnan(log[i].loss) == (batch > 0 && !stats_row));
      CHECK(std::isnan(log[i].batch_loss) == (i == 7));
    }
    // The last row describes the final W: its numbers are that W's, computed independently.
    const Matrix& xi = s.memories().patterns;
    const SeparationStats st = separation_stats(feature_geometry(xi, s.w()), xi);
    CHECK(log[7].loss == Approx(naive::separation_loss(s.w(), xi, s1.t, false)).epsilon(1e-12));
    CHECK(log[7].delta_phi_min == Approx(st.delta_min).epsilon(1e-12));
    CHECK(log[7].r_phi == Approx(st.r_phi).epsilon(1e-12));
    CHECK(log[7].m_phi == Approx(st.m_phi).epsilon(1e-12));
  }
}

TEST_CASE("a cancelled Stage I step leaves W and the log as they were", "[session][batch]") {
  Session s(random_memories(30, 5), gaussian_settings(Precision::double_precision));
  s.stage1_step();
  const Matrix w = s.w();
  const std::string log = stage1_csv(s.stage1_log());
  CHECK_THROWS_AS(s.stage1_step([](double) { return false; }), Cancelled);
  CHECK(s.w() == w);
  CHECK(stage1_csv(s.stage1_log()) == log);
  s.stage1_step();  // and carries on
  CHECK(s.stage1_steps() == 2);
}

TEST_CASE("single precision Stage I logs stay within 1e-4 of double", "[session][precision]") {
  const auto compare = [](const MemorySet& m, Stage1Settings s1, int steps) {
    Stage1Settings s1d = s1, s1s = s1;
    s1d.precision = Precision::double_precision;
    s1s.precision = Precision::single_precision;
    RetrievalSettings rs;
    rs.similarity = Similarity::kernel;
    Session d(m, s1d, rs), s(m, s1s, rs);
    for (int i = 0; i < steps; ++i) {
      d.stage1_step();
      s.stage1_step();
    }
    for (size_t i = 0; i < d.stage1_log().size(); ++i) {
      const Stage1Record &a = s.stage1_log()[i], &b = d.stage1_log()[i];
      INFO(m.source << " row " << i);
      CHECK(close(a.loss, b.loss, 1e-4));
      CHECK(close(a.delta_phi_min, b.delta_phi_min, 1e-4));
      CHECK(close(a.delta_phi_max, b.delta_phi_max, 1e-4));
      CHECK(close(a.r_phi, b.r_phi, 1e-4));
      CHECK(close(a.m_phi, b.m_phi, 1e-4));
      CHECK(close(a.grad_norm, b.grad_norm, 1e-4));
      CHECK(close(a.batch_loss, b.batch_loss, 1e-4));
      // The mean of Delta^Phi crosses 0 while training: compared on the scale of the spread of Delta^Phi.
      CHECK(std::abs(a.delta_phi_mean - b.delta_phi_mean) <= 1e-4 * (b.delta_phi_max - b.delta_phi_min));
    }
    // Stage II on the trained W: the same retrieval either way.
    const Vector q = corrupt(m.patterns.row(1).transpose(), m.shape, parse_corruption("gaussian:0.1"), 3);
    d.set_query(q, 1);
    s.set_query(q, 1);
    d.stage2_step();
    s.stage2_step();
    CHECK(s.retrieval().log.back().nearest == d.retrieval().log.back().nearest);
  };
  for (uint64_t seed : {1, 2, 3}) {
    Stage1Settings s1 = gaussian_settings(Precision::double_precision);
    s1.seed = seed;
    s1.dim = 0;
    compare(random_memories(60, 12, seed), s1, 15);
  }
  std::vector<std::string> warnings;
  LoadOptions o;
  for (int count : {100, 300}) {
    o.count = count;
    MemorySet fashion;
    try {
      fashion = load_memories("builtin:fashion-mnist", o, &warnings);
    } catch (const InputError&) {
      WARN("builtin:fashion-mnist is not installed: the Fashion-MNIST subsets are skipped");
      return;
    }
    Stage1Settings s1;  // identity init, lr 0.1: what uhop demo and the Studio start from
    compare(fashion, s1, 10);
  }
}

TEST_CASE("Stage II in single precision: energy never rises and error <= bound, within stated tolerances",
          "[session][precision]") {
  // docs/decisions.md "Precision": in single, E(x_{s+1}) <= E(x_s) + 1e-5 (1 + |E(x_s)|) and
  // error <= bound (1 + 1e-4) + 1e-5.
  Rng rng(41);
  int bound_rows = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const int M = 3 + static_cast<int>(rng.below(30)), d = 2 + static_cast<int>(rng.below(8));
    MemorySet m = memory_set_from_matrix(naive::random_matrix(rng, M, d), "r");
    RetrievalSettings rs;
    rs.similarity = trial % 2 ? Similarity::kernel : Similarity::dot;
    rs.beta = 0.5 + 20 * rng.uniform();
    rs.sep.alpha = trial % 3 == 0 ? 1.5 : 1.0;
    rs.precision = Precision::single_precision;
    Stage1Settings s1 = gaussian_settings(Precision::single_precision);
    s1.dim = d + 1;
    Session s(m, s1, rs);
    for (int i = 0; i < 3; ++i) s.stage1_step();
    const int target = static_cast<int>(rng.below(M));
    s.set_query(m.patterns.row(target).transpose() + 0.05 * naive::random_vector(rng, d, -1, 1), target);
    for (int i = 0; i < 5; ++i) s.stage2_step();
    const auto& log = s.retrieval().log;
    for (size_t i = 1; i < log.size(); ++i) {
      CHECK(log[i].energy <= log[i - 1].energy + 1e-5 * (1 + std::abs(log[i - 1].energy)));
      if (!std::isnan(log[i].bound)) {
        ++bound_rows;
        CHECK(log[i].error <= log[i].bound * (1 + 1e-4) + 1e-5);
      }
    }
  }
  CHECK(bound_rows > 10);
}

TEST_CASE("a session holds more memories than an M x M matrix would allow", "[session][scale]") {
  // 10,050 memories: the old limit was 10,000 (three M x M matrices). Statistics come from the tiled sweep.
  Rng rng(7);
  const Matrix xi = naive::random_matrix(rng, 10050, 2);
  RetrievalSettings rs;
  rs.similarity = Similarity::dot;
  Stage1Settings s1;
  s1.precision = Precision::double_precision;
  Session s(memory_set_from_matrix(xi, "big"), s1, rs);
  const SeparationStats& st = s.identity_stats();
  for (int mu : {0, 5000, 10049}) CHECK(st.delta[mu] == Approx(naive::delta_phi(Matrix::Identity(2, 2), xi, mu)));
  double best = 1e300;
  for (int a = 0; a < 10050; ++a)
    for (int b = a + 1; b < 10050; ++b) best = std::min(best, (xi.row(a) - xi.row(b)).squaredNorm());
  CHECK(st.r_phi == Approx(0.5 * std::sqrt(best)).epsilon(1e-9));
  s.set_query(xi.row(3).transpose(), 3);
  s.stage2_step();
  CHECK(s.retrieval().log.size() == 2);
}
