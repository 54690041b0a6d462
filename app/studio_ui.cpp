#include "studio_ui.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace studio {
void UiContext::set_status(const std::string& text, bool error) {
  status = text;
  status_is_error = error;
  if (error) std::fprintf(stderr, "uhop-studio: %s\n", text.c_str());
}

ImU32 rgb(uint32_t hex, int alpha) {
  return IM_COL32((hex >> 16) & 0xff, (hex >> 8) & 0xff, hex & 0xff, alpha);
}

void set_initial_window(const ImVec2& pos, const ImVec2& size) {
  ImGui::SetNextWindowPos(pos, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(size, ImGuiCond_FirstUseEver);
}

void formula_tip(const char* text) {
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void badge(const char* text, ImU32 color) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 pad = ImGui::GetStyle().FramePadding;
  const ImVec2 ts = ImGui::CalcTextSize(text);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImVec2 size(ts.x + pad.x * 2, ts.y + pad.y * 2);
  dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), color, size.y * 0.5f);
  dl->AddText(ImVec2(p.x + pad.x, p.y + pad.y), IM_COL32(255, 255, 255, 255), text);
  ImGui::Dummy(size);
}

std::string memory_label(const StudioSnapshot& s, int index) {
  if (!s.memories || index < 0 || index >= s.memories->set.count()) return "#" + std::to_string(index);
  const auto& set = s.memories->set;
  std::string label = "#" + std::to_string(index);
  if (index < static_cast<int>(set.labels.size())) {
    int l = set.labels[index];
    if (l >= 0 && l < static_cast<int>(set.class_names.size())) label += " " + set.class_names[l];
  }
  return label;
}

const GlTexture& image_texture(UiContext& ui, const std::string& key, const uhop::Vector& v, uint64_t version) {
  GlTexture& tex = ui.images[key];
  auto it = ui.image_versions.find(key);
  if (ui.snap && ui.snap->memories && (it == ui.image_versions.end() || it->second != version || !tex.valid())) {
    std::vector<uint8_t> rgba;
    image_to_rgba(v, ui.snap->memories->set.shape, rgba);
    tex.upload_rgba(rgba.data(), ui.snap->memories->set.shape.width, ui.snap->memories->set.shape.height);
    ui.image_versions[key] = version;
  }
  return tex;
}

bool ensure_atlas(UiContext& ui) {
  if (!ui.snap || !ui.snap->memories) return false;
  const auto& g = *ui.snap->memories;
  if (ui.atlas_version == g.version && ui.atlas.valid()) return true;
  const auto& shape = g.set.shape;
  if (shape.width <= 0 || shape.height <= 0) return false;
  // kThumbnailSlots cells (32 x 32 of 28 x 28 pixels for Fashion-MNIST), filled as thumbnails are first drawn.
  const int cols = 32, rows = (UiContext::kThumbnailSlots + cols - 1) / cols;
  const std::vector<uint8_t> blank(static_cast<size_t>(cols) * shape.width * rows * shape.height * 4, 0);
  ui.atlas.upload_rgba(blank.data(), cols * shape.width, rows * shape.height);
  ui.atlas_cols = cols;
  ui.atlas_cell_w = shape.width;
  ui.atlas_cell_h = shape.height;
  ui.slot_memory.assign(UiContext::kThumbnailSlots, -1);
  ui.slot_frame.assign(UiContext::kThumbnailSlots, 0);
  ui.memory_slot.clear();
  ui.atlas_version = g.version;
  return true;
}

// The slot holding memory `index`, uploading its thumbnail into the least recently drawn slot when it is not
// cached; -1 when every slot is already drawn in this frame.
static int thumbnail_slot(UiContext& ui, int index) {
  const auto& set = ui.snap->memories->set;
  auto it = ui.memory_slot.find(index);
  if (it != ui.memory_slot.end()) {
    ui.slot_frame[it->second] = ui.frame;
    return it->second;
  }
  int slot = -1;
  for (int k = 0; k < UiContext::kThumbnailSlots; ++k) {
    if (ui.slot_frame[k] == ui.frame) continue;  // drawn this frame: its pixels must stay until rendered
    if (slot < 0 || ui.slot_frame[k] < ui.slot_frame[slot]) slot = k;
    if (ui.slot_memory[k] < 0) break;
  }
  if (slot < 0) return -1;
  if (ui.slot_memory[slot] >= 0) ui.memory_slot.erase(ui.slot_memory[slot]);
  std::vector<uint8_t> rgba;
  image_to_rgba(set.patterns.row(index).transpose(), set.shape, rgba);
  ui.atlas.upload_region(rgba.data(), (slot % ui.atlas_cols) * ui.atlas_cell_w,
                         (slot / ui.atlas_cols) * ui.atlas_cell_h, ui.atlas_cell_w, ui.atlas_cell_h);
  ++ui.thumbnails_uploaded;
  ui.slot_memory[slot] = index;
  ui.slot_frame[slot] = ui.frame;
  ui.memory_slot[index] = slot;
  return slot;
}

