// Issue 24 (the rest of item 6): sizes and steps declared inside a session file are not the user asking for them.
// A session that declares more than a file gives without flags, or more work than kMaxSessionWork, is refused
// before its memories are read, unless the user asks (restore_session's allow_large, uhop replay --allow-large).
// Tested by declared sizes and by counts of the work done (progress calls), never by time.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.h"
#include "numerics/input_error.h"
#include "session/session_budget.h"
#include "session/session_file.h"

namespace {
using namespace uhop;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

// The audit's ok.json with the memories and steps given.
std::string session_text(const std::string& source, int count, int side, long long steps) {
  return R"({"format": "uhop-session", "version": 1, "memories": {"source": ")" + source + R"(", "count": )" +
         std::to_string(count) + R"(, "width": )" + std::to_string(side) + R"(, "height": )" + std::to_string(side) +
         R"(}, "stage1": {"init": "identity", "lr": 0.1, "steps": )" + std::to_string(steps) +
         R"(, "finished": true}, "stage2": {"steps": 1}, "query": {"target": 1, "corruption": "gaussian:0.1"}})";
}

// Counts the progress reports of a replay and stops it after `limit` of them: an unchecked replay of a million steps
// would otherwise run for hours (the test then fails on Cancelled instead of hanging).
struct StopAfter {
  int calls = 0, limit = 0;
  bool operator()(double) { return ++calls < limit; }
};
}  // namespace

TEST_CASE("a session declaring more memories or larger images than a file gives without flags is refused",
          "[session_file][hostile][limits]") {
  // 5 glyphs at 76 x 76 (the audit's size_76.json: 2.1 GB for a replay of 2 steps) and 20,000 at 28 x 28.
  StopAfter stop{0, 1000};
  const SessionFile big_images = parse_session_json(session_text("builtin:glyphs", 5, 76, 2), "size_76.json");
  CHECK_THROWS_WITH(restore_session(big_images, std::ref(stop)), Contains("M = 5 memories of d = 5776 values") &&
                                                                     Contains("d and D at most 3600") &&
                                                                     Contains("--allow-large"));
  CHECK(stop.calls <= 1);  // refused before the memories were read
  DeclaredWork many;
  many.memories = 20000;
  many.dim = 784;
  CHECK_THROWS_WITH(check_declared_work(many, "the session", kAllowLargeSession),
                    Contains("M = 20000 memories") && Contains("M at most 10000") && Contains("--allow-large"));
  many.memories = 10000;
  many.dim = 785;  // M x d over 7,840,000 values
  CHECK_THROWS_WITH(check_declared_work(many, "the session", kAllowLargeSession),
                    Contains("M x max(d, D) at most 7840000"));
  DeclaredWork wide_w;  // D counts as d does: W is D x d
  wide_w.memories = 5;
  wide_w.dim = 784;
  wide_w.feature_dim = 5000;
  CHECK_THROWS_WITH(check_declared_work(wide_w, "the session", kAllowLargeSession),
                    Contains("feature dimension D = 5000"));
}

TEST_CASE("a session declaring a million Stage I steps is refused before it runs, allow_large runs it",
          "[session_file][hostile][limits]") {
  const SessionFile steps = parse_session_json(session_text("builtin:glyphs", 5, 0, 1000000), "steps_big.json");
  StopAfter stop{0, 200};
  CHECK_THROWS_WITH(restore_session(steps, std::ref(stop)),
                    Contains("1000000 Stage I and 1 Stage II steps on M = 5 memories of d = 784") &&
                        Contains("multiply-adds") && Contains("--allow-large"));
  CHECK(stop.calls <= 1);  // not one step was taken
  // Asked for: it runs (and is stopped here after 200 progress reports, i.e. ~200 steps, by this test).
  StopAfter asked{0, 200};
  CHECK_THROWS_AS(restore_session(steps, std::ref(asked), nullptr, true), Cancelled);
  CHECK(asked.calls == 200);
  // The model behind the budget: 10,000 steps of 5 glyphs pass, a million do not.
  DeclaredWork w = declared_work(steps, 5, ImageShape{28, 28, 1});
  CHECK(declared_multiply_adds(w) > kMaxSessionWork);
  w.stage1_steps = 10000;
  CHECK(declared_multiply_adds(w) < kMaxSessionWork);
  CHECK_NOTHROW(check_declared_work(w, "the session", kAllowLargeSession));
}

TEST_CASE("sessions at the Studio's and the presets' sizes are within the budget and replay",
          "[session_file][limits][presets]") {
  // The Studio's defaults: 20 Fashion-MNIST items (28 x 28), Stage I played up to its 200-step stop, T = 5.
  DeclaredWork studio;
  studio.memories = 20;
  studio.dim = 784;
  studio.stage1_steps = 200;
  studio.stage2_steps = 5;
  CHECK_NOTHROW(check_declared_work(studio, "the session", kAllowLargeSession));
  for (const auto& entry : fs::directory_iterator(std::string(UHOP_SOURCE_DIR) + "/assets/presets")) {
    if (entry.path().extension() != ".json") continue;
    INFO(entry.path());
    const SessionFile f = read_session_file(entry.path().string());
    CHECK_NOTHROW(
        check_declared_work(declared_work(f, declared_count(f.memories, f.load),
                                          ImageShape{static_cast<int>(declared_dim(f.memories, f.load)), 1, 1}),
                            "the preset", kAllowLargeSession));
  }
  const SessionFile small = parse_session_json(session_text("builtin:glyphs", 5, 0, 2), "ok.json");
  CHECK(restore_session(small).stage1_steps() == 2);
}

