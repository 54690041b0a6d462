// The Studio as a lecturer meets it, without a window: the first-launch story reaches its point (MHM wrong, U-Hop
// right), the layout keeps every panel inside the window at any size and font, and each control does what it says.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stb_image_write.h>
#include <algorithm>
#include <cmath>
#include <thread>

#include "session/run_plots.h"
#include "story.h"
#include "studio_commands.h"
#include "studio_layout.h"
#include "studio_state.h"
#include "studio_text.h"
#include "studio_test_script.h"
#include "studio_worker.h"

using namespace studio;

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Drives a StoryPlayer the way the UI does (once per "frame"), with time running `speedup` times faster: autoplay
// to its last step, a tour until the current step's commands finished (it then waits for next()).
void play(StoryPlayer& story, StudioWorker& worker, double timeout, double speedup) {
  const double t0 = now_seconds();
  const auto waiting = [&] { return story.mode() == StoryMode::tour && story.step_done(); };
  while (story.active() && !story.at_end() && !waiting() && now_seconds() - t0 < timeout) {
    story.update(worker, t0 + (now_seconds() - t0) * speedup);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}
}  // namespace

TEST_CASE("the story: MHM retrieves a pullover, Stage I trains, U-Hop retrieves the coat", "[studio][story]") {
  StudioWorker worker;
  StoryPlayer story;
  story.start(StoryMode::autoplay);
  play(story, worker, 120, 50);
  REQUIRE(story.at_end());
  auto s = worker.snapshot();
  REQUIRE(s->error.empty());
  CHECK(s->stage1_log.back().step == 50);
  REQUIRE(s->retrieval_log.size() == 2);  // x_0, x_1
  CHECK(s->state.target == 4);
  CHECK(s->baseline_log.back().nearest != 4);   // MHM: wrong
  CHECK(s->retrieval_log.back().nearest == 4);  // U-Hop: the coat
  const std::string mhm_class = s->memories->set.class_names[s->memories->set.labels[s->baseline_log.back().nearest]];
  CHECK(mhm_class == "Pullover");
}

TEST_CASE("story captions name what happened; an unexpected outcome gets the other caption", "[studio][story]") {
  StudioWorker worker;
  StoryPlayer story;
  story.start(StoryMode::tour);
  for (int k = 0; k < 2; ++k) {
    play(story, worker, 60, 1);  // tour: runs the step's commands, then waits for next()
    REQUIRE(story.step_done());
    if (k == 0) story.next();
  }
  REQUIRE(story.step() == 1);
  const std::string c = story.caption(*worker.snapshot());
  CHECK(c.find("returns a pullover (#") != std::string::npos);
  CHECK(c.find("not the coat (#4)") != std::string::npos);

  // The same step told on a case where the main run is right says so instead of claiming a failure.
  StoryStep step = story_steps()[1];
  step.commands = {"load builtin:glyphs count=12", "target 2", "corrupt gaussian:0.01 seed=1", "stage2 steps=1"};
  StoryPlayer other({story_steps()[0], step});
  other.start(StoryMode::tour);
  play(other, worker, 60, 1);
  other.next();
  play(other, worker, 60, 1);
  REQUIRE(other.step() == 1);
  REQUIRE(other.step_done());
  CHECK(other.caption(*worker.snapshot()).find("MHM gets this query right") != std::string::npos);
}

TEST_CASE("tour: Back replays the earlier steps without animation and lands on the previous step", "[studio][story]") {
  StudioWorker worker;
  StoryPlayer story;
  story.start(StoryMode::tour);
  for (int k = 0; k < 3; ++k) {
    play(story, worker, 60, 1);
    story.next();
  }
  play(story, worker, 60, 1);
  REQUIRE(story.step() == 3);
  REQUIRE(worker.snapshot()->stage1_log.back().step == 50);
  story.back();  // to "Stage I separates the memories": W trained again from W_0, Stage II at x_1 with W_0 first
  play(story, worker, 60, 1);
  CHECK(story.step() == 2);
  CHECK(story.step_done());
  CHECK(worker.snapshot()->stage1_log.back().step == 50);
  story.back();
  play(story, worker, 60, 1);
  CHECK(story.step() == 1);
  CHECK(worker.snapshot()->stage1_log.back().step == 0);  // before training
  CHECK(worker.snapshot()->retrieval_log.size() == 2);
}

