#include "script_runner.h"

#include <cstdlib>

#include "capacity_panel.h"
#include "link_ui.h"

namespace studio {
void ScriptRunner::load(const std::string& path, UiContext& ui) {
  ParsedScript parsed = load_script(path);
  if (parsed.errors.empty()) {
    commands_ = std::move(parsed.commands);
    return;
  }
  had_errors_ = true;
  std::string all;
  for (const auto& e : parsed.errors) all += (all.empty() ? "" : "; ") + e;
  ui.set_status("script not run: " + all, true);
}

void ScriptRunner::step(UiContext& ui) {
  if (next_ >= commands_.size() || !ui.worker->idle() || capacity_busy() || !pending_screenshot_.empty()) return;
  if (!started_) {
    started_ = true;
    errors_before_ = ui.worker->snapshot()->error_id;
  }
  const Command& c = commands_[next_];
  const bool gui_export = c.kind == CommandKind::export_plot || c.kind == CommandKind::export_image ||
                          c.kind == CommandKind::record_start || c.kind == CommandKind::record_stop;
  if (c.kind == CommandKind::wait) {
    // A story in autoplay is work in progress too: wait until it shows its last step.
    if (ui.story.mode() == StoryMode::autoplay && !ui.story.at_end()) return;
    ++next_;
    return;
  }
  if (c.kind == CommandKind::story) {
    if (c.id == "auto") ui.story.start(StoryMode::autoplay);
    if (c.id == "tour") ui.story.start(StoryMode::tour);
    if (c.id == "stop") ui.story.stop();
    if (c.id == "next") ui.story.next();
    if (c.id == "back") ui.story.back();
    if (c.id == "record") {
      try {
        record_story(ui, c.path);
      } catch (const std::exception& e) {
        ui.set_status("line " + std::to_string(c.line) + ": " + e.what(), true);
        export_failed_ = true;
      }
    }
    if (c.id == "pace" && !c.settings.empty()) ui.story.set_pace(std::strtod(c.settings[0].second.c_str(), nullptr));
    ++next_;
    return;
  }
  if (c.kind == CommandKind::layout) {
    ui.layout = c.id == "presentation" ? LayoutMode::presentation : LayoutMode::standard;
    ++next_;
    return;
  }
  if (c.kind == CommandKind::open_link) {  // GUI side, as File > Open link (its commands follow this one)
    if (!open_link(ui, c.path, c.number != 0)) ui_line_failed_ = true;  // exit 3, like a failed load-session
    ++next_;
    return;
  }
  if (c.kind == CommandKind::view) {                    // GUI side: the window opens (or closes) now
    if (c.path == "run") capacity_run(ui, c.settings);  // `capacity ...`
    if (bool* flag = view_flag(ui, c.id)) *flag = c.number != 0;
    ++next_;
    return;
  }
  if (c.kind != CommandKind::screenshot && !gui_export) {
    if (c.kind == CommandKind::cancel) capacity_cancel();
    ui.worker->push(c);
    ++next_;
    return;
  }
  if (++settle_frames_ < 3) return;
  settle_frames_ = 0;
  ++next_;
  if (!gui_export) {
    pending_screenshot_ = c.path;
    return;
  }
  try {
    if (c.kind == CommandKind::record_start || c.kind == CommandKind::record_stop) {
      run_record_command(ui, c);
    } else {
      if (c.kind == CommandKind::export_plot) {
        export_plot_by_id(ui, c.id, c.path, c.number);
      } else {
        export_image_by_id(ui, c.id, c.path);
      }
      ui.set_status("saved " + c.path);
    }
  } catch (const std::exception& e) {
    ui.set_status("line " + std::to_string(c.line) + ": " + e.what(), true);
    export_failed_ = true;
  }
}
}  // namespace studio
