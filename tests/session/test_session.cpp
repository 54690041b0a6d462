#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <vector>

#include "numerics/corruption.h"
#include "data/csv_matrix.h"
#include "numerics/input_error.h"
#include "naive_formulas.h"
#include "session/run_logs.h"
#include "session/session.h"

using namespace uhop;

namespace {
std::string stage1_csv(const Session& s) {
  std::ostringstream out;
  write_stage1_log(out, s.stage1_log());
  return out.str();
}
std::string stage2_csv(const Session& s) {
  std::ostringstream out;
  write_retrieval_log(out, s.retrieval().log);
  return out.str();
}
Session make_session(uint64_t seed, Stage1Settings s1 = {}) {
  Rng rng(99);
  s1.init = FeatureInit::gaussian;
  s1.seed = seed;
  s1.dim = 7;
  return Session(memory_set_from_matrix(naive::random_matrix(rng, 6, 5), "t"), s1);
}
}  // namespace

TEST_CASE("stage I log: row i describes W_i, row 0 the initial W", "[session]") {
  Session s = make_session(1);
  const Matrix w0 = s.w();
  const Matrix xi = s.memories().patterns;
  REQUIRE(s.stage1_log().size() == 1);
  CHECK(s.stage1_log()[0].loss == Approx(naive::separation_loss(w0, xi, 2.0, false)));
  for (int i = 0; i < 3; ++i) s.stage1_step();
  REQUIRE(s.stage1_log().size() == 4);
  CHECK(s.stage1_log()[3].step == 3);
  CHECK(s.stage1_log()[3].loss == Approx(naive::separation_loss(s.w(), xi, 2.0, false)));
  CHECK(s.stage1_log()[3].delta_phi_min == Approx(s.stats().delta_min));
  CHECK(s.stage1_log()[0].loss > s.stage1_log()[3].loss);  // training lowers the loss at a small lr
}

TEST_CASE("stage I log: w_change is ||W_i - W_0||_F / ||W_0||_F on every row, 0 on row 0", "[session]") {
  Stage1Settings s1;
  s1.lr = 0.5;
  Session s = make_session(4, s1);
  const Matrix w0 = s.w();
  std::vector<Matrix> ws = {w0};
  for (int i = 0; i < 4; ++i) {
    s.stage1_step();
    ws.push_back(s.w());
  }
  REQUIRE(s.stage1_log().size() == 5);
  CHECK(s.stage1_log()[0].w_change == 0);
  for (int i = 1; i <= 4; ++i) {
    double diff = 0, base = 0;  // naive sums over the entries
    for (Eigen::Index r = 0; r < w0.rows(); ++r)
      for (Eigen::Index c = 0; c < w0.cols(); ++c) {
        diff += (ws[i](r, c) - w0(r, c)) * (ws[i](r, c) - w0(r, c));
        base += w0(r, c) * w0(r, c);
      }
    INFO("row " << i);
    CHECK(s.stage1_log()[i].w_change == Approx(std::sqrt(diff / base)).epsilon(1e-12));
    CHECK(s.stage1_log()[i].w_change > 0);
  }
  // A new W_0 (reset or --w0) restarts the measure; the CSV carries it as the last column.
  s.set_initial_w(2 * w0);
  CHECK(s.stage1_log().back().w_change == 0);
  s.stage1_step();
  CHECK(s.stage1_log().back().w_change == Approx((s.w() - 2 * w0).norm() / (2 * w0).norm()).epsilon(1e-12));
  const std::string csv = stage1_csv(s);
  CHECK(csv.substr(0, csv.find('\n')) ==
        "step,loss,delta_phi_min,delta_phi_mean,r_phi,delta_phi_max,m_phi,lr,grad_norm,w_change,bound_margin_min,"
        "batch_loss");
}

TEST_CASE("same seed gives identical logs; another seed does not", "[session]") {
  Session a = make_session(5), b = make_session(5), c = make_session(6);
  for (Session* s : {&a, &b, &c}) {
    s->set_query(
        corrupt(s->memories().patterns.row(1).transpose(), s->memories().shape, parse_corruption("gaussian:0.2"), 17),
        1);
    for (int i = 0; i < 5; ++i) s->stage1_step();
    for (int i = 0; i < 3; ++i) s->stage2_step();
  }
  CHECK(stage1_csv(a) == stage1_csv(b));
  CHECK(stage2_csv(a) == stage2_csv(b));
  CHECK(stage1_csv(a) != stage1_csv(c));
}