TEST_CASE("layout: every panel inside the window, none overlapping, for window sizes and fonts", "[studio][layout]") {
  for (const auto& [w, h, font] : std::vector<std::tuple<float, float, float>>{
           {1280, 720, 15}, {1920, 1080, 28}, {3840, 2160, 28}, {1600, 1000, 15}, {1024, 600, 13}, {800, 600, 28}}) {
    for (LayoutMode mode : {LayoutMode::standard, LayoutMode::presentation}) {
      const float top = font * 4, bottom = font * 2;
      const StudioLayout L = compute_layout(w, h, top, bottom, font, mode, font * 2);
      INFO(w << "x" << h << " at " << font << " px, mode " << static_cast<int>(mode));
      REQUIRE(!L.panels.empty());
      float area = 0;
      for (const auto& [id, r] : L.panels) {
        INFO(id);
        CHECK(r.x >= 0);
        CHECK(r.y >= top);
        CHECK(r.x + r.w <= w + 1e-3f);
        CHECK(r.y + r.h <= h - bottom + 1e-3f);
        CHECK(r.w > 0);
        CHECK(r.h > 0);
        area += r.w * r.h;
        for (const auto& [other, q] : L.panels) {
          if (other <= id) continue;
          const bool apart = r.x + r.w <= q.x || q.x + q.w <= r.x || r.y + r.h <= q.y || q.y + q.h <= r.y;
          const bool same_tabs = r.x == q.x && r.y == q.y && r.w == q.w && r.h == q.h;  // a tabbed column
          CHECK((apart || same_tabs));
        }
      }
      float tiled = 0;  // the columns tile the space (a tabbed column: one panel at a time below its tab strip)
      for (const LayoutColumn& c : L.column_list) tiled += c.w * (h - top - bottom);
      CHECK(tiled == Approx(w * (h - top - bottom)).epsilon(1e-3));
      for (const LayoutColumn& c : L.column_list) {
        float needed = 0;
        for (const std::string& id : c.panels) needed += panel_min_height(id, font);
        CHECK(c.tabbed == (c.panels.size() > 1 && needed > h - top - bottom));  // tabs only when it is too short
      }
      (void)area;
      if (mode == LayoutMode::presentation) {
        CHECK(L.panels.count("compare") == 1);
        CHECK(L.panels.at("compare").w >= 0.6f * w);  // Compare large
        CHECK(L.panels.count("memories") == 0);
      } else {
        CHECK(L.panels.size() == 5);
      }
    }
  }
  CHECK(compute_layout(1280, 720, 40, 30, 15, LayoutMode::standard).columns == 3);
  CHECK(compute_layout(1920, 1080, 60, 50, 28, LayoutMode::standard).columns == 2);  // 69 em: two columns
  CHECK(compute_layout(3840, 2160, 60, 50, 28, LayoutMode::standard).columns == 3);
  const PanelRect big = clamp_to_display({900, -50, 2000, 300}, 1280, 720, 25);
  CHECK(big.x == 0);
  CHECK(big.w == 1280);
  CHECK(big.y == 25);
}

TEST_CASE("weights chart: thumbnails of neighbouring bars are spread apart, inside the chart", "[studio][layout]") {
  const std::vector<float> wanted = {100, 104, 98};  // three largest weights on neighbouring bars
  const std::vector<float> x = spread_apart(wanted, 30, 4, 0, 400);
  REQUIRE(x.size() == 3);
  std::vector<float> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  for (size_t k = 1; k < sorted.size(); ++k) CHECK(sorted[k] - sorted[k - 1] >= 34 - 1e-4f);
  for (float c : x) CHECK(c >= 15);
  CHECK(x[2] < x[0]);  // the leftmost bar keeps the leftmost thumbnail
  CHECK(x[0] < x[1]);
  const std::vector<float> edge = spread_apart({395, 398, 399}, 30, 4, 0, 400);
  for (float c : edge) CHECK(c <= 385 + 1e-4f);
  CHECK(spread_apart({50, 200}, 30, 4, 0, 400) == std::vector<float>{50, 200});  // apart already: unchanged
}

