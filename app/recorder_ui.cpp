// Recording in the GUI: the Record menu (file, what to capture, fps, Start/Stop), the readout in the menu bar while
// recording, the capture after rendering (glReadPixels of the window or of one panel/plot), and the `record` script
// commands. The encoding happens on the Recorder's thread (recorder.h).
#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "gl.h"
#include "numerics/input_error.h"
#include "platform/platform.h"
#include "studio_ui.h"

namespace studio {
namespace {
double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The ImGui window of a panel id, by the start of its title (titles are set in the panel files).
const char* panel_title_prefix(const std::string& id) {
  if (id == "memories") return "Memories";
  if (id == "query") return "Query";
  if (id == "stage1") return "Stage I:";
  if (id == "stage2") return "Stage II:";
  if (id == "sweep") return "Sweep";
  if (id == "help") return "Help";
  return nullptr;
}

// Where `id` is on screen this frame, in ImGui coordinates; false when it is not shown.
bool region_of(UiContext& ui, const std::string& id, ImVec4& rect) {
  if (const auto it = ui.item_rects.find(id); it != ui.item_rects.end()) {
    rect = it->second;
    return true;
  }
  const char* prefix = panel_title_prefix(id);
  if (!prefix) return false;
  for (ImGuiWindow* w : GImGui->Windows) {
    if (!(w->Active || w->WasActive) || w->Hidden || std::strncmp(w->Name, prefix, std::strlen(prefix)) != 0) continue;
    rect = ImVec4(w->Pos.x, w->Pos.y, w->Pos.x + w->Size.x, w->Pos.y + w->Size.y);
    return true;
  }
  return false;
}

void start_recording(UiContext& ui, const std::string& path, const std::string& panel, int fps, int width) {
  ui.recorder.start(path, panel, fps, width);
  ui.set_status("recording " + (panel.empty() ? std::string("the window") : panel) + " to " + path);
}

// One line: "REC 3.2 s  32 frames  1 dropped  1.2 MB" (or "finishing ...").
std::string readout(const RecordStatus& r) {
  char buf[160];
  if (r.finishing) {
    std::snprintf(buf, sizeof buf, "finishing %s: %ld of %ld frames written", r.path.c_str(), r.written,
                  r.written + r.queued);
  } else {
    std::snprintf(buf, sizeof buf, "REC %.1f s  %ld frames  %ld dropped  %s  %dx%d", r.captured / r.fps, r.captured,
                  r.dropped, byte_size_text(r.bytes).c_str(), r.width, r.height);
  }
  return buf;
}
}  // namespace

void record_story(UiContext& ui, const std::string& path) {
  ui.story.start(StoryMode::autoplay);
  start_recording(ui, path, "", ui.record_fps, ui.record_width);
  ui.recording_story = true;
  ui.story_end_seen = -1;
  ui.set_status("");  // the status bar is in the film too
}

void finish_story_recording(UiContext& ui) {
  if (!ui.recording_story) return;
  if (!ui.recorder.status().recording) {
    ui.recording_story = false;
    return;
  }
  const double now = now_seconds();
  if (ui.story.active() && !ui.story.at_end()) return;
  if (ui.story_end_seen < 0) ui.story_end_seen = now;
  if (ui.story.active() && now - ui.story_end_seen < 3) return;  // the last caption stays 3 s in the film
  ui.recorder.stop();
  ui.recording_story = false;
}

void record_menu(UiContext& ui) {
  ui.item_rects.clear();  // drawn at the top of the frame: the panels below record where their plots are now
  finish_story_recording(ui);
  const RecordStatus r = ui.recorder.status();
  if (r.finished_id != ui.seen_record_id) {  // a recording ended: say where it went (or why not)
    ui.seen_record_id = r.finished_id;
    ui.set_status(r.finished, !r.error.empty());
  }
  if (!platform::can_record()) return;  // the browser: no encoder thread (docs/web.md)
  if (ImGui::BeginMenu("Record")) {
    static char path[1024] = "";
    if (!path[0]) std::snprintf(path, sizeof path, "%s", ui.record_path.c_str());
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
    if (ImGui::InputText("file", path, sizeof path)) ui.record_path = path;
    formula_tip(
        "NAME.gif, NAME.mp4 (H.264 through the ffmpeg program), or a folder name (no extension, or ending "
        "in '/') for numbered PNG frames. Written next to where the Studio was started unless absolute.");
    const auto& ids = record_panel_ids();
    const std::string current = ui.record_panel.empty() ? "whole window" : ui.record_panel;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    if (ImGui::BeginCombo("capture", current.c_str())) {
      if (ImGui::Selectable("whole window", ui.record_panel.empty())) ui.record_panel.clear();
      for (const auto& id : ids)
        if (ImGui::Selectable(id.c_str(), ui.record_panel == id)) ui.record_panel = id;
      ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    ImGui::SliderInt("fps", &ui.record_fps, 1, 30);
    // The size: as captured, or a width the frames are resampled to (the height keeps the aspect ratio), e.g. a
    // 1280-wide film of a 1920x1080 projector session, or a crisp 1920-wide one of a small window.
    static const int widths[] = {0, 640, 960, 1280, 1920, 2560};
    const std::string size_name = ui.record_width == 0 ? "as on screen" : std::to_string(ui.record_width) + " wide";
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    if (ImGui::BeginCombo("size", size_name.c_str())) {
      for (int px : widths)
        if (ImGui::Selectable(px == 0 ? "as on screen" : (std::to_string(px) + " wide").c_str(), ui.record_width == px))
          ui.record_width = px;
      ImGui::EndCombo();
    }
    formula_tip(
        "The recording's size: as on screen, or every frame resampled to this width (the height keeps the "
        "window's or panel's aspect ratio). Script: record start FILE width=PX.");
    if (!r.recording && !r.finishing && ImGui::MenuItem("Start recording")) {
      try {
        start_recording(ui, ui.record_path, ui.record_panel, ui.record_fps, ui.record_width);
      } catch (const std::exception& e) {
        ui.set_status(e.what(), true);
      }
    }
    if (r.recording && ImGui::MenuItem("Stop recording")) ui.recorder.stop();
    if (!r.recording && !r.finishing && ImGui::MenuItem("Record the story")) {
      try {
        record_story(ui, ui.record_path);
      } catch (const std::exception& e) {
        ui.set_status(e.what(), true);
      }
    }
    formula_tip(
        "Play the story from its start and record the whole window (without this readout) to the file "
        "above, until a moment after its last step.");
    ImGui::EndMenu();
  }
  ui.record_readout_drawn = !(ui.recording_story && r.recording);
  if (!ui.record_readout_drawn) return;  // the film shows the story, not the recorder
  if (!r.recording && !r.finishing) {
    // The Record button: starts with the Record menu's file, capture and fps.
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.55f, 0.12f, 0.12f, 1));
    if (ImGui::SmallButton("Rec")) {
      try {
        start_recording(ui, ui.record_path, ui.record_panel, ui.record_fps, ui.record_width);
      } catch (const std::exception& e) {
        ui.set_status(e.what(), true);
      }
    }
    ImGui::PopStyleColor();
    const std::string tip = "Record " + (ui.record_panel.empty() ? std::string("the whole window") : ui.record_panel) +
                            " to " + ui.record_path + " at " + std::to_string(ui.record_fps) + " fps" +
                            (ui.record_width ? ", " + std::to_string(ui.record_width) + " px wide" : std::string()) +
                            " (change these in the Record menu).";
    formula_tip(tip.c_str());
  } else {
    ImGui::TextColored(ImVec4(1, 0.35f, 0.3f, 1), "%s", readout(r).c_str());
    if (r.recording) {
      ImGui::SameLine();
      if (ImGui::SmallButton("Stop")) ui.recorder.stop();
      formula_tip("Finish the recording: the queued frames are encoded and the file appears (atomically).");
    }
  }
}

