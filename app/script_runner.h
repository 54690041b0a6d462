// Runs a --script file inside the frame loop: each command is sent when the worker is idle, so it starts after the
// previous one finished; `wait` also waits for a playing story to reach its end; `screenshot`, the GUI exports
// (export-plot, export-image) and `record` let the layout settle 3 frames so the snapshot and the plots' sizes on
// screen are the newest; `story`, `tour`, `next`, `back` and `layout` act on the UI.
#pragma once
#include <string>
#include <vector>

#include "studio_ui.h"

namespace studio {
class ScriptRunner {
 public:
  // Parses `path`; a script with errors is not run at all (the errors go to the status bar).
  void load(const std::string& path, UiContext& ui);
  // Runs these commands instead (e.g. a state link's replay, state_link.h).
  void run(std::vector<Command> commands) { commands_ = std::move(commands), next_ = 0; }
  // One frame's worth: at most one command sent or one export/screenshot scheduled.
  void step(UiContext& ui);
  // The screenshot a `screenshot` line asked for, to be written after this frame's rendering (then cleared).
  std::string take_screenshot() { return std::move(pending_screenshot_); }
  bool done(const StudioWorker& worker) const {
    return next_ >= commands_.size() && pending_screenshot_.empty() && worker.idle();
  }
  bool had_errors() const { return had_errors_; }
  // A command of the script failed when it ran (an unreadable file, a bad session): the worker reported an error
  // after the script's first command was sent.
  // A GUI-side line that failed (open-link refused) counts the same.
  bool runtime_errors(const StudioSnapshot& s) const {
    return ui_line_failed_ || (started_ && s.error_id > errors_before_);
  }
  bool export_failed() const { return export_failed_; }

 private:
  std::vector<Command> commands_;
  size_t next_ = 0;
  int settle_frames_ = 0;
  std::string pending_screenshot_;
  bool had_errors_ = false, export_failed_ = false, ui_line_failed_ = false;
  bool started_ = false;
  uint64_t errors_before_ = 0;
};
}  // namespace studio
