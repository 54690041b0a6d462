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
  // Memory thumbnails: one texture of kThumbnailSlots cells caching the thumbnails drawn lately (the least recently
  // drawn leaves first, never one drawn in this frame), so 60,000 memories cost what the visible ones do.
  static constexpr int kThumbnailSlots = 1024;
  GlTexture atlas;
  int atlas_cols = 0, atlas_cell_w = 0, atlas_cell_h = 0;
  std::vector<int> slot_memory;      // the memory each slot holds (-1: empty)
  std::vector<uint64_t> slot_frame;  // the frame it was last drawn in
  std::map<int, int> memory_slot;    // memory -> slot
  uint64_t atlas_version = 0, frame = 0;
  int thumbnails_uploaded = 0;              // this frame
  bool bench_scroll = false;                // --bench-batch: the memory grid scrolls one row per frame
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

  // Plots, by the ids of plot_ids(); sizes on screen as last drawn (script exports use them).
  uhop::PlotWidgetState plot_loss, plot_delta, plot_radius, plot_energy, plot_error, plot_compare, plot_sweep;
  std::map<std::string, std::pair<int, int>> plot_sizes;
  uhop::PlotWidgetState* plot_state(const std::string& id);

  // Exports and sessions.
  char export_dir[1024] = "";  // where auto-named exports go; empty = the current directory
  char session_path[1024] = "session.json";
  bool open_save_session = false, open_load_session = false;
  struct Preset {
    std::string name, path, description;
  };
  std::vector<Preset> presets;

  // Sweep panel form.
  bool show_sweep = false, sweep_was_running = false;
  const void* sweep_shown = nullptr;  // the SweepOutcome the form was last synced from
  int sweep_vary = 0;                 // 0: M, 1: sigma
  char sweep_values[256] = "10,20,30";
  std::vector<char> sweep_methods;  // one flag per uhop::sweep_method_names()
  int sweep_seeds = 2, sweep_stage1_steps = 50, sweep_count = 30;
  float sweep_sigma = 0.1f;
  char sweep_out[1024] = "sweep-out";

  // App-level.
  float font_size = 16;
  float content_scale = 1;
  bool font_dirty = false;
  bool show_help = false;
  bool screenshot_requested = false;
  bool quit_requested = false;
  std::string seen_message;  // the worker message already shown in the status bar
  std::string status;        // last UI message (screenshots, drops, script problems)
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
void panel_sweep(UiContext& ui);

// ---- exports (plot_exports.cpp, image_exports.cpp)
// draw_plot_widget plus what the Studio does around it: remembers the size and answers the right-click exports with
// an auto-named file in the export folder ("<id>-NNN.svg"), reported in the status bar.
uhop::PlotWidgetEvents studio_plot(UiContext& ui, const char* id, const uhop::PlotFigure& figure,
                                   uhop::PlotWidgetState& state, const uhop::PlotWidgetOptions& options);
// The plot `id` of the current snapshot as shown, to `path` (.svg .png .csv; scale for PNG). Throws InputError.
void export_plot_by_id(UiContext& ui, const std::string& id, const std::string& path, int scale);
// The image panel `id` of the current snapshot as a PNG (the pixels shown, scaled up). Throws InputError.
void export_image_by_id(UiContext& ui, const std::string& id, const std::string& path);
// Right-click menu on the last item: "Export PNG" of image panel `id` to an auto-named file.
void image_context_menu(UiContext& ui, const char* id);

// ---- helpers shared by panels
// A texture for an image vector, re-uploaded when `version` changes.
const GlTexture& image_texture(UiContext& ui, const std::string& key, const uhop::Vector& v, uint64_t version);
// The thumbnail cache, reset when the memory set changes; false when there are no image memories.
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