TEST_CASE("controls: a corruption kind after mask-half gets a real strength", "[studio][controls]") {
  using K = uhop::CorruptionKind;
  const uhop::Corruption mask{K::mask_half, 0};
  CHECK(with_kind(mask, K::gaussian).strength == Approx(0.3));  // was 0.00: a clean query
  CHECK(with_kind(mask, K::dropout).strength == Approx(0.5));
  CHECK(with_kind({K::gaussian, 0.2}, K::gaussian_norm).strength == Approx(0.2));  // a sigma stays a sigma
  CHECK(with_kind({K::gaussian, 1.5}, K::dropout).strength == Approx(0.5));        // not a probability
  CHECK(with_kind({K::dropout, 0.3}, K::salt_pepper).strength == Approx(0.3));     // a probability stays one
  CHECK(with_kind({K::gaussian, 0.2}, K::mask_half).strength == 0);
  for (K k : {K::gaussian, K::gaussian_norm, K::dropout, K::occlude, K::salt_pepper})
    CHECK(with_kind(mask, k).strength > 0);
}

TEST_CASE("controls: Adam gets its own default learning rate; a typed lr is kept", "[studio][controls]") {
  StudioState s;
  REQUIRE(s.stage1.lr == default_lr(uhop::Optimizer::sgd));
  auto change = optimizer_change(s, uhop::Optimizer::adam);
  REQUIRE(change.size() == 2);
  CHECK(change[1].first == "lr");
  CHECK(std::stod(change[1].second) == Approx(0.01));
  s.stage1.lr = 0.003;
  CHECK(optimizer_change(s, uhop::Optimizer::adam).size() == 1);
}

TEST_CASE("controls: a loss jump (Adam at lr 0.1) is reported, steady SGD is not", "[studio][controls]") {
  StudioWorker w;
  run_script(w, "load builtin:glyphs count=20\nset optimizer=adam lr=0.1\nstage1 steps=30\n");
  CHECK(w.snapshot()->stage1_warning.find("too large for adam") != std::string::npos);
  run_script(w, "stage1 reset\n");
  CHECK(w.snapshot()->stage1_warning.empty());
  run_script(w, "set optimizer=sgd lr=0.1\nstage1 steps=30\n");
  CHECK(w.snapshot()->stage1_warning.empty());
}

TEST_CASE("controls: Normalize rows normalizes W whatever the normalize_rows setting", "[studio][controls]") {
  StudioWorker w;
  run_script(w, "load builtin:glyphs count=10\nstage1 steps=3\n");
  const double before = w.snapshot()->stats.m_phi;
  run_script(w, "stage1 normalize\n");
  const auto s = w.snapshot();
  CHECK(s->error.empty());
  CHECK(s->stats.m_phi != before);
  CHECK(s->message.find("normalized") != std::string::npos);
}

TEST_CASE("controls: R resets Stage I only; Stage II keeps its steps and follows W_0", "[studio][controls]") {
  StudioWorker w;
  run_script(w, "load builtin:glyphs count=10\ntarget 2\nstage2 steps=2\nstage1 steps=5\n");
  run_script(w, "stage1 reset\n");
  const auto s = w.snapshot();
  CHECK(s->stage1_log.size() == 1);
  CHECK(s->retrieval_log.size() == 3);  // x_0..x_2 still there, replayed with W_0
  CHECK(s->baseline_log.size() == 3);
}