TEST_CASE("Stage II follows the trained W and keeps its length; settings changes keep W", "[session]") {
  Session s = make_session(2);
  for (int i = 0; i < 3; ++i) s.stage2_step();
  const Vector before = s.retrieval().trajectory.back();
  s.stage1_step();
  REQUIRE(s.retrieval().log.size() == 4);
  CHECK((s.retrieval().trajectory.back() - before).norm() > 0);  // recomputed with W_1
  const Matrix w = s.w();
  RetrievalSettings rs = s.retrieval_settings();
  rs.sep.alpha = 1.5;
  s.set_retrieval_settings(rs);
  CHECK(s.w() == w);
  CHECK(s.stage1_steps() == 1);
  CHECK(s.retrieval().log.size() == 1);
}

TEST_CASE("row normalization applies after the last step and is not logged", "[session]") {
  Stage1Settings s1;
  s1.normalize_rows = true;
  Session s = make_session(3, s1);
  s.stage1_step();
  s.finish_stage1();
  CHECK(s.stage1_log().size() == 2);
  CHECK((s.w().rowwise().norm().array() - 1).abs().maxCoeff() < 1e-12);
}

TEST_CASE("normalize_w_rows normalizes now, whatever the setting; finish_stage1 only when it is on", "[session]") {
  Session s = make_session(3);  // normalize_rows is off
  s.stage1_step();
  const Matrix trained = s.w();
  s.finish_stage1();
  CHECK(s.w() == trained);  // the setting is off: finish leaves W alone
  s.normalize_w_rows();     // the Studio's "Normalize rows now" button
  CHECK((s.w().rowwise().norm().array() - 1).abs().maxCoeff() < 1e-12);
  CHECK(s.stage1_log().size() == 2);
  double m_phi = 0;  // max_mu ||W xi_mu|| of the normalized W
  for (int mu = 0; mu < s.memories().count(); ++mu)
    m_phi = std::max(m_phi, naive::feature(s.w(), naive::row(s.memories().patterns, mu)).norm());
  // The statistics of the normalized W are computed on demand (issue 16: they cost a sweep over all pairs).
  CHECK_FALSE(s.stats_current());
  s.ensure_stats();
  CHECK(s.stats().m_phi == Approx(m_phi));
  CHECK(s.stage1_log().size() == 2);  // still not a log row
}

TEST_CASE("resetting Stage I keeps Stage II's query and steps, replayed with W_0; MHM is untouched", "[session]") {
  Session s = make_session(8);
  s.set_query(
      corrupt(s.memories().patterns.row(2).transpose(), s.memories().shape, parse_corruption("gaussian:0.3"), 5), 2);
  for (int i = 0; i < 3; ++i) s.stage2_step();
  const std::string at_w0 = stage2_csv(s);
  const auto baseline = s.baseline().log;
  for (int i = 0; i < 4; ++i) s.stage1_step();
  CHECK(stage2_csv(s) != at_w0);  // follows the trained W
  s.reset_stage1();
  REQUIRE(s.retrieval().log.size() == 4);  // x_0..x_3: the lecturer need not re-run Stage II
  CHECK(stage2_csv(s) == at_w0);           // exactly the run with W_0 again
  CHECK(s.baseline().log.size() == baseline.size());
  CHECK(s.baseline().log.back().error == baseline.back().error);
}

TEST_CASE("the reference schedule is logged step by step", "[session]") {
  Stage1Settings s1;
  s1.schedule = Schedule::reference;
  s1.lr = 1.0;
  Session s = make_session(4, s1);
  for (int i = 0; i < 4; ++i) s.stage1_step();
  CHECK(s.stage1_log()[2].lr == Approx(1 / std::sqrt(2.0)));
  CHECK(s.stage1_log()[3].lr == Approx(1 / std::sqrt(6.0)));
  CHECK(std::isnan(s.stage1_log()[4].lr));
}

TEST_CASE("Adam lowers the loss too", "[session]") {
  Stage1Settings s1;
  s1.optimizer = Optimizer::adam;
  s1.lr = 0.01;
  Session s = make_session(4, s1);
  for (int i = 0; i < 20; ++i) s.stage1_step();
  CHECK(s.stage1_log().back().loss < s.stage1_log().front().loss);
}