static bool atlas_uv(UiContext& ui, int index, ImVec2& uv0, ImVec2& uv1) {
  if (!ensure_atlas(ui) || index < 0 || index >= ui.snap->memories->set.count()) return false;
  const int slot = thumbnail_slot(ui, index);
  if (slot < 0) return false;
  const float w = static_cast<float>(ui.atlas.width()), h = static_cast<float>(ui.atlas.height());
  const int cx = (slot % ui.atlas_cols) * ui.atlas_cell_w, cy = (slot / ui.atlas_cols) * ui.atlas_cell_h;
  uv0 = ImVec2(cx / w, cy / h);
  uv1 = ImVec2((cx + ui.atlas_cell_w) / w, (cy + ui.atlas_cell_h) / h);
  return true;
}

bool memory_thumbnail(UiContext& ui, int index, float size) {
  ImVec2 uv0, uv1;
  if (!atlas_uv(ui, index, uv0, uv1)) {
    ImGui::Dummy(ImVec2(size, size));
    return false;
  }
  ImGui::Image(ui.atlas.imgui_id(), ImVec2(size, size), uv0, uv1);
  return true;
}

void memory_thumbnail_at(UiContext& ui, ImDrawList* dl, int index, ImVec2 p0, ImVec2 p1) {
  ImVec2 uv0, uv1;
  if (atlas_uv(ui, index, uv0, uv1)) dl->AddImage(ui.atlas.imgui_id(), p0, p1, uv0, uv1);
}

namespace {
void sync_edit_state(UiContext& ui) {
  if (!ui.snap) return;
  // While a widget is being dragged or typed into, the UI's value wins; otherwise the worker's state does.
  if (!ImGui::IsAnyItemActive()) ui.edit = ui.snap->state;
  static uint64_t synced_memory_version = ~0ull;
  const uint64_t v = ui.snap->memories ? ui.snap->memories->version : 0;
  if (v != synced_memory_version) {
    synced_memory_version = v;
    ui.load_edit = ui.snap->state;
    std::snprintf(ui.source_path, sizeof ui.source_path, "%s", ui.snap->state.source.c_str());
    if (v != 0) {
      auto& r = ui.recent_sources;
      r.erase(std::remove(r.begin(), r.end(), ui.snap->state.source), r.end());
      r.insert(r.begin(), ui.snap->state.source);
      if (r.size() > 6) r.resize(6);
    }
  }
}

void status_bar(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::Begin("##status", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoBringToFrontOnFocus);
  const StudioSnapshot& s = *ui.snap;
  if (s.busy) {
    ImGui::TextUnformatted(s.busy_label.c_str());
    ImGui::SameLine();
    if (!s.stage1_playing && !s.stage2_playing) {
      ImGui::ProgressBar(static_cast<float>(s.progress), ImVec2(ImGui::GetFontSize() * 10, 0));
      ImGui::SameLine();
    }
    if (ImGui::SmallButton("Cancel")) ui.worker->cancel();
    formula_tip("Stop the work in progress (loading, a Stage I run) and any playing.");
    ImGui::SameLine();
  } else {
    ImGui::TextDisabled("Ready");
    ImGui::SameLine();
  }
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  if (s.error_id != ui.seen_error_id && !s.error.empty()) {
    ui.seen_error_id = s.error_id;
    ui.set_status(s.error, true);
  } else if (s.message != ui.seen_message) {
    ui.seen_message = s.message;  // a newer worker message (e.g. "saved session ...") replaces an older status
    if (!s.message.empty()) ui.set_status(s.message);
  }
  if (!ui.status.empty()) {
    ImGui::TextColored(ui.status_is_error ? ImVec4(1, 0.45f, 0.4f, 1) : ImVec4(0.6f, 0.9f, 0.6f, 1), "%s",
                       ui.status.c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ui.status.c_str());
  } else if (!s.message.empty()) {
    ImGui::TextColored(ImVec4(0.95f, 0.8f, 0.4f, 1), "%s", s.message.c_str());
  } else {
    ImGui::TextDisabled("Space play/pause Stage I   N step   R reset   F12 screenshot   F1 help   Ctrl+Q quit");
  }
  ImGui::End();
}

void session_popup(UiContext& ui, bool save) {
  const char* title = save ? "Save session" : "Load session";
  if (save ? ui.open_save_session : ui.open_load_session) {
    ImGui::OpenPopup(title);
    ui.open_save_session = ui.open_load_session = false;
  }
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted(save ? "Save every setting, the query and the step counts to a session file (JSON)."
                              : "Load a session file: the memories are reloaded and both stages replayed.");
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 30);
  const bool enter = ImGui::InputText("file", ui.session_path, sizeof ui.session_path,
                                      ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
  formula_tip(
      "A path relative to the folder the Studio was started in, or absolute. Saving replaces the file "
      "atomically.");
  if ((ImGui::Button(save ? "Save" : "Load", ImVec2(ImGui::GetFontSize() * 6, 0)) || enter) && ui.session_path[0]) {
    Command c = make_command(save ? CommandKind::save_session : CommandKind::load_session);
    c.path = ui.session_path;
    ui.push(c);
    ui.set_status(std::string(save ? "saving session " : "loading session ") + ui.session_path);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel", ImVec2(ImGui::GetFontSize() * 6, 0))) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void file_menu(UiContext& ui) {
  if (!ImGui::BeginMenu("File")) return;
  if (ImGui::MenuItem("Save session...", nullptr, false, ui.snap->has_session)) ui.open_save_session = true;
  if (ImGui::MenuItem("Load session...")) ui.open_load_session = true;
  if (!ui.snap->session_path.empty()) ImGui::TextDisabled("last: %s", ui.snap->session_path.c_str());
  ImGui::Separator();
  ImGui::TextUnformatted("Export folder");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18);
  ImGui::InputTextWithHint("##exportdir", "(current folder)", ui.export_dir, sizeof ui.export_dir);
  formula_tip(
      "Where right-click exports (plots: SVG/PNG/CSV, images: PNG) and F12 screenshots go, named "
      "<plot>-NNN.<ext> so nothing is overwritten. Empty = the folder the Studio was started in.");
  if (ImGui::MenuItem("Screenshot", "F12")) ui.screenshot_requested = true;
  ImGui::Separator();
  if (ImGui::MenuItem("Quit", "Ctrl+Q")) ui.quit_requested = true;
  ImGui::EndMenu();
}

void presets_menu(UiContext& ui) {
  if (!ImGui::BeginMenu("Presets")) return;
  for (const auto& p : ui.presets) {
    if (ImGui::MenuItem(p.name.c_str())) {
      Command c = make_command(CommandKind::load_session);
      c.path = p.path;
      ui.push(c);
      ui.set_status("loading preset " + p.name);
    }
    if (!p.description.empty()) formula_tip(p.description.c_str());
  }
  if (ui.presets.empty()) ImGui::TextDisabled("(no presets found: assets/presets/)");
  ImGui::EndMenu();
}
}  // namespace

