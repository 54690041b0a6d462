// Issue 20 without a window: the story's case explained by the query's margin (and the captions saying so), the
// story's pace, the caption bar's fixed text, the story's script lines and the recorder's size readout.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "insight_figures.h"
#include "numerics/query_margin.h"
#include "recorder.h"
#include "story.h"
#include "studio_commands.h"
#include "studio_sweep.h"
#include "studio_test_script.h"
#include "studio_text.h"
#include "studio_worker.h"

using namespace studio;

namespace {
double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

TEST_CASE("story: U-Hop's feature-space margin passes ln(M-1)/beta while MHM's pixel margin stays negative",
          "[studio][story][query_margin]") {
  StudioWorker worker;
  StoryPlayer story;
  story.start(StoryMode::tour);
  for (int k = 0; k < 4; ++k) {  // the tour up to "U-Hop retrieves the right memory"
    const double t0 = now_seconds();
    while (!story.step_done() && now_seconds() - t0 < 120) {
      story.update(worker, now_seconds());
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(story.step_done());
    if (k == 1) {  // W = I: both margins are the pixel margin, negative (MHM is wrong)
      const auto s = worker.snapshot();
      CHECK(s->stage1_log.back().query_margin < 0);
      CHECK(story.caption(*s).find("pixel score minus the best rival's is -") != std::string::npos);
    }
    if (k < 3) story.next();
  }
  const auto s = worker.snapshot();
  const double half = uhop::half_weight_margin(20, s->state.stage2.beta);
  const auto& row = s->stage1_log.back();
  CHECK(row.step == 50);
  CHECK(row.query_margin >= half);
  CHECK(row.mhm_query_margin < 0);
  // The same numbers at the last x_t of each run (what --dump-state reports): MHM's x_1 is a rival's, U-Hop's the
  // target's.
  CHECK(s->baseline_log.back().score_margin < 0);
  CHECK(s->retrieval_log.back().score_margin > half);
  const std::string c = story.caption(*s);
  CHECK(c.find("leads the best rival by +") != std::string::npos);
  CHECK(c.find("{") == std::string::npos);  // every field filled in
  const std::string why = query_margin_caption(*s);
  CHECK(why.find("U-Hop wins here") != std::string::npos);
  CHECK(why.find("Lemma 1 is a worst case") != std::string::npos);
  // The figures of the margin view: both runs' margins and the two reference lines.
  uhop::PlotFigure f;
  REQUIRE(insight_figure(*s, "query-margin", f));
  REQUIRE(f.series.size() == 4);
  CHECK(f.series[0].y.back() == row.query_margin);
  CHECK(f.series[3].y.front() == Approx(half));
  REQUIRE(insight_figure(*s, "stage2-margin", f));
  CHECK(f.series[1].y.back() == s->baseline_log.back().score_margin);
}

TEST_CASE("story pace: captions stay `pace` seconds in autoplay; the bar is sized for the longest text",
          "[studio][story]") {
  StoryStep a{"a", "", "first", StoryExpect::nothing, "", {}, {}, 30, {}};
  StoryStep b{"b", "", "second caption, the longest of the three", StoryExpect::nothing, "", {}, {}, 30, {}};
  StoryStep c{"c", "", "end", StoryExpect::nothing, "", {}, {}, -1, {}};
  StudioWorker worker;
  StoryPlayer story({a, b, c});
  CHECK(story.longest_text() == b.caption);
  story.set_pace(0.2);
  story.start(StoryMode::autoplay);
  const double t0 = now_seconds();
  story.update(worker, t0);                               // begins step 0 (no commands)
  story.update(worker, t0);                               // finished at t0
  CHECK(story.seconds_to_next_event(t0) == Approx(0.2));  // not the step's own 30 s
  story.update(worker, t0 + 0.25);
  CHECK(story.step() == 1);
  story.set_pace(0);  // back to the steps' own time
  story.update(worker, t0 + 0.25);
  story.update(worker, t0 + 0.25);
  CHECK(story.seconds_to_next_event(t0 + 0.25) == Approx(30));
  story.set_pace(-3);
  CHECK(story.pace() == 0);
}

TEST_CASE("story lines: pace SECONDS and record FILE parse; bad ones name the problem", "[studio][commands][story]") {
  Command c;
  REQUIRE(parse_command_line("story pace 12", 1, c));
  CHECK(c.kind == CommandKind::story);
  CHECK(c.id == "pace");
  REQUIRE(c.settings.size() == 1);
  CHECK(c.settings[0].second == "12");
  REQUIRE(parse_command_line("story record film.gif", 1, c));
  CHECK(c.id == "record");
  CHECK(c.path == "film.gif");
  for (const char* bad : {"story pace", "story pace -1", "story pace 1e9", "story pace fast", "story play"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH(parse_command_line(bad, 1, c), Catch::Contains("story"));
  }
}

TEST_CASE("recorder: the size readout says KB below a megabyte", "[studio][recorder]") {
  CHECK(byte_size_text(0) == "0 B");
  CHECK(byte_size_text(812) == "812 B");
  CHECK(byte_size_text(46000) == "46 KB");
  CHECK(byte_size_text(46 * 1024) == "47 KB");
  CHECK(byte_size_text(999499) == "999 KB");
  CHECK(byte_size_text(1200000) == "1.2 MB");
  CHECK(byte_size_text(3400000000ULL) == "3.4 GB");
}

TEST_CASE("sweep: a preset that asks the glyphs for more memories than they hold says so before Run",
          "[studio][sweep]") {
  StudioState state;
  state.source = "builtin:glyphs";
  const auto studio = sweep_request(state, {{"preset", "studio"}, {"out", "x"}}).settings;
  const std::string why = sweep_source_problem(studio);
  CHECK(why.find("36 memories") != std::string::npos);
  CHECK(why.find("Fashion-MNIST") != std::string::npos);
  // A sweep the glyphs can hold, and the same preset on Fashion-MNIST, have nothing to say.
  CHECK(sweep_source_problem(sweep_request(state, {{"vary", "M"}, {"values", "10,20,30"}, {"out", "x"}}).settings)
            .empty());
  state.source = "builtin:fashion-mnist";
  CHECK(sweep_source_problem(sweep_request(state, {{"preset", "studio"}, {"out", "x"}}).settings).empty());
}

TEST_CASE("lr slider: its range fits the optimizer and schedule and always holds the current value",
          "[studio][controls]") {
  using uhop::Optimizer;
  using uhop::Schedule;
  const auto adam = lr_slider_range(Optimizer::adam, Schedule::constant, 0.01);
  CHECK(adam.first == 1e-5);
  CHECK(adam.second == 1.0);
  const auto sgd = lr_slider_range(Optimizer::sgd, Schedule::constant, 0.1);
  CHECK(sgd.first == 1e-3);
  CHECK(sgd.second == 10.0);
  const auto reference = lr_slider_range(Optimizer::sgd, Schedule::reference, 1);
  CHECK(reference.second == 100.0);
  CHECK(lr_slider_range(Optimizer::adam, Schedule::constant, 5).second == 5);  // a typed 5 stays reachable
  CHECK(lr_slider_range(Optimizer::sgd, Schedule::constant, 1e-6).first == 1e-6);
}

TEST_CASE("a folder of 30 images loads all 30 at the default M, with a note; a typed M is kept", "[studio][load]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("uhop-folder30-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (int k = 0; k < 30; ++k) {  // 8x8 gray PGMs, each a different diagonal stripe
    std::ofstream f(dir / ("img" + std::to_string(100 + k) + ".pgm"), std::ios::binary);
    f << "P5\n8 8\n255\n";
    for (int p = 0; p < 64; ++p) f.put(static_cast<char>(((p / 8 + p % 8 + k) % 8) * 32));
  }
  StudioWorker worker;
  run_script(worker, "load " + dir.string());
  auto s = worker.snapshot();
  REQUIRE(s->error.empty());
  CHECK(s->memories->set.count() == 30);
  bool noted = false;
  for (const auto& w : s->warnings) noted = noted || w.find("loaded all 30 images of the folder") != std::string::npos;
  CHECK(noted);
  run_script(worker, "load " + dir.string() + " count=10");
  CHECK(worker.snapshot()->memories->set.count() == 10);
  fs::remove_all(dir);
}

TEST_CASE("memory names: the class where there is one, else the file's name, else the index", "[studio][text]") {
  uhop::MemorySet set = uhop::memory_set_from_matrix(uhop::Matrix::Zero(3, 4), "csv");
  set.names = {"/data/cats/tabby.png", "csv#1", ""};
  CHECK(memory_name(set, 0) == "#0 tabby.png");
  CHECK(memory_name(set, 1) == "#1");
  CHECK(memory_name(set, 2) == "#2");
  CHECK(memory_name(set, 7) == "#7");
  set.labels = {0, -1, -1};
  set.class_names = {"cat"};
  CHECK(memory_name(set, 0) == "#0 cat");
}