void record_frame(UiContext& ui, int fb_w, int fb_h) {
  const double now = now_seconds();
  if (!ui.recorder.wants_frame(now) || fb_w <= 0 || fb_h <= 0) return;
  const std::string panel = ui.recorder.status().panel;
  int x = 0, y = 0, w = fb_w, h = fb_h;
  if (!panel.empty()) {
    ImVec4 r;
    if (!region_of(ui, panel, r)) {
      if (ui.status.rfind("record:", 0) != 0) ui.set_status("record: " + panel + " is not on screen", true);
      return;
    }
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float sx = fb_w / std::max(1.0f, display.x), sy = fb_h / std::max(1.0f, display.y);
    x = std::clamp(static_cast<int>(r.x * sx), 0, fb_w - 1), y = std::clamp(static_cast<int>(r.y * sy), 0, fb_h - 1);
    w = std::clamp(static_cast<int>(r.z * sx) - x, 1, fb_w - x),
    h = std::clamp(static_cast<int>(r.w * sy) - y, 1, fb_h - y);
  }
  std::vector<uint8_t> gl(static_cast<size_t>(w) * h * 4), rgba(gl.size());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(x, fb_h - y - h, w, h, GL_RGBA, GL_UNSIGNED_BYTE, gl.data());
  const size_t row = static_cast<size_t>(w) * 4;  // GL rows go bottom-up
  for (int k = 0; k < h; ++k) std::memcpy(&rgba[k * row], &gl[(h - 1 - k) * row], row);
  for (size_t k = 3; k < rgba.size(); k += 4) rgba[k] = 255;
  ui.recorder.add_frame(rgba, w, h, now);
}

void run_record_command(UiContext& ui, const Command& c) {
  if (c.kind == CommandKind::record_stop) {
    if (!ui.recorder.status().recording) throw uhop::InputError("record stop: nothing is being recorded");
    ui.recorder.stop();
    ui.set_status("finishing the recording " + ui.recorder.status().path);
    return;
  }
  int width = 0;
  for (const auto& [k, v] : c.settings)
    if (k == "width") width = std::stoi(v);  // checked by the parser: 0 or 16..7680
  start_recording(ui, c.path, c.id, c.number > 0 ? c.number : 10, width);
}
}  // namespace studio