void draw_studio(UiContext& ui) {
  ++ui.frame;  // thumbnails drawn from here on are this frame's (the cache keeps their slots until rendered)
  ui.thumbnails_uploaded = 0;
  sync_edit_state(ui);
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  float menu_h = 0;
  if (ImGui::BeginMainMenuBar()) {
    file_menu(ui);
    if (ImGui::BeginMenu("View")) {
      float fs = ui.font_size;
      if (ImGui::SliderFloat("Font size", &fs, 10, 40, "%.0f px")) ui.font_size = fs;
      if (ImGui::IsItemDeactivatedAfterEdit()) ui.font_dirty = true;
      formula_tip("Larger text for projectors (rebuilds the font).");
      ImGui::MenuItem("Sweep panel", nullptr, &ui.show_sweep);
      formula_tip("The paper's retrieval-error sweeps: error vs M or sigma for several methods and seeds.");
      ImGui::EndMenu();
    }
    presets_menu(ui);
    if (ImGui::BeginMenu("Help")) {
      if (ImGui::MenuItem("How U-Hop works", "F1")) ui.show_help = true;
      ImGui::EndMenu();
    }
    const StudioSnapshot& s = *ui.snap;
    if (s.memories) {
      ImGui::TextDisabled("  %s   M = %d   d = %d   Stage I step %d   Stage II step %d", s.state.source.c_str(),
                          s.memories->set.count(), s.memories->set.dim(),
                          s.stage1_log.empty() ? 0 : s.stage1_log.back().step,
                          s.retrieval_log.empty() ? 0 : s.retrieval_log.back().step);
    }
    menu_h = ImGui::GetWindowSize().y;
    ImGui::EndMainMenuBar();
  }
  const float status_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y * 2 - 2;
  const float top = menu_h, h = display.y - menu_h - status_h, w = display.x;
  // Grid: [Memories / Query] [Stage I] [Stage II / Compare]
  const float c0 = std::floor(w * 0.26f), c1 = std::floor(w * 0.37f), c2 = w - c0 - c1;
  const float mem_h = std::floor(h * 0.42f), s2_h = std::floor(h * 0.64f);
  panel_memories(ui, ImVec2(0, top), ImVec2(c0, mem_h));
  panel_query(ui, ImVec2(0, top + mem_h), ImVec2(c0, h - mem_h));
  panel_stage1(ui, ImVec2(c0, top), ImVec2(c1, h));
  panel_stage2(ui, ImVec2(c0 + c1, top), ImVec2(c2, s2_h));
  panel_compare(ui, ImVec2(c0 + c1, top + s2_h), ImVec2(c2, h - s2_h));
  if (ui.show_help) panel_help(ui);
  // A sweep started from a script (or the panel) opens the panel so its progress and result are visible.
  if (ui.snap->sweep_running && !ui.sweep_was_running) ui.show_sweep = true;
  ui.sweep_was_running = ui.snap->sweep_running;
  if (ui.show_sweep) panel_sweep(ui);
  session_popup(ui, true);
  session_popup(ui, false);
  status_bar(ui, ImVec2(0, display.y - status_h), ImVec2(display.x, status_h));
}
}  // namespace studio