TEST_CASE("cli: replay refuses a session over the budget (exit 2, nothing written), --allow-large asks for it",
          "[session_file][cli][hostile][limits]") {
  cli::TempDir dir;
  std::ofstream(dir / "size_76.json") << session_text("builtin:glyphs", 5, 76, 2);
  std::ofstream(dir / "ok.json") << session_text("builtin:glyphs", 5, 0, 2);
  cli::Result r = cli::run(dir, "replay --session size_76.json --out out");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("d = 5776") && Contains("--allow-large"));
  CHECK_FALSE(fs::exists(dir / "out/stage1.csv"));
  r = cli::run(dir, "replay --session ok.json --out out");
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(fs::exists(dir / "out/stage1.csv"));
  r = cli::run(dir, "replay --session ok.json --allow-large");
  CHECK(r.code == 0);
  // --animate draws a frame per Stage II step and keeps each frame's logs (memory grows as T²): 1000 declared steps
  // are refused before any work, without creating the animation; the replay alone is cheap and runs.
  std::string long_stage2 = session_text("builtin:glyphs", 5, 0, 2);
  long_stage2.replace(long_stage2.find(R"("steps": 1})"), 11, R"("steps": 1000})");
  std::ofstream(dir / "t1000.json") << long_stage2;
  r = cli::run(dir, "replay --session t1000.json --animate a.gif");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("1000 Stage II steps") && Contains("(300)") && Contains("--allow-large"));
  CHECK_FALSE(fs::exists(dir / "a.gif"));
  CHECK(cli::run(dir, "replay --session t1000.json").code == 0);
  // The audit's rerun: 3000 Stage I steps and 300 Stage II steps of 5 glyphs (a 659-byte session within the replay
  // budget) ran over 100 s animated: Stage I again, Stage II rerun for 400 Stage I frames, 700 frames drawn. The
  // animation's work counts too: refused before any work; the replay alone runs.
  std::string animated = session_text("builtin:glyphs", 5, 0, 3000);
  animated.replace(animated.find(R"("steps": 1})"), 11, R"("steps": 300})");
  std::ofstream(dir / "a3000.json") << animated;
  r = cli::run(dir, "replay --session a3000.json --animate a.gif");
  CHECK(r.code == 2);
  CHECK_THAT(r.err,
             Contains("3000 Stage I and 300 Stage II steps, animated in 677 frames") && Contains("--allow-large"));
  CHECK(r.out.empty());
  CHECK_FALSE(fs::exists(dir / "a.gif"));
}

TEST_CASE("an animation's work is the replay's, Stage I again, Stage II per Stage I frame and its frames",
          "[session_file][limits]") {
  CHECK(animated_stage1_frames(0) == 1);
  CHECK(animated_stage1_frames(6) == 7);       // steps 0..6
  CHECK(animated_stage1_frames(400) == 401);   // steps 0..400
  CHECK(animated_stage1_frames(401) == 202);   // every 2nd: 0, 2, ..., 400, and 401
  CHECK(animated_stage1_frames(3000) == 376);  // every 8th: 0, 8, ..., 3000
  const SessionFile f = parse_session_json(session_text("builtin:glyphs", 5, 0, 300), "a.json");
  const DeclaredWork plain = declared_work(f, 5, ImageShape{28, 28, 1});
  const DeclaredWork animated = declared_work(f, 5, ImageShape{28, 28, 1}, true);
  DeclaredWork stage1_only = plain;
  stage1_only.stage2_steps = 0;
  // Stage I and its statistics rows: what is left of a run without Stage II once the building (M D d + M² d) is off.
  const double stage1 = declared_multiply_adds(stage1_only) - (5.0 * 784 * 784 + 25.0 * 784);
  const double step2 = 2 * (5.0 * 784 + 784.0 * 784);
  CHECK(animated.frames == 301 + 1 + 1);
  // Stage I frames at steps 0..300 hold rows 1..301 (45,451 in all), the two Stage II frames all 301 each.
  CHECK(animated.frame_rows == 301 * 302 / 2 + 2 * 301);
  CHECK(declared_multiply_adds(animated) - declared_multiply_adds(plain) ==
        Approx(stage1 + 301 * 1 * step2 + 303 * kFrameMultiplyAdds + 46053 * kFrameRowMultiplyAdds).epsilon(1e-12));
  // The audit's third round: 2 one-pixel glyphs, 20,000 Stage I steps and 300 Stage II steps (596 bytes, its steps
  // nearly free) reached 2.19 GB and 199 s animated: the rows its frames hold put it over the budget.
  std::string tiny = session_text("builtin:glyphs", 2, 1, 20000);
  tiny.replace(tiny.find(R"("steps": 1})"), 11, R"("steps": 300})");
  const SessionFile long_log = parse_session_json(tiny, "tiny.json");
  CHECK_NOTHROW(
      check_declared_work(declared_work(long_log, 2, ImageShape{1, 1, 1}), "the session", kAllowLargeSession));
  CHECK_THROWS_WITH(
      check_declared_work(declared_work(long_log, 2, ImageShape{1, 1, 1}, true), "the session", kAllowLargeSession),
      Contains("animated in 702 frames"));
}