TEST_CASE("controls: a preset resets the settings it does not name", "[studio][controls]") {
  StudioWorker w;
  run_script(w,
             "load builtin:glyphs count=10\nset beta_after_sep=1 train_count=4 speed1=3 stop_after=7\n"
             "save-session " +
                 std::string("/tmp/uhop-preset-reset.json") + "\n");
  // A session naming everything but the quirks: they go back to their defaults on load.
  run_script(w, "set beta_after_sep=0 train_count=0\nsave-session /tmp/uhop-preset-plain.json\n");
  run_script(w, "set beta_after_sep=1 train_count=4\nload-session /tmp/uhop-preset-plain.json\n");
  const auto s = w.snapshot();
  REQUIRE(s->error.empty());
  CHECK_FALSE(s->state.stage2.beta_after_sep);
  CHECK(s->state.stage1.train_count == 0);
  CHECK(s->state.stage1_speed == StudioState().stage1_speed);  // not a session setting: its default
  CHECK(s->state.stage1_stop_after == StudioState().stage1_stop_after);
  CHECK(unusual_settings(s->state).empty());
  StudioState quirky;
  quirky.stage2.beta_after_sep = true;
  quirky.stage1.train_count = 10;
  CHECK(unusual_settings(quirky).size() == 2);
  std::remove("/tmp/uhop-preset-reset.json");
  std::remove("/tmp/uhop-preset-plain.json");
}

TEST_CASE("texts: status line is the newest; an old error goes when a later command succeeds", "[studio][text]") {
  StudioWorker w;
  run_script(w, "load /nonexistent/folder\n");
  auto s = w.snapshot();
  CHECK(status_text("", false, 0, *s).kind == TextKind::bad);
  run_script(w, "load builtin:glyphs count=10\nset stop_after=2\nstage1 play\n");
  s = w.snapshot();
  CHECK(s->message.find("stopped after 2") != std::string::npos);
  run_script(w, "stage2 steps=1\n");  // a later successful action
  s = w.snapshot();
  CHECK(s->error.empty());
  CHECK(s->message.empty());
  CHECK(status_text("", false, 0, *s).text.empty());
  // The UI's own message stands until the worker finishes a command after it.
  CHECK(status_text("screenshot saved", false, s->commands_done, *s).text == "screenshot saved");
  run_script(w, "stage2 steps=1\n");
  CHECK(status_text("screenshot saved", false, s->commands_done, *w.snapshot()).text.empty());
}

TEST_CASE("texts: no green verdict at t = 0; methods named by their similarity", "[studio][text]") {
  StudioWorker w;
  run_script(w, "load builtin:glyphs count=10\ntarget 3\ncorrupt gaussian:0.05 seed=2\n");
  auto s = w.snapshot();
  REQUIRE(s->retrieval_log.size() == 1);
  CHECK(retrieval_verdict(*s, false).kind == TextKind::neutral);  // was a green "retrieved" before any step
  CHECK(retrieval_verdict(*s, true).kind == TextKind::neutral);
  run_script(w, "stage2 steps=1\n");
  s = w.snapshot();
  CHECK(retrieval_verdict(*s, false).kind != TextKind::neutral);
  CHECK(method_label(uhop::Similarity::kernel) == "U-Hop (kernel)");
  CHECK(method_label(uhop::Similarity::dot) == "MHM (dot)");
  CHECK(retrieval_space(uhop::Similarity::dot) == "pixel space");
  CHECK(std::string(uhop::method_name(uhop::Similarity::euclidean)) == "Euclidean");
  uhop::RunLogs logs;
  logs.similarity = uhop::Similarity::manhattan;
  CHECK(uhop::compare_figure(logs).series[1].name == "Manhattan");  // the compare plot said "U-Hop" for all
}

