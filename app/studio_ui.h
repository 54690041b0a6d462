// What the panels share: the latest snapshot (read-only), the worker to send commands to, GL textures made from
// the snapshot, and UI-only state (edit buffers, brush, plot views). Panels read the snapshot and emit commands;
// they never touch the Session.
#pragma once
#include <imgui.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gl_texture.h"
#include "heatmap_shader.h"
#include "plot_widget.h"
#include "studio_worker.h"

namespace studio {
struct UiContext {
  StudioWorker* worker = nullptr;
  std::shared_ptr<const StudioSnapshot> snap;
  StudioState edit;       // settings as the widgets show them (synced from the snapshot when nothing is edited)
  StudioState load_edit;  // the memory-source fields, applied by the Load button
  char source_path[1024] = "";
  char query_path[1024] = "";
  std::vector<std::string> recent_sources;

  // Textures made from the snapshot.
  GlTexture atlas;  // all memory thumbnails in one texture
  int atlas_cols = 0, atlas_count = 0;
  uint64_t atlas_version = 0;
  std::map<std::string, GlTexture> images;  // query, target, trajectory steps, compare finals
  std::map<std::string, uint64_t> image_versions;
  HeatmapShader heatmap_shader;
  GlTexture heat_initial, heat_now;
  uint64_t heat_version = 0;

  // Brush.
  bool eraser = false;
  float brush_radius = 1.5f, brush_intensity = 1.0f;
  bool drawing = false;
  std::pair<float, float> last_point{0, 0};

  // Plots.
  uhop::PlotWidgetState plot_loss, plot_delta, plot_radius, plot_energy, plot_error, plot_compare;

  // App-level.
  float font_size = 16;
  float content_scale = 1;
  bool font_dirty = false;
  bool show_help = false;
  bool screenshot_requested = false;
  std::string status;  // last UI message (screenshots, drops, script problems)
  bool status_is_error = false;
  uint64_t seen_error_id = 0;
  std::string fallback_message;

  void push(Command c) { worker->push(std::move(c)); }
  void set_status(const std::string& text, bool error = false);
};

// Layout on first use: a grid sized from the display (ImGui 1.86 has no docking).
void set_initial_window(const ImVec2& pos, const ImVec2& size);
void draw_studio(UiContext& ui);

void panel_memories(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_query(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_stage1(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_stage2(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_compare(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_help(UiContext& ui);

// ---- helpers shared by panels
// A texture for an image vector, re-uploaded when `version` changes.
const GlTexture& image_texture(UiContext& ui, const std::string& key, const uhop::Vector& v, uint64_t version);
// The memory thumbnail atlas, rebuilt when the memory set changes; false when there is none.
bool ensure_atlas(UiContext& ui);
// Draws memory `index` from the atlas at the cursor (size x size pixels); returns false when not in the atlas.
bool memory_thumbnail(UiContext& ui, int index, float size);
void memory_thumbnail_at(UiContext& ui, ImDrawList* dl, int index, ImVec2 p0, ImVec2 p1);
// Tooltip with the formula a control or curve stands for.
void formula_tip(const char* text);
// A coloured rounded label ("badge").
void badge(const char* text, ImU32 color);
std::string memory_label(const StudioSnapshot& s, int index);
ImU32 rgb(uint32_t hex, int alpha = 255);
inline uhop::PlotSeries series(const char* name, uint32_t color) {
  uhop::PlotSeries s;
  s.name = name;
  s.color = color;
  return s;
}
}  // namespace studio
