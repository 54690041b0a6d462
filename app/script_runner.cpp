#include "script_runner.h"

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
  if (next_ >= commands_.size() || !ui.worker->idle() || !pending_screenshot_.empty()) return;
  const Command& c = commands_[next_];
  const bool gui_export = c.kind == CommandKind::export_plot || c.kind == CommandKind::export_image;
  if (c.kind == CommandKind::wait) {
    ++next_;
    return;
  }
  if (c.kind == CommandKind::view) {  // GUI side: the window opens (or closes) now
    if (bool* flag = view_flag(ui, c.id)) *flag = c.number != 0;
    ++next_;
    return;
  }
  if (c.kind != CommandKind::screenshot && !gui_export) {
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
    if (c.kind == CommandKind::export_plot) {
      export_plot_by_id(ui, c.id, c.path, c.number);
    } else {
      export_image_by_id(ui, c.id, c.path);
    }
    ui.set_status("saved " + c.path);
  } catch (const std::exception& e) {
    ui.set_status("line " + std::to_string(c.line) + ": " + e.what(), true);
    export_failed_ = true;
  }
}
}  // namespace studio