// The Studio's memory bound (issue 24 item 7): the formula by hand, and the d it offers fits what is available.
TEST_CASE("controls: a session's bytes, and the largest d that fits a budget", "[studio][controls]") {
  CHECK(studio_session_bytes(20, 784, 784) == 8LL * (6 * 784 * 784 + 4 * 784 * 784 + 8 * 20 * 784));
  CHECK(studio_session_bytes(6, 100, 200) == 8LL * (6 * 200 * 100 + 4 * 100 * 100 + 8 * 6 * 200));
  for (long long m : {2LL, 20LL, 1000LL})
    for (long long d : {10LL, 784LL, 5776LL}) {
      const uint64_t budget = static_cast<uint64_t>(studio_session_bytes(m, d, d));
      const int fit = studio_dim_within(m, budget);
      CHECK(fit >= d - 1);  // the root, floored
      CHECK(fit <= d);
      CHECK(static_cast<uint64_t>(studio_session_bytes(m, fit, fit)) <= budget);
    }
  CHECK(studio_dim_within(20, 0) == 1);
  CHECK(gib_text(2684354560LL) == "2.5 GB");
  CHECK(gib_text(400LL << 20) == "400 MB");
}

TEST_CASE("controls: too-large images are refused with the reason and a size that fits", "[studio][controls]") {
  // kMaxStudioDim = 5792: the session's limit for W (2^25 values), which the Studio follows since hardening.
  CHECK(size_within_cap(1600, 1000, 1) == "96x60");  // 5760 values <= 5792
  CHECK(size_within_cap(1600, 1000, 3) == "55x34");  // 5610 values
  StudioWorker worker;
  const std::string dir = "/tmp/uhop-large-images";
  std::filesystem::create_directories(dir);
  std::vector<uint8_t> pixels(1600 * 1000, 128);
  for (int k = 0; k < 2; ++k)
    REQUIRE(stbi_write_png((dir + "/" + std::to_string(k) + ".png").c_str(), 1600, 1000, 1, pixels.data(), 1600));
  run_script(worker, "load " + dir + "\n");
  auto s = worker.snapshot();
  CHECK(s->error.find("feature map W") != std::string::npos);  // the reason, not "std::bad_alloc"
  // At their own size images are held to LoadOptions::default_max_dim (3600, issue 24): the offer is 75x47 (3525
  // values); a size the user sets may go up to kMaxStudioDim (96x60 below).
  CHECK(s->suggested_size == "75x47");
  CHECK_FALSE(s->has_session);
  run_script(worker, "load " + dir + " size=96x60\n");
  s = worker.snapshot();
  CHECK(s->error.empty());
  CHECK(s->memories->set.dim() == 96 * 60);
  CHECK(s->memories->set.count() == 2);  // M = 20 asked, 2 in the folder: loaded with a note
  std::filesystem::remove_all(dir);
  int w = 0, h = 0;
  std::sscanf(size_within_cap(4000, 10, 1).c_str(), "%dx%d", &w, &h);
  CHECK(w * h <= kMaxStudioDim);
  CHECK(w >= 1);
  CHECK(h >= 1);
}

TEST_CASE("controls: large images get a one-click downscale offer to d <= 1024; small ones and rows do not",
          "[studio][controls]") {
  auto images = [](int w, int h, int c) {
    uhop::MemorySet set = uhop::memory_set_from_matrix(uhop::Matrix::Zero(3, static_cast<long long>(w) * h * c), "x");
    set.shape = {w, h, c};
    return set;
  };
  DownscaleHint hint = downscale_hint(images(64, 64, 1));  // 200 of these train at 0.3 steps/s (issue 20)
  CHECK(hint.size() == "32x32");
  CHECK(hint.dim == 1024);
  hint = downscale_hint(images(32, 32, 3));  // CIFAR in colour: d = 3072
  CHECK(hint.size() == "18x18");
  CHECK(hint.dim == 972);
  hint = downscale_hint(images(100, 50, 1));  // the aspect is kept
  CHECK(hint.size() == "45x22");
  CHECK(downscale_hint(images(28, 28, 1)).width == 0);  // Fashion-MNIST: quick already
  CHECK(downscale_hint(images(32, 32, 1)).width == 0);  // d = 1024 exactly: no offer
  uhop::MemorySet rows = uhop::memory_set_from_matrix(uhop::Matrix::Zero(3, 5000), "rows.csv");  // not images
  CHECK(downscale_hint(rows).width == 0);
}
