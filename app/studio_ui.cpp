#include "studio_ui.h"

#include "platform/platform.h"
#include "studio_text.h"
#include "capacity_panel.h"

#include <algorithm>
#include <cfloat>
#include <cstdarg>
#include <cstring>
#include <cmath>
#include <cstdio>
#include <set>

#include "link_ui.h"
#include "numerics/input_error.h"

namespace studio {
void UiContext::set_status(const std::string& text, bool error) {
  status = uhop::printable_text(text);  // paths, script lines and file excerpts may hold control bytes
  status_is_error = error;
  status_set_at = snap ? snap->commands_done : 0;
  if (error) {
    std::fprintf(stderr, "uhop-studio: %s\n", status.c_str());
    ui_last_error = status;
    ++ui_errors;
    worker_errors_at_ui_error = snap ? snap->error_id : 0;
  }
}

float UiContext::wanted_font_size() const {
  return layout == LayoutMode::presentation ? std::max(font_size * 1.25f, 22.0f * content_scale) : font_size;
}

void UiContext::record_item(const std::string& name) {
  record_rect("widget." + name, ImGui::GetItemRectMin(), ImGui::GetItemRectSize());
}

ImU32 rgb(uint32_t hex, int alpha) {
  return IM_COL32((hex >> 16) & 0xff, (hex >> 8) & 0xff, hex & 0xff, alpha);
}

bool begin_panel(UiContext& ui, const char* id, const std::string& title, const ImVec2& pos, const ImVec2& size) {
  ImGui::SetNextWindowPos(pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(size, ImGuiCond_Always);
  ui.record_rect(std::string("panel.") + id, pos, size);
  const std::string label = title + "###" + id;  // the title may change (Stage II names its space), the id not
  return ImGui::Begin(label.c_str(), nullptr,
                      ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                          ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
}

float min_plot_height() {
  return std::max(96.0f, ImGui::GetTextLineHeight() * 6.0f);
}

void plot_stack(const char* id, const std::vector<PlotSlot>& slots, float height) {
  if (slots.empty()) return;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float gap = style.ItemSpacing.y;
  const float width = ImGui::GetContentRegionAvail().x;
  const float min_h = min_plot_height();
  float weights = 0;
  for (const PlotSlot& s : slots) weights += s.weight;
  // 1. One above the other, heights by weight, when the smallest still gets min_h.
  const float usable = height - gap * (slots.size() - 1);
  float smallest = usable;
  for (const PlotSlot& s : slots) smallest = std::min(smallest, usable * s.weight / weights);
  if (smallest >= min_h || slots.size() == 1) {
    for (const PlotSlot& s : slots) s.draw(ImVec2(width, std::max(usable * s.weight / weights, min_h)));
    return;
  }
  // 2. Two columns (rows of two), when each cell is wide and tall enough.
  const int rows = static_cast<int>((slots.size() + 1) / 2);
  const float cell_w = std::floor((width - style.ItemSpacing.x) / 2);
  const float cell_h = std::floor((height - gap * (rows - 1)) / rows);
  if (cell_w >= std::max(220.0f, ImGui::GetFontSize() * 14) && cell_h >= min_h) {
    for (size_t k = 0; k < slots.size(); ++k) {
      if (k % 2 == 1) ImGui::SameLine();
      ImGui::BeginGroup();
      ImGui::PushID(static_cast<int>(k));
      slots[k].draw(ImVec2(cell_w, cell_h));
      ImGui::PopID();
      ImGui::EndGroup();
    }
    return;
  }
  // 3. Too little room for all of them: one at a time, chosen by a tab, at the full height (never a strip).
  ImGui::PushID(id);
  if (ImGui::BeginTabBar("##stack")) {
    for (const PlotSlot& s : slots) {
      if (!ImGui::BeginTabItem(s.tab)) continue;
      // The room left, down to 80 px (a panel too short for even that scrolls rather than draw a strip).
      s.draw(ImVec2(width, std::max(height - ImGui::GetFrameHeightWithSpacing(), 80.0f)));
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::PopID();
}

void flow(float item_width, bool first) {
  if (first) return;
  const float right = ImGui::GetWindowContentRegionMax().x + ImGui::GetWindowPos().x;
  const float x = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
  if (x + item_width <= right) ImGui::SameLine();
}

void keep_inside_display(const ImVec2& default_pos, const ImVec2& default_size) {
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(default_pos, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(default_size, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSizeConstraints(ImVec2(std::min(200.0f, d.x), std::min(120.0f, d.y)), d);
}

void clamp_window_to_display() {
  const ImVec2 d = ImGui::GetIO().DisplaySize, p = ImGui::GetWindowPos(), sz = ImGui::GetWindowSize();
  const PanelRect r = clamp_to_display({p.x, p.y, sz.x, sz.y}, d.x, d.y, ImGui::GetFrameHeight());
  if (r.x != p.x || r.y != p.y) ImGui::SetWindowPos(ImVec2(r.x, r.y));
  if (r.w != sz.x || r.h != sz.y) ImGui::SetWindowSize(ImVec2(r.w, r.h));
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

void badge(const char* full, ImU32 color) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 pad = ImGui::GetStyle().FramePadding;
  // Wider than the room left: cut at a word and end with "...", the whole text on hover (never a cut mid-word).
  const float room = std::max(ImGui::GetFontSize() * 4, ImGui::GetContentRegionAvail().x - pad.x * 2);
  std::string text = full;
  while (ImGui::CalcTextSize(text.c_str()).x > room && text.size() > 1) {
    const size_t space = text.find_last_of(
        ' ', text.size() > 3 && text.compare(text.size() - 3, 3, "...") == 0 ? text.size() - 4 : text.size() - 1);
    if (space == std::string::npos || space == 0) break;
    text = text.substr(0, space) + "...";
  }
  const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImVec2 size(ts.x + pad.x * 2, ts.y + pad.y * 2);
  dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), color, size.y * 0.5f);
  dl->AddText(ImVec2(p.x + pad.x, p.y + pad.y), IM_COL32(255, 255, 255, 255), text.c_str());
  ImGui::Dummy(size);
  if (text != full && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", full);
}

std::string memory_label(const StudioSnapshot& s, int index) {
  return s.memories ? memory_name(s.memories->set, index) : "#" + std::to_string(index);
}

const GlTexture& image_texture(UiContext& ui, const std::string& key, const uhop::Vector& v, uint64_t version) {
  GlTexture& tex = ui.images[key];
  auto it = ui.image_versions.find(key);
  if (ui.snap && ui.snap->memories && (it == ui.image_versions.end() || it->second != version || !tex.valid())) {
    std::vector<uint8_t> rgba;
    image_to_rgba(v, ui.snap->memories->set.shape, rgba);
    const uhop::ImageShape drawn = display_shape(ui.snap->memories->set.shape);
    tex.upload_rgba(rgba.data(), drawn.width, drawn.height);
    ui.image_versions[key] = version;
  }
  return tex;
}

bool ensure_atlas(UiContext& ui) {
  if (!ui.snap || !ui.snap->memories) return false;
  const auto& g = *ui.snap->memories;
  if (ui.atlas_version == g.version && ui.atlas.valid()) return true;
  const uhop::ImageShape shape = display_shape(g.set.shape);
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
  if (s.error_id != ui.seen_error_id) {
    ui.seen_error_id = s.error_id;
    if (!s.error.empty()) std::fprintf(stderr, "uhop-studio: %s\n", s.error.c_str());
  }
  if (!s.suggested_size.empty()) {  // a load refused for its size: offer the size that fits
    const std::string label = "Load at " + s.suggested_size;
    if (ImGui::SmallButton(label.c_str())) {
      Command c;
      c.kind = CommandKind::load;
      c.path = s.refused_source;
      c.settings = {{"size", s.suggested_size}, {"count", std::to_string(ui.load_edit.load.count)}};
      ui.push(c);
    }
    formula_tip("Load the same source with every image resized to this size (d within the Studio's limit).");
    ImGui::SameLine();
  }
  if (!s.refused_session.empty()) {  // a session refused for what it declares: the user may ask for it
    if (ImGui::SmallButton("Open anyway")) {
      Command c = make_command(CommandKind::load_session, 1);
      c.path = s.refused_session;
      ui.push(c);
    }
    formula_tip(
        "Open this session at the sizes and steps it declares: only for a file you trust (it may take "
        "minutes and gigabytes).");
    ImGui::SameLine();
  }
  // A link over the budget: offered while its refusal is the status shown (no later message or command).
  if (!ui.refused_link.empty() && ui.status == ui.refused_link_status && s.commands_done <= ui.status_set_at) {
    const bool open = ImGui::SmallButton("Open anyway##link");
    ui.record_item("open_link_anyway");
    if (open) open_link(ui, std::string(ui.refused_link), true);
    formula_tip(
        "Open this link at the sizes and steps it declares: only for a link you trust (it may take minutes and "
        "gigabytes).");
    ImGui::SameLine();
  }
  const StatusText st = status_text(ui.status, ui.status_is_error, ui.status_set_at, s);
  if (!st.text.empty()) {
    const ImVec4 color = st.kind == TextKind::bad       ? ImVec4(1, 0.45f, 0.4f, 1)
                         : st.kind == TextKind::warning ? ImVec4(0.95f, 0.8f, 0.4f, 1)
                                                        : ImVec4(0.6f, 0.9f, 0.6f, 1);
    // One line: cut at a word with "…" to the room left (the whole on hover).
    ImGui::TextColored(color, "%s", fit_text(st.text, ImGui::GetContentRegionAvail().x).c_str());
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
      ImGui::TextUnformatted(st.text.c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  } else {
    const std::string keys = platform::can_quit() ? "Space play/pause Stage I   N step   R reset Stage I   F5 "
                                                    "presentation   F12 screenshot   F1 help   Ctrl+Q quit"
                                                  : "Space play/pause Stage I   N step   R reset Stage I   F5 "
                                                    "presentation   F12 screenshot   F1 help";
    const std::string shown = fit_text(keys, ImGui::GetContentRegionAvail().x);
    ImGui::TextDisabled("%s", shown.c_str());
    if (shown != keys && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", keys.c_str());
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
  link_menu_items(ui);  // Copy link / Open link from clipboard (link_ui.cpp)
  ImGui::Separator();
  if (ImGui::MenuItem("Export options...")) ui.show_export_options = true;
  formula_tip(
      "Format, size (px, or cm with a DPI), font scale and light/dark of right-click exports (plots and heatmaps: "
      "PNG/PDF/SVG/CSV, images: PNG, each through a save dialog), and the folder they start in, F12 screenshots "
      "too. Saved with the session.");
  if (ImGui::MenuItem("Screenshot", "F12")) ui.screenshot_requested = true;
  ImGui::Separator();
  if (platform::can_quit() && ImGui::MenuItem("Quit", "Ctrl+Q")) ui.quit_requested = true;
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

const char* panel_title(const std::string& id) {
  if (id == "memories") return "Memories";
  if (id == "query") return "Query";
  if (id == "stage1") return "Stage I";
  if (id == "stage2") return "Stage II";
  if (id == "compare") return "Compare";
  return "?";
}

// The story's caption under the menu bar: step k of n, the caption in a larger font, and Back/Next (tour) or End.
// Returns its height (0 when no story plays).
float caption_bar(UiContext& ui, float top) {
  if (!ui.story.active()) return 0;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const std::string text = ui.story.caption(*ui.snap);
  ImFont* font = ui.caption_font ? ui.caption_font : ImGui::GetFont();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float buttons_w = ImGui::GetFontSize() * 14;
  const float wrap = std::max(100.0f, display.x - buttons_w - style.WindowPadding.x * 4);
  // Sized once for the story's longest text (its names filled in may add a little: 10 % more), not for this
  // caption: the panels below keep their place from step to step.
  const std::string& longest =
      std::max(text, ui.story.longest_text(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
  const ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, longest.c_str());
  // At most 18 % of the window: the panels keep their plots (a small window in the presentation layout).
  const float h = std::min(display.y * 0.18f, std::max(ts.y, ImGui::GetFrameHeightWithSpacing() * 2) +
                                                  ImGui::GetTextLineHeightWithSpacing() + style.WindowPadding.y * 2);
  ImGui::SetNextWindowPos(ImVec2(0, top));
  ImGui::SetNextWindowSize(ImVec2(display.x, h));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.13f, 0.17f, 0.27f, 1));
  ImGui::Begin("##story", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoFocusOnAppearing);
  ui.record_rect("panel.story", ImVec2(0, top), ImVec2(display.x, h));
  ImGui::BeginGroup();
  ImGui::TextDisabled("%s %d/%d: %s", ui.story.mode() == StoryMode::tour ? "Tour" : "Story", ui.story.step() + 1,
                      ui.story.steps(), ui.story.title().c_str());
  ImGui::PushFont(font);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  ImGui::EndGroup();
  ImGui::SameLine(display.x - buttons_w);
  ImGui::BeginGroup();
  if (ui.story.mode() == StoryMode::tour) {
    ImGui::BeginDisabled(ui.story.step() == 0);
    if (ImGui::Button("< Back")) ui.story.back();
    ImGui::EndDisabled();
    ui.record_item("story_back");
    formula_tip("The previous step (Left arrow, Page Up).");
    ImGui::SameLine();
    ImGui::BeginDisabled(ui.story.step() + 1 >= ui.story.steps());
    if (ImGui::Button("Next >")) ui.story.next();
    ImGui::EndDisabled();
    ui.record_item("story_next");
    formula_tip("The next step (Right arrow, Page Down: a presenter's clicker works).");
    ImGui::SameLine();
  } else {
    if (ImGui::Button("Tour")) ui.story.start(StoryMode::tour);
    ui.record_item("story_tour");
    formula_tip("Step through the story yourself: Next (button, Right arrow, Page Down) and Back.");
    ImGui::SameLine();
  }
  if (ImGui::Button("End")) ui.story.stop();
  ui.record_item("story_end");
  formula_tip("End the story; everything stays as it is (Esc).");
  if (ui.story.mode() == StoryMode::autoplay) {
    // Pacing: seconds each caption stays (0: the story's own timing); `story pace SECONDS` in scripts.
    float pace = static_cast<float>(ui.story.pace());
    ImGui::SetNextItemWidth(buttons_w - style.WindowPadding.x * 2);
    if (ImGui::SliderFloat("##pace", &pace, 0, 30, pace > 0 ? "%.0f s per caption" : "own pace"))
      ui.story.set_pace(pace);
    ui.record_item("story_pace");
    formula_tip("How long each caption stays before the story moves on (0: each step's own time).");
  }
  ImGui::EndGroup();
  ImGui::End();
  ImGui::PopStyleColor();
  return h;
}

// For each column that shows its panels as tabs: a strip of buttons, one per panel, the front one highlighted.
// Returns the panels that are not in front (not drawn this frame).
std::set<std::string> tab_strips(UiContext& ui, const StudioLayout& layout, float top, float tab_h) {
  std::set<std::string> hidden;
  for (const LayoutColumn& c : layout.column_list) {
    if (!c.tabbed) continue;
    std::string& front = ui.column_front[c.panels.front()];
    for (const std::string& id : ui.wanted_front) {
      if (std::find(c.panels.begin(), c.panels.end(), id) != c.panels.end()) front = id;
    }
    if (std::find(c.panels.begin(), c.panels.end(), front) == c.panels.end()) front = c.panels.front();
    ImGui::SetNextWindowPos(ImVec2(c.x, top));
    ImGui::SetNextWindowSize(ImVec2(c.w, tab_h));
    const std::string name = "##tabs_" + c.panels.front();
    ImGui::Begin(name.c_str(), nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    for (const std::string& id : c.panels) {
      if (id != c.panels.front()) ImGui::SameLine();
      const bool on = id == front;
      if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
      if (ImGui::Button(panel_title(id))) front = id;
      if (on) ImGui::PopStyleColor();
      ui.record_item("tab_" + id);
      if (!on) hidden.insert(id);
    }
    ImGui::End();
  }
  ui.wanted_front.clear();
  return hidden;
}

void view_menu(UiContext& ui) {
  if (!ImGui::BeginMenu("View")) return;
  float fs = ui.font_size;
  if (ImGui::SliderFloat("Font size", &fs, 10, 40, "%.0f px")) ui.font_size = fs;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.font_dirty = true;
  formula_tip("Larger text for projectors (the panels reflow).");
  if (ImGui::MenuItem("Standard layout", nullptr, ui.layout == LayoutMode::standard)) ui.layout = LayoutMode::standard;
  if (ImGui::MenuItem("Presentation layout", "F5", ui.layout == LayoutMode::presentation))
    ui.layout = ui.layout == LayoutMode::presentation ? LayoutMode::standard : LayoutMode::presentation;
  formula_tip("For a lecture: Compare large, big text, advanced controls hidden. F5 switches back.");
  ImGui::Separator();
  ImGui::MenuItem("Sweep panel", nullptr, &ui.show_sweep);
  formula_tip("The paper's retrieval-error sweeps: error vs M or sigma for several methods and seeds.");
  ImGui::MenuItem("Capacity lab", nullptr, capacity_window_flag());
  formula_tip(
      "How many random patterns N neurons retrieve: hebbian (0.138 N), polynomial (N^(n-1)), exponential "
      "(exp(alpha N)), measured beside their theory.");
  insight_view_menu(ui);
  ImGui::EndMenu();
}

// New memories (a load, a preset, a session) or a Stage I reset: every plot fits its data again, so no plot keeps
// showing an empty range of the old data until "Follow >|".
void follow_new_data(UiContext& ui) {
  const StudioSnapshot& s = *ui.snap;
  const uint64_t memories = s.memories ? s.memories->version : 0;
  const size_t rows = s.stage1_log.size();
  const bool fresh = memories != ui.plots_memory_version || rows < ui.plots_stage1_rows;
  ui.plots_memory_version = memories;
  ui.plots_stage1_rows = rows;
  if (!fresh) return;
  for (uhop::PlotWidgetState* p : {&ui.plot_loss, &ui.plot_delta, &ui.plot_radius, &ui.plot_energy, &ui.plot_error,
                                   &ui.plot_compare, &ui.plot_sweep})
    p->auto_fit = p->follow_latest = true;
  for (auto& [id, p] : ui.insight_plots) p.auto_fit = p.follow_latest = true;
}

void story_menu(UiContext& ui) {
  if (!ImGui::BeginMenu("Story")) return;
  if (ImGui::MenuItem("Play the story")) ui.story.start(StoryMode::autoplay);
  formula_tip("MHM retrieves the wrong memory, Stage I trains W, U-Hop retrieves the right one; any input stops it.");
  if (ImGui::MenuItem("Tour (step by step)")) ui.story.start(StoryMode::tour);
  formula_tip("The same story, one step per Next (button, Right arrow, Page Down).");
  if (platform::can_record() && ImGui::MenuItem("Record the story", nullptr, false, !ui.recorder.status().recording)) {
    try {
      record_story(ui, ui.record_path);
    } catch (const std::exception& e) {
      ui.set_status(e.what(), true);
    }
  }
  formula_tip(
      "Play the story and record the whole window to the Record menu's file (GIF or MP4), without the "
      "recorder's readout in the frames; the recording stops a moment after the last step.");
  if (ImGui::MenuItem("End", "Esc", false, ui.story.active())) ui.story.stop();
  ImGui::EndMenu();
}
}  // namespace

void draw_studio(UiContext& ui) {
  ++ui.frame;  // thumbnails drawn from here on are this frame's (the cache keeps their slots until rendered)
  ui.thumbnails_uploaded = 0;
  ui.rects.clear();
  sync_edit_state(ui);
  follow_new_data(ui);
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  float menu_h = 0;
  if (ImGui::BeginMainMenuBar()) {
    file_menu(ui);
    view_menu(ui);
    presets_menu(ui);
    story_menu(ui);
    if (ImGui::BeginMenu("Help")) {
      if (ImGui::MenuItem("How U-Hop works", "F1")) ui.show_help = true;
      ImGui::EndMenu();
    }
    record_menu(ui);  // recorder_ui.cpp: the Record menu and, while recording, its readout
    const StudioSnapshot& s = *ui.snap;
    if (s.memories) {  // cut with "…" where the bar is narrow (800 px), the whole on hover
      char line[1400];
      std::snprintf(line, sizeof line, "  %s   M = %d   d = %d   Stage I step %d   Stage II step %d",
                    s.state.source.c_str(), s.memories->set.count(), s.memories->set.dim(),
                    s.stage1_log.empty() ? 0 : s.stage1_log.back().step,
                    s.retrieval_log.empty() ? 0 : s.retrieval_log.back().step);
      const float room = ImGui::GetWindowContentRegionMax().x - ImGui::GetCursorPosX();
      const std::string shown = fit_text(line, room);
      ImGui::TextDisabled("%s", shown.c_str());
      if (shown != line && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", line + 2);
    }
    menu_h = ImGui::GetWindowSize().y;
    ImGui::EndMainMenuBar();
  }
  const float caption_h = caption_bar(ui, menu_h);
  const float status_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y * 2 - 2;
  const float tab_h = ImGui::GetFrameHeight() + ImGui::GetStyle().WindowPadding.y * 2;
  const StudioLayout layout =
      compute_layout(display.x, display.y, menu_h + caption_h, status_h, ImGui::GetFontSize(), ui.layout, tab_h);
  const std::set<std::string> hidden = tab_strips(ui, layout, menu_h + caption_h, tab_h);
  using PanelFn = void (*)(UiContext&, const ImVec2&, const ImVec2&);
  const std::pair<const char*, PanelFn> panels[] = {{"memories", panel_memories},
                                                    {"query", panel_query},
                                                    {"stage1", panel_stage1},
                                                    {"stage2", panel_stage2},
                                                    {"compare", panel_compare}};
  for (const auto& [id, draw] : panels) {
    const auto it = layout.panels.find(id);
    if (it == layout.panels.end() || hidden.count(id)) continue;
    draw(ui, ImVec2(it->second.x, it->second.y), ImVec2(it->second.w, it->second.h));
  }
  if (ui.show_help) panel_help(ui);
  // A sweep started from a script (or the panel) opens the panel so its progress and result are visible.
  if (ui.snap->sweep_running && !ui.sweep_was_running) ui.show_sweep = true;
  ui.sweep_was_running = ui.snap->sweep_running;
  if (ui.show_sweep) panel_sweep(ui);
  panel_capacity(ui);
  draw_insight_windows(ui);
  session_popup(ui, true);
  session_popup(ui, false);
  export_options_window(ui);
  save_dialog(ui);
  status_bar(ui, ImVec2(0, display.y - status_h), ImVec2(display.x, status_h));
}
}  // namespace studio
