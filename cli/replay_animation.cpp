// uhop replay --animate FILE: the replayed run as an animation. Frames are the Studio's six plots (loss, delta,
// radius on top; energy, error, compare below), drawn with cairo and composed into one image per frame, written as a
// GIF, an MP4 (ffmpeg) or a folder of PNGs by core's AnimationWriter.
//   Part 1, one frame per Stage I step i = 0..N: the Stage I curves up to W_i, and the Stage II run with W_i (the
//           Studio's rule: Stage II follows the current W), so the error curve is seen to fall as W trains.
//   Part 2, one frame per Stage II step t = 0..T of the replayed session: the retrieval as it unfolds.
// Each plot keeps one view over all frames (fitted to everything it will show), so axes do not jump. Runs with more
// than kMaxAnimatedStage1Frames Stage I steps show every k-th step (always the last; session_budget.h, which also
// counts the animation's work against the session budget).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "numerics/input_error.h"
#include "plot/plot_animation.h"
#include "plot/plot_figure.h"
#include "session/run_plots.h"
#include "session/session_budget.h"
#include "session/session_file.h"

namespace uhop::cli {
namespace {
constexpr int kCellW = 400, kCellH = 300, kCols = 3;

RunLogs truncated(RunLogs logs, size_t stage2_rows) {
  logs.retrieval.resize(std::min(logs.retrieval.size(), stage2_rows));
  logs.baseline.resize(std::min(logs.baseline.size(), stage2_rows));
  return logs;
}

// The run's logs at every frame (see the header comment).
std::vector<RunLogs> frame_logs(const SessionFile& file, const Session& restored) {
  std::vector<RunLogs> frames;
  Session s(restored.memories(), file.stage1, file.stage2);
  if (file.w0) s.set_initial_w(*file.w0);
  s.set_query(restored.query(), restored.target());
  for (int t = 0; t < file.stage2_steps; ++t) s.stage2_step();
  const int n = file.stage1_steps;
  const int every = static_cast<int>(std::max(1LL, (n + kMaxAnimatedStage1Frames - 1) / kMaxAnimatedStage1Frames));
  for (int i = 0;; ++i) {
    if (i % every == 0 || i == n) frames.push_back(run_logs(s));
    if (i == n) break;
    s.stage1_step();
  }
  const RunLogs final_logs = run_logs(restored);
  for (size_t t = 1; t <= final_logs.retrieval.size(); ++t) frames.push_back(truncated(final_logs, t));
  return frames;
}

// One view per plot over all frames: the fitted range of every frame's figure merged.
PlotView common_view(const std::vector<RunLogs>& frames, const std::string& id) {
  PlotFigure all;
  for (const RunLogs& logs : frames) {
    PlotFigure f;
    run_figure(logs, id, f);
    all.log_y = f.log_y, all.log_x = f.log_x;
    all.series.insert(all.series.end(), f.series.begin(), f.series.end());
    all.bands.insert(all.bands.end(), f.bands.begin(), f.bands.end());
  }
  return data_range(all);
}
}  // namespace

std::string write_run_animation(const SessionFile& file, const Session& restored, const std::string& path, double fps,
                                StagedFiles& outputs) {
  const std::vector<RunLogs> frames = frame_logs(file, restored);
  const std::vector<std::string>& ids = run_plot_ids();
  std::vector<PlotView> views;
  for (const std::string& id : ids) views.push_back(common_view(frames, id));
  const int rows = static_cast<int>((ids.size() + kCols - 1) / kCols);
  const int width = kCols * kCellW, height = rows * kCellH;
  AnimationWriter writer(path, width, height, fps);
  std::vector<uint8_t> frame(static_cast<size_t>(width) * height * 4);
  for (size_t k = 0; k < frames.size(); ++k) {
    std::fill(frame.begin(), frame.end(), 255);
    for (size_t p = 0; p < ids.size(); ++p) {
      PlotFigure f;
      run_figure(frames[k], ids[p], f);
      const std::vector<uint8_t> cell = render_plot_rgba(f, views[p], kCellW, kCellH);
      if (cell.empty()) throw InputError(path + ": cannot draw the " + ids[p] + " plot");
      const int x0 = static_cast<int>(p % kCols) * kCellW, y0 = static_cast<int>(p / kCols) * kCellH;
      for (int y = 0; y < kCellH; ++y)
        std::memcpy(&frame[(static_cast<size_t>(y0 + y) * width + x0) * 4], &cell[static_cast<size_t>(y) * kCellW * 4],
                    static_cast<size_t>(kCellW) * 4);
    }
    writer.add_frame(frame.data());
  }
  writer.finish_into(outputs);
  char line[160];
  std::snprintf(line, sizeof line, "animation: %d frames (%d x %d, %g fps) written to ", writer.frames(), width, height,
                fps);
  return line + printable_text(path);
}
}  // namespace uhop::cli
