// The Session's probe and margin columns, and the "why" views' figures and CSVs built from them.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "naive_insight.h"
#include "numerics/feature_projection.h"
#include "numerics/input_error.h"
#include "session/insight_views.h"
#include "session/run_logs.h"
#include "session/session.h"

using namespace uhop;

namespace {
Session small_session(uint64_t seed, int m = 6, int d = 5) {
  Rng rng(seed);
  MemorySet set = memory_set_from_matrix(naive::random_matrix(rng, m, d), "random");
  Stage1Settings s1;
  s1.lr = 0.5;
  s1.precision = Precision::double_precision;  // compared with naive loops to 1e-10
  return Session(std::move(set), s1);
}
}  // namespace

TEST_CASE("Stage I rows carry Lemma 1's margin (min, mean, target) of their W", "[insight][session]") {
  Session s = small_session(1);
  s.set_query(s.memories().patterns.row(2).transpose(), 2);
  for (int i = 0; i < 4; ++i) s.stage1_step();
  const auto& last = s.stage1_log().back();
  CHECK(last.bound_margin_min == Approx(naive::bound_margin_min(s.w(), s.memories().patterns)).epsilon(1e-10));
  CHECK(last.bound_margin_target == bound_margin(s.stats(), 2));
  CHECK(last.bound_margin_mean == bound_margin_mean(s.stats()));
  // Choosing another target updates the current row's target margin.
  s.set_query(s.memories().patterns.row(4).transpose(), 4);
  CHECK(s.stage1_log().back().bound_margin_target == bound_margin(s.stats(), 4));
  std::ostringstream csv;
  write_stage1_log(csv, s.stage1_log());
  CHECK(csv.str().find("grad_norm,w_change,bound_margin_min,batch_loss\n") != std::string::npos);
  CHECK(csv.str().find("probe") == std::string::npos);
}

TEST_CASE("the Session's probe: naive numbers per row, MHM flat, every k-th row, cleared on new settings",
          "[insight][session]") {
  Session s = small_session(2);
  ProbeSettings p;
  p.corruption = Corruption{CorruptionKind::gaussian, 0.3};
  p.seed = 5;
  p.steps = 2;
  p.beta = 3;
  s.set_probe(p);
  const Matrix q = probe_queries(s.memories(), p.corruption, p.seed);
  const Matrix& xi = s.memories().patterns;
  const naive::Probe mhm = naive::probe(Matrix::Identity(xi.cols(), xi.cols()), xi, q, 2, 3);
  // W_0 = I: U-Hop's probe is MHM's, exactly.
  REQUIRE(s.stage1_log().size() == 1);
  CHECK(s.stage1_log()[0].probe_paper_error == s.stage1_log()[0].mhm_probe_paper_error);
  CHECK(s.stage1_log()[0].probe_retrieved == s.stage1_log()[0].mhm_probe_retrieved);
  CHECK(s.mhm_probe().paper_error == Approx(mhm.error).epsilon(1e-10));
  s.set_probe_every(3);
  for (int i = 0; i < 7; ++i) s.stage1_step();
  const auto& log = s.stage1_log();
  for (const auto& r : log) {
    INFO("row " << r.step);
    CHECK(r.mhm_probe_paper_error == s.mhm_probe().paper_error);
    CHECK(std::isfinite(r.probe_paper_error) == (r.step % 3 == 0));
  }
  s.probe_now();
  const naive::Probe now = naive::probe(s.w(), xi, q, 2, 3);
  CHECK(s.stage1_log().back().probe_paper_error == Approx(now.error).epsilon(1e-10));
  CHECK(s.stage1_log().back().probe_retrieved == Approx(now.retrieved).margin(1e-12));
  // The CSV's probe columns, with empty cells where a row was not probed.
  std::ostringstream csv;
  write_stage1_log(csv, s.stage1_log(), true);
  CHECK(csv.str().find("bound_margin_min,batch_loss,probe_paper_error,probe_retrieved,mhm_probe_paper_error,mhm_probe_"
                       "retrieved\n") != std::string::npos);
  // A Stage II alpha change invalidates the history: only the current row is probed again.
  RetrievalSettings rs = s.retrieval_settings();
  rs.sep.alpha = 1.5;
  s.set_retrieval_settings(rs);
  for (size_t i = 0; i + 1 < s.stage1_log().size(); ++i) CHECK(std::isnan(s.stage1_log()[i].probe_paper_error));
  CHECK(std::isfinite(s.stage1_log().back().probe_paper_error));
  s.set_probe(std::nullopt);
  CHECK(std::isnan(s.stage1_log().back().mhm_probe_paper_error));
  CHECK_THROWS_AS(s.set_probe_every(0), InputError);
  p.beta = -1;
  CHECK_THROWS_AS(s.set_probe(p), InputError);
}

