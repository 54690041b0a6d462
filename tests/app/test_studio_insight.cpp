// The "why" views through the worker: the probe follows the settings and picks its every-k, the feature maps and the
// landscape appear in the snapshot with the numbers core computes, the landscape is coarse then fine, follows W,
// refuses top-k in words, and stops on `landscape off` or cancel; the new script lines parse or are refused.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "data/memory_sources.h"
#include "insight_figures.h"
#include "numerics/corruption.h"
#include "numerics/energy_landscape.h"
#include "numerics/input_error.h"
#include "session/session.h"
#include "studio_commands.h"
#include "studio_figures.h"
#include "studio_worker.h"

using namespace studio;

namespace {
void run_script(StudioWorker& w, const std::string& text) {
  ParsedScript p = parse_script(text);
  INFO(p.errors.size());
  REQUIRE(p.errors.empty());
  for (auto& c : p.commands) w.push(c);
  REQUIRE(w.wait_idle(120));
}
std::string parse_error(const std::string& line) {
  Command c;
  try {
    parse_command_line(line, 3, c);
  } catch (const uhop::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("view, landscape and the probe settings parse; bad values are refused naming them", "[studio][insight]") {
  Command c;
  REQUIRE(parse_command_line("landscape rival=4 grid=48", 1, c));
  CHECK(c.kind == CommandKind::landscape);
  CHECK(c.settings == std::vector<std::pair<std::string, std::string>>{{"rival", "4"}, {"landscape_grid", "48"}});
  REQUIRE(parse_command_line("landscape off", 1, c));
  CHECK(c.id == "off");
  REQUIRE(parse_command_line("landscape rival=auto", 1, c));
  REQUIRE(parse_command_line("view landscape", 1, c));
  CHECK((c.kind == CommandKind::view && c.id == "landscape" && c.number == 1));
  REQUIRE(parse_command_line("view probe off", 1, c));
  CHECK(c.number == 0);
  REQUIRE(parse_command_line("set probe=0 probe_steps=2 probe_beta=3 probe_seed=4 probe_every=5 epsilon=0.01", 1, c));
  CHECK(parse_error("landscape grid=4").find("landscape_grid") != std::string::npos);
  CHECK(parse_error("landscape rival=-3").find("rival") != std::string::npos);
  CHECK(parse_error("landscape colour=red").find("expected rival=J|auto, grid=N or off") != std::string::npos);
  CHECK(parse_error("view everything").find("view: expected ID") != std::string::npos);
  CHECK(parse_error("set probe_beta=0").find("probe_beta") != std::string::npos);
  CHECK(parse_error("set epsilon=-1").find("epsilon") != std::string::npos);
  CHECK(parse_error("set probe_steps=5000").find("probe_steps") != std::string::npos);
  StudioState st;
  apply_setting(st, "rival", "7");
  apply_setting(st, "epsilon", "0.5");
  StudioState back;
  std::istringstream in(to_text(st));
  for (std::string line; std::getline(in, line);)
    apply_setting(back, line.substr(0, line.find('=')), line.substr(line.find('=') + 1));
  CHECK(back.rival == 7);
  CHECK(back.bound_epsilon == 0.5);
}

TEST_CASE("the worker probes under the current corruption, as a Session does", "[studio][insight]") {
  StudioWorker w;
  run_script(w,
             "load builtin:glyphs count=12\ncorrupt gaussian:0.2 seed=3\nset lr=0.5 probe_every=2\nstage1 steps=5\n");
  auto s = w.snapshot();
  REQUIRE(s->error.empty());
  REQUIRE(s->stage1_log.size() == 6);
  uhop::LoadOptions o;
  o.count = 12;
  uhop::Stage1Settings s1;
  s1.lr = 0.5;
  uhop::Session direct(uhop::load_memories("builtin:glyphs", o), s1);
  uhop::ProbeSettings p;
  p.corruption = uhop::parse_corruption("gaussian:0.2");
  direct.set_probe(p);
  direct.set_probe_every(2);
  for (int i = 0; i < 5; ++i) direct.stage1_step();
  direct.probe_now();
  for (size_t i = 0; i < 6; ++i) {
    INFO("row " << i);
    CHECK(s->stage1_log[i].mhm_probe_paper_error == direct.stage1_log()[i].mhm_probe_paper_error);
    if (i % 2 == 0 || i == 5) CHECK(s->stage1_log[i].probe_paper_error == direct.stage1_log()[i].probe_paper_error);
    CHECK(s->stage1_log[i].bound_margin_min == direct.stage1_log()[i].bound_margin_min);
  }
  CHECK(s->insight.probe_every == 2);
  // Another corruption: a new MHM reference, the old U-Hop history cleared; probe=0 turns it off.
  run_script(w, "corrupt dropout:0.3\n");
  s = w.snapshot();
  CHECK(s->stage1_log.back().mhm_probe_paper_error != direct.stage1_log().back().mhm_probe_paper_error);
  CHECK(std::isnan(s->stage1_log[2].probe_paper_error));
  run_script(w, "set probe=0\n");
  CHECK(std::isnan(w.snapshot()->stage1_log.back().mhm_probe_paper_error));
  uhop::PlotFigure f;
  CHECK(studio_figure(*w.snapshot(), "probe-error", f));
}

TEST_CASE("automatic every-k keeps the probe's share of Stage I's time at most a fifth", "[studio][insight]") {
  StudioWorker w;
  run_script(w, "load builtin:glyphs count=30\nstage1 steps=12\n");
  const auto s = w.snapshot();
  REQUIRE(s->error.empty());
  const auto& v = s->insight;
  REQUIRE(v.stage1_seconds > 0);
  REQUIRE(v.probe_every >= 1);
  // The rule: k = ceil(4 probe / step), so probe/k <= step/4 (Stage I keeps >= 80 %), and k - 1 would not do.
  CHECK(v.probe_seconds / v.probe_every <= v.stage1_seconds / 4 * (1 + 1e-9));
  if (v.probe_every > 1) CHECK(v.probe_seconds / (v.probe_every - 1) > v.stage1_seconds / 4);
}

TEST_CASE("feature maps: MHM's equals core's PCA of the pixels, U-Hop's moves with W and starts aligned to MHM's",
          "[studio][insight]") {
  StudioWorker w;
  run_script(w, "load builtin:glyphs count=10\ntarget 2\nstage2 steps=2\n");
  auto s = w.snapshot();
  REQUIRE(s->insight.feature_map);
  const FeatureMapView& m0 = *s->insight.feature_map;
  const uhop::FeatureMap2d mhm = uhop::feature_pca(s->memories->set.patterns);
  CHECK((m0.mhm.points - mhm.points).norm() < 1e-12);
  CHECK((m0.uhop.points - m0.mhm.points).norm() < 1e-9);  // W_0 = I: the same picture
  REQUIRE(s->insight.map_trajectory.rows() == 3);
  REQUIRE(s->insight.map_mhm_trajectory.rows() == 3);
  run_script(w, "set lr=0.5\nstage1 steps=10\n");
  s = w.snapshot();
  const FeatureMapView& m1 = *s->insight.feature_map;
  CHECK(m1.stage1_step == 10);
  CHECK((m1.uhop.points - m0.uhop.points).norm() > 1e-3);
  uhop::PlotFigure f;
  REQUIRE(studio_figure(*s, "feature-map-uhop", f));
  CHECK(f.title.find("step 10") != std::string::npos);
}

TEST_CASE("landscape: coarse then fine, core's numbers, follows W, refuses top-k, stops on off and cancel",
          "[studio][insight]") {
  StudioWorker w;
  uhop::PlotFigure f;
  run_script(w, "load builtin:glyphs count=10\ntarget 1\ncorrupt gaussian:0.3 seed=2\nstage2 steps=2\n");
  CHECK_FALSE(studio_figure(*w.snapshot(), "landscape-uhop", f));
  run_script(w, "landscape grid=20 rival=4\n");
  auto s = w.snapshot();
  REQUIRE(s->insight.landscape);
  const LandscapeView& v = *s->insight.landscape;
  REQUIRE(v.error.empty());
  CHECK(v.fine);
  CHECK(v.a.size() == 20);
  CHECK((v.target == 1 && v.rival == 4 && !v.rival_auto));
  const uhop::LandscapePlane plane = uhop::landscape_plane(s->memories->set.patterns, s->query, 1, 4);
  const uhop::Matrix e = uhop::landscape_energy(plane, s->memories->set.patterns, uhop::Matrix(), s->state.stage2.sep,
                                                s->state.stage2.beta, v.a, v.b);
  CHECK((e - v.energy_mhm).norm() == 0);
  CHECK((v.energy_kernel - v.energy_mhm).norm() < 1e-9 * e.norm());  // W_0 = I
  REQUIRE(s->insight.plane_trajectory.size() == 3);
  CHECK(s->insight.plane_trajectory[0].a == Approx(0).margin(1e-9));  // x_0 = q
  CHECK(s->insight.landscape_live);
  REQUIRE(studio_figure(*s, "landscape-uhop", f));
  std::ostringstream csv;
  REQUIRE(write_landscape_grid_csv(*s, csv));
  CHECK(csv.str().rfind("a,b,energy_mhm,energy_kernel\n-0.25,-0.25,", 0) == 0);
  // Live: Stage I steps make it stale; waiting for idle includes the refresh.
  run_script(w, "set lr=0.5\nstage1 steps=3\n");
  s = w.snapshot();
  REQUIRE(s->insight.landscape);
  CHECK(s->insight.landscape->stage1_step == 3);
  CHECK(s->insight.landscape->fine);
  CHECK((s->insight.landscape->energy_kernel - s->insight.landscape->energy_mhm).norm() > 0);
  // Automatic rival: MHM's retrieval, or the nearest other memory.
  run_script(w, "landscape rival=auto\n");
  s = w.snapshot();
  const int mhm_nearest = s->baseline_log.back().nearest;
  CHECK(s->insight.landscape->rival == uhop::default_rival(s->memories->set.patterns, s->query, 1, mhm_nearest));
  // A rival outside the memories is refused naming it; the landscape stays.
  run_script(w, "landscape rival=25\n");
  s = w.snapshot();
  CHECK(s->error.find("rival 25 is outside 0..9") != std::string::npos);
  CHECK(s->insight.landscape->rival == uhop::default_rival(s->memories->set.patterns, s->query, 1, mhm_nearest));
  // Top-k has no energy: said in words, no grid.
  run_script(w, "set topk=3\n");
  s = w.snapshot();
  REQUIRE(s->insight.landscape);
  CHECK(s->insight.landscape->error.find("top-k") != std::string::npos);
  CHECK_FALSE(studio_figure(*s, "landscape-mhm", f));
  run_script(w, "set topk=0\nlandscape off\nstage1 steps=2\n");
  s = w.snapshot();
  CHECK_FALSE(s->insight.landscape_live);
  CHECK(s->insight.landscape->stage1_step == 3);  // not followed any more
  // Cancel ends a live landscape too.
  run_script(w, "landscape\n");
  CHECK(w.snapshot()->insight.landscape_live);
  w.cancel();
  REQUIRE(w.wait_idle(60));
  CHECK_FALSE(w.snapshot()->insight.landscape_live);
}