TEST_CASE("session refuses bad input with a message", "[session][bad-input]") {
  CHECK_THROWS_WITH(Session(memory_set_from_matrix(Matrix::Ones(1, 3), "one")), Catch::Contains("at least 2 memories"));
  Stage1Settings bad_batch;
  bad_batch.batch = 1;
  CHECK_THROWS_WITH(Session(memory_set_from_matrix(Matrix::Identity(3, 3), "x"), bad_batch), Catch::Contains("batch"));
  Stage1Settings bad_every;
  bad_every.stats_every = 0;
  CHECK_THROWS_WITH(Session(memory_set_from_matrix(Matrix::Identity(3, 3), "x"), bad_every),
                    Catch::Contains("stats-every"));
  CHECK_THROWS_WITH(Session(memory_set_from_matrix(Matrix::Zero(kMaxSessionMemories + 1, 1), "big")),
                    Catch::Contains("load fewer memories"));
  Stage1Settings s1;
  s1.dim = 2;
  CHECK_THROWS_WITH(Session(memory_set_from_matrix(Matrix::Identity(3, 3), "x"), s1), Catch::Contains("D = 2"));
  Session s(memory_set_from_matrix(Matrix::Identity(3, 3), "x"));
  CHECK_THROWS_AS(s.set_initial_w(Matrix::Identity(2, 3)), InputError);
  CHECK_THROWS_AS(s.set_query(Vector::Zero(3), 5), InputError);
  CHECK_THROWS_AS(s.set_query(Vector::Zero(4), 0), InputError);
  Stage1Settings diverge;
  diverge.lr = 1e300;
  s.set_stage1_settings(diverge);
  // The first step makes W ~1e300 (finite), the second overflows the Gram matrix: refused, W kept.
  try {
    s.stage1_step();
  } catch (const InputError&) {
  }
  const Matrix kept = s.w();
  const size_t rows = s.stage1_log().size();
  CHECK_THROWS_WITH(s.stage1_step(), Catch::Contains("diverged") && Catch::Contains("lower the learning rate"));
  CHECK(s.w() == kept);
  CHECK(s.stage1_log().size() == rows);
}

TEST_CASE("corruptions: seeded, in range, and each does what it says", "[corruption]") {
  const ImageShape shape{4, 6, 1};
  const Vector xi = Vector::Constant(24, 0.5);
  const auto g = parse_corruption("gaussian:0.3");
  CHECK(corrupt(xi, shape, g, 1) == corrupt(xi, shape, g, 1));
  CHECK(corrupt(xi, shape, g, 1) != corrupt(xi, shape, g, 2));
  const Vector gx = corrupt(xi, shape, g, 1);
  CHECK(gx.minCoeff() >= 0.0);
  CHECK(gx.maxCoeff() <= 1.0);
  // gaussian-norm: with values far from the clip edges the noise has norm sigma exactly.
  CHECK((corrupt(xi, shape, parse_corruption("gaussian-norm:0.2"), 3) - xi).norm() == Approx(0.2));
  // mask-half: rows 3..5 of the 6-row image are zero, rows 0..2 untouched.
  const Vector mh = corrupt(xi, shape, parse_corruption("mask-half"), 0);
  CHECK(mh.head(12) == xi.head(12));
  CHECK(mh.tail(12).isZero());
  // occlude:0.25 on 4x6 -> a 2x3 rectangle zeroed.
  const Vector oc = corrupt(xi, shape, parse_corruption("occlude:0.25"), 5);
  CHECK((oc.array() == 0).count() == 6);
  // dropout: zeroed or scaled by 1/(1-p).
  const Vector dr = corrupt(Vector::Constant(2000, 0.5), {2000, 1, 1}, parse_corruption("dropout:0.5"), 9);
  CHECK(((dr.array() == 0) || (dr.array() == 1.0)).all());
  CHECK((dr.array() == 0).count() == Approx(1000).margin(100));
  const Vector sp = corrupt(Vector::Constant(2000, 0.5), {2000, 1, 1}, parse_corruption("salt-pepper:0.2"), 9);
  CHECK((sp.array() != 0.5).count() == Approx(400).margin(80));
  CHECK_THROWS_AS(parse_corruption("gaussian"), InputError);
  CHECK_THROWS_AS(parse_corruption("dropout:1.0"), InputError);
  CHECK_THROWS_AS(parse_corruption("blur:1"), InputError);
  CHECK_THROWS_AS(parse_corruption("gaussian:-1"), InputError);
  CHECK(to_string(parse_corruption("occlude:0.5")) == "occlude:0.5");
}

TEST_CASE("CSV matrices: round trip and precise errors", "[csv][bad-input]") {
  Rng rng(1);
  const Matrix m = naive::random_gaussian(rng, 3, 4);
  std::stringstream io;
  write_csv_matrix(io, m);
  CHECK(parse_csv_matrix(io, "mem", 1 << 20) == m);
  auto parse = [](const std::string& text) {
    std::istringstream in(text);
    return parse_csv_matrix(in, "f.csv", 1 << 20);
  };
  CHECK_THROWS_WITH(parse("1,2\n3\n"), Catch::Contains("f.csv:2") && Catch::Contains("1 fields, expected 2"));
  CHECK_THROWS_WITH(parse("1,abc\n"), Catch::Contains("f.csv:1") && Catch::Contains("not a number"));
  CHECK_THROWS_WITH(parse("1,nan\n"), Catch::Contains("not finite"));
  CHECK_THROWS_WITH(parse(""), Catch::Contains("empty"));
  CHECK_THROWS_WITH(parse("1;2\n"), Catch::Contains("unexpected character"));
  CHECK(parse("1, 2\r\n3,4\n\n").rows() == 2);
}