TEST_CASE("the views' figures plot the log's numbers", "[insight][session]") {
  Session s = small_session(3, 8, 4);
  ProbeSettings p;
  s.set_probe(p);
  s.set_query(s.memories().patterns.row(1).transpose(), 1);
  for (int i = 0; i < 5; ++i) s.stage1_step();
  const auto& log = s.stage1_log();
  PlotFigure f = probe_error_figure(log);
  REQUIRE(f.series.size() == 2);
  CHECK(f.series[1].y.size() == log.size());
  CHECK(f.series[1].y.back() == log.back().probe_paper_error);
  CHECK(f.series[0].y.front() == log.back().mhm_probe_paper_error);
  f = probe_retrieved_figure(log);
  CHECK(f.series[1].y.back() == log.back().probe_retrieved);
  BoundContext c{s.memories().count(), s.stats().m, 2.0, 0.1};
  f = margin_figure(log, c);
  REQUIRE(f.series.size() == 5);
  CHECK(f.series[0].y.back() == log.back().bound_margin_min);
  CHECK(f.series[4].y[0] == Approx(std::log(7.0) / 2));
  // Every step whose target margin is <= ln(M-1)/beta lies in a shaded interval, and no other step does.
  for (const auto& r : log) {
    bool shaded = false;
    for (const auto& iv : f.intervals) shaded = shaded || (r.step > iv.x0 && r.step < iv.x1);
    CHECK(shaded == (r.bound_margin_target <= std::log(7.0) / 2));
  }
  f = beta_star_figure(log, c);
  for (size_t i = 0; i < log.size(); ++i) {
    const double b = beta_star(log[i].bound_margin_target, c.m, c.count, c.epsilon);
    if (std::isfinite(b))
      CHECK(f.series[0].y[i] == b);
    else
      CHECK(std::isnan(f.series[0].y[i]));
  }
  const FeatureMap2d map = feature_pca(Matrix(s.memories().patterns * s.w().transpose()));
  FeatureMapPicture pic;
  pic.points = map.points;
  pic.labels = {0, 1, 0, 1, 2, 2, -1, 0};
  pic.class_names = {"a", "b", "c"};
  pic.target = 1;
  pic.trajectory = project_states(map, s.w(), Matrix(s.query().transpose()));
  f = feature_map_figure(pic);
  std::vector<std::string> names;
  for (const auto& se : f.series) names.push_back(se.name);
  CHECK(names == std::vector<std::string>{"unlabelled", "a", "b", "c", "x_0..x_T", "query x_0", "target"});
  CHECK(f.series[1].x.size() == 5);  // three dots separated by two gaps
  std::ostringstream pcsv;
  write_projection_csv(pcsv, map.points);
  CHECK(pcsv.str().rfind("index,x,y\n0,", 0) == 0);
}

TEST_CASE("the landscape's CSV and figure", "[insight][session]") {
  LandscapeGrid g;
  g.a = landscape_axis(3);
  g.b = landscape_axis(3);
  g.energy_mhm = Matrix::Constant(3, 3, 1.0);
  g.energy_kernel = Matrix::Constant(3, 3, 2.0);
  g.energy_kernel(2, 0) = -3.5;
  std::ostringstream out;
  write_landscape_csv(out, g);
  std::istringstream in(out.str());
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  REQUIRE(lines.size() == 10);
  CHECK(lines[0] == "a,b,energy_mhm,energy_kernel");
  CHECK(lines[1] == "-0.25,-0.25,1,2");
  CHECK(lines[7] == "1.25,-0.25,1,-3.5");  // a outer, b inner
  Matrix e(3, 3);
  e << 0, 1, 2, 1, 2, 3, 2, 3, 4;
  const PlotFigure f = landscape_figure(g.a, g.b, e, {{0, 0, 0}, {0.9, 0.1, 0}}, "E", 3);
  REQUIRE(f.series.size() == 5);  // three levels, trajectory, corners
  CHECK(f.series[3].x == std::vector<double>{0, 0.9});
  CHECK(f.series[4].name == "q, ξ_I, ξ_J");
}
