#include "session_budget.h"

#include <algorithm>
#include <cstdio>

#include "data/builtin_glyphs.h"
#include "numerics/input_error.h"
#include "session_file.h"

namespace uhop {
namespace {
std::string short_number(double v) {  // 1.8e+13
  char text[32];
  std::snprintf(text, sizeof text, "%.2g", v);
  return text;
}
}  // namespace

double declared_multiply_adds(const DeclaredWork& w) {
  const double m = static_cast<double>(w.memories), d = static_cast<double>(w.dim);
  const double big_d = static_cast<double>(w.feature_dim > 0 ? w.feature_dim : w.dim);
  const double batch = w.stage1_batch > 0 ? std::min(m, static_cast<double>(w.stage1_batch)) : m;
  const double steps1 = static_cast<double>(w.stage1_steps), steps2 = static_cast<double>(w.stage2_steps);
  const double stats_rows = steps1 / static_cast<double>(std::max(1LL, w.stats_every)) + 2;
  const double build = m * big_d * d + m * m * d;
  const double step1 = 2 * batch * big_d * d + batch * batch * big_d + 20 * big_d * d;
  const double stats = m * big_d * d + m * m * big_d;
  const double step2 = 2 * (m * big_d + big_d * d);
  const double stage1 = steps1 * step1 + stats_rows * stats;
  const double animation = (w.stage1_twice ? stage1 : 0) + static_cast<double>(w.stage2_reruns) * steps2 * step2 +
                           static_cast<double>(w.frames) * kFrameMultiplyAdds +
                           static_cast<double>(w.frame_rows) * kFrameRowMultiplyAdds;
  return build + stage1 + steps2 * step2 + animation;
}

void check_declared_work(const DeclaredWork& w, const std::string& what, const std::string& how_to_allow) {
  const LoadOptions defaults;  // what a file named on the command line gives without flags
  const long long big_d = std::max(w.dim, w.feature_dim);
  const std::string asking = ", more than a session file may ask for without you asking (";
  const std::string allow = "): " + how_to_allow + " if you trust it";
  if (w.memories > defaults.default_max_count || big_d > defaults.default_max_dim ||
      (big_d > 0 && w.memories > defaults.default_max_values / big_d))
    throw LargeRequestError(
        what + " declares M = " + std::to_string(w.memories) + " memories of d = " + std::to_string(w.dim) + " values" +
        (w.feature_dim > w.dim ? " (feature dimension D = " + std::to_string(w.feature_dim) + ")" : "") + asking +
        "M at most " + std::to_string(defaults.default_max_count) + ", d and D at most " +
        std::to_string(defaults.default_max_dim) + ", M x max(d, D) at most " +
        std::to_string(defaults.default_max_values) + " values" + allow);
  const double work = declared_multiply_adds(w);
  if (work > kMaxSessionWork)
    throw LargeRequestError(what + " declares " + std::to_string(w.stage1_steps) + " Stage I and " +
                            std::to_string(w.stage2_steps) + " Stage II steps" +
                            (w.frames > 0 ? ", animated in " + std::to_string(w.frames) +
                                                " frames (Stage I taken again, Stage II rerun for each of its frames)"
                                          : "") +
                            " on M = " + std::to_string(w.memories) + " memories of d = " + std::to_string(w.dim) +
                            " values: about " + short_number(work) + " multiply-adds" + asking +
                            short_number(kMaxSessionWork) + ", about half a minute of one core" + allow);
}

DeclaredWork declared_work(const SessionFile& f, long long count, const ImageShape& shape, bool animated) {
  DeclaredWork w;
  w.memories = count;
  w.dim = shape.size();
  w.feature_dim = f.stage1.dim;  // or the rows of a stored W (D x d)
  for (const auto* given : {&f.w0, &f.w})
    if (*given) w.feature_dim = std::max<long long>(w.feature_dim, (*given)->rows());
  w.stage1_steps = f.stage1_steps;
  w.stage1_batch = f.stage1.batch > 0 ? f.stage1.batch : f.stage1.train_count;
  w.stats_every = f.stage1.stats_every;
  w.stage2_steps = f.stage2_steps;
  if (animated) {
    const long long stage1_frames = animated_stage1_frames(f.stage1_steps);
    w.stage1_twice = true;
    w.stage2_reruns = stage1_frames;
    w.frames = stage1_frames + f.stage2_steps + 1;
    // Rows 0..s for a Stage I frame at step s (steps 0, k, 2k, ... and the last), all n + 1 for a Stage II frame.
    const long long n = f.stage1_steps,
                    every = std::max(1LL, (n + kMaxAnimatedStage1Frames - 1) / kMaxAnimatedStage1Frames);
    for (long long step = 0;; step = std::min(n, step + every)) {
      w.frame_rows += step + 1;
      if (step == n) break;
    }
    w.frame_rows += (f.stage2_steps + 1) * (n + 1);
  }
  return w;
}

long long animated_stage1_frames(long long n) {
  const long long every = std::max(1LL, (n + kMaxAnimatedStage1Frames - 1) / kMaxAnimatedStage1Frames);
  return n / every + 1 + (n % every != 0 ? 1 : 0);  // steps 0, k, 2k, ... and the last
}

LoadOptions with_declared_work_check(LoadOptions load, const SessionFile& file, bool animated) {
  load.check_fits = [&file, animated, fits = load.check_fits](long long count, const ImageShape& shape) {
    if (fits) fits(count, shape);
    if (shape.size() > 0)
      check_declared_work(declared_work(file, count, shape, animated), "the session", kAllowLargeSession);
  };
  return load;
}

void check_loaded_work(const SessionFile& file, const MemorySet& memories, bool animated) {
  const ImageShape shape =
      memories.shape.size() == memories.dim() ? memories.shape : ImageShape{static_cast<int>(memories.dim()), 1, 1};
  check_declared_work(declared_work(file, memories.count(), shape, animated), "the session", kAllowLargeSession);
}

void check_animated_steps(const SessionFile& file) {
  if (file.stage2_steps > kMaxAnimatedStage2Steps)
    throw LargeRequestError("the session declares " + std::to_string(file.stage2_steps) +
                            " Stage II steps, one frame each: more than an animation takes without you asking (" +
                            std::to_string(kMaxAnimatedStage2Steps) +
                            "): animate it with --allow-large if you trust it");
}

long long declared_count(const std::string& source, const LoadOptions& load) {
  if (load.count > 0) return load.count;
  if (source == "builtin:glyphs") return kGlyphCount;
  if (source.rfind("builtin:fashion-mnist", 0) == 0) return source == "builtin:fashion-mnist/test" ? 10000 : 60000;
  return load.default_max_count > 0 ? load.default_max_count : 0;
}

long long declared_dim(const std::string& source, const LoadOptions& load) {
  if (load.width > 0) return static_cast<long long>(load.width) * load.height * (load.keep_rgb ? 3 : 1);
  if (source.rfind("builtin:", 0) == 0) return static_cast<long long>(kGlyphSide) * kGlyphSide;  // 28 x 28 both
  return 0;
}
}  // namespace uhop
