// What the panels share: the latest snapshot (read-only), the worker to send commands to, GL textures made from
// the snapshot, and UI-only state (edit buffers, brush, plot views). Panels read the snapshot and emit commands;
// they never touch the Session.
#pragma once
#include <imgui.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cut_text.h"
#include "gl_texture.h"
#include "heatmap_shader.h"
#include "plot_widget.h"
#include "recorder.h"
#include "save_dialog.h"
#include "text_fit.h"
#include "story.h"
#include "studio_layout.h"
#include "studio_worker.h"

namespace studio {
struct LandscapeOverlay;  // panel_landscape.cpp: iso-lines cached per landscape

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
  uint64_t plots_memory_version = 0;  // the memory set and Stage I log length the plots last saw (follow_new_data)
  size_t plots_stage1_rows = 0;
  uhop::PlotWidgetState* plot_state(const std::string& id);

  // Exports and sessions.
  char export_dir[1024] = "";  // where auto-named exports go (state.exports.folder); empty = the current directory
  bool show_export_options = false;  // the Export options window (export_dialog.cpp)
  // Recording (recorder_ui.cpp) and where plots/heatmaps were drawn this frame, for `record ... panel=ID`.
  Recorder recorder;
  std::string record_path = "uhop-recording.gif", record_panel;
  int record_fps = 10;
  int record_width = 0;  // the recording's width in pixels; 0 = as on screen (the Record menu's "size")
  uint64_t seen_record_id = 0;
  std::map<std::string, ImVec4> item_rects;  // id -> (x0, y0, x1, y1) in ImGui coordinates
  char session_path[1024] = "session.json";
  bool open_save_session = false, open_load_session = false;
  struct Preset {
    std::string name, path, description;
  };
  std::vector<Preset> presets;

  // Sweep panel form.
  bool show_sweep = false, sweep_was_running = false;
  const void* sweep_shown = nullptr;  // the SweepOutcome the form was last synced from
  int sweep_preset = 0;  // 0: none (uhop::default_sweep_settings), else 1 + uhop::sweep_preset_names() index
  int sweep_vary = 0;    // 0: M, 1: sigma
  char sweep_values[256] = "10,20,30";
  std::vector<char> sweep_methods;  // one flag per uhop::sweep_method_names()
  int sweep_seeds = 2, sweep_stage1_steps = 50, sweep_count = 30;
  bool sweep_pick_first = false;  // consecutive blocks of memories instead of random subsets (the browser's subset)
  float sweep_sigma = 0.1f;
  char sweep_out[1024] = "sweep-out";

  // The "why" views (panel_probe/margin/feature_map/landscape.cpp), opened from the View menu or `view ID`.
  bool show_probe = false, show_margin = false, show_feature_map = false, show_landscape = false;
  std::map<std::string, uhop::PlotWidgetState> insight_plots;  // by plot id (probe-error, margin, ...)
  GlTexture landscape_mhm_tex, landscape_uhop_tex;
  uint64_t landscape_tex_version = 0;
  bool landscape_requested = false;  // the landscape window asked the worker once for this opening
  std::shared_ptr<LandscapeOverlay> landscape_overlay;

  // App-level.
  float font_size = 16;            // the user's text size (View menu, --font-size), times the content scale
  float content_scale = 1;         // the monitor's (HiDPI)
  float applied_font_size = 0;     // the size the font atlas was built at (presentation enlarges it)
  ImFont* caption_font = nullptr;  // the story's captions: 1.3x the text size
  bool font_dirty = false;
  LayoutMode layout = LayoutMode::standard;
  // In a column that shows its panels as tabs (a big font on a small screen): the panel in front, by column (keyed
  // by the column's first panel id). bring_to_front() picks the column that holds `id`.
  std::map<std::string, std::string> column_front;
  std::vector<std::string> wanted_front;  // panels to bring to front in the next frame (the story's steps)
  void bring_to_front(const std::string& id) { wanted_front.push_back(id); }
  bool show_help = false;
  bool screenshot_requested = false;
  bool quit_requested = false;
  std::string status;  // last UI message (screenshots, drops, script problems)
  bool status_is_error = false;
  uint64_t status_set_at = 0;       // worker commands done when it was set: a later command replaces it
  uint64_t seen_error_id = 0;       // worker errors already echoed to stderr
  std::string refused_link;         // a link refused for the work it declares (link_ui.h): "Open anyway"
  std::string refused_link_status;  // ... offered while its message is the status
  bool show_advanced1 = false, show_advanced2 = false, show_load_options = false;

  // The guided story (story.h): started on first launch, by the Story menu and the story/tour script commands.
  StoryPlayer story;
  // "Record the story": the recording stops by itself a moment after the story's last step (or when the story ends),
  // and the recorder's readout stays out of the frames meanwhile.
  bool recording_story = false;
  double story_end_seen = -1;
  bool record_readout_drawn = true;  // the menu bar's Rec button or readout was drawn this frame

  // Where things were drawn this frame, for --dump-state and tests that click: "panel.<id>", "plot.<id>",
  // "widget.<name>" -> x, y, w, h in window pixels. Cleared at the start of each frame.
  std::map<std::string, PanelRect> rects;
  void record_rect(const std::string& key, ImVec2 pos, ImVec2 size) { rects[key] = {pos.x, pos.y, size.x, size.y}; }
  void record_item(const std::string& name);  // the last ImGui item as "widget.<name>"

  void push(Command c) { worker->push(std::move(c)); }
  void set_status(const std::string& text, bool error = false);
  // Errors the UI thread itself met (exports, screenshots, session files): counted with the worker's in
  // --dump-state's errors= and shown as its last_error= while they are the latest.
  std::string ui_last_error;
  uint64_t ui_errors = 0, worker_errors_at_ui_error = 0;
  // Text cut by its rect in any frame drawn so far (app/cut_text.h), gathered only where --dump-state reports it:
  // each distinct (window, line) once, in the order first seen.
  bool gather_cut_text = false;
  SaveDialogState save;  // the save dialog of GUI exports (save_dialog.h)
  std::vector<CutText> cut_text_seen, cut_text_last_frame;
  bool export_failed = false;  // a screenshot or export failed: exit status 4 (docs/hostile-input.md)
  // The text size the panels use now: the user's, or 1.25x it (at least 22 px x content scale) in presentation.
  float wanted_font_size() const;
};

void draw_studio(UiContext& ui);
// The presets (session files) in assets/presets next to the binary or in the source tree (preset_files.cpp).
std::vector<UiContext::Preset> find_presets();
// --dump-state lines of the query's margins and the story (insight_dump.cpp), "key=value\n" each.
std::string insight_dump_lines(const UiContext& ui);
// A fixed panel of the layout at pos/size (recorded as "panel.<id>"); false when collapsed (then call End anyway).
bool begin_panel(UiContext& ui, const char* id, const std::string& title, const ImVec2& pos, const ImVec2& size);
// The smallest height a plot is drawn at: below it plots are stacked in tabs (plot_stack) rather than squeezed.
float min_plot_height();
// Plots sharing `height`: one above the other when each gets at least min_plot_height(), else as tabs with one
// plot at the full height (never a strip). `draw` gets the size for the plot it draws.
struct PlotSlot {
  const char* tab;
  std::function<void(const ImVec2& size)> draw;
  float weight = 1;
};
void plot_stack(const char* id, const std::vector<PlotSlot>& slots, float height);
// Places the next items side by side while they fit the panel's width, else on a new line: call before each item
// of a control row with the item's width (wraps instead of cutting controls off at big fonts).
void flow(float item_width, bool first = false);
// A window opened from the menus (help, sweep): kept inside the display whatever its size. keep_inside_display goes
// before Begin (first position and size, size limits), clamp_window_to_display after it (moves it back inside when
// the display shrank or the user dragged it out).
void keep_inside_display(const ImVec2& default_pos, const ImVec2& default_size);
void clamp_window_to_display();

void panel_memories(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_query(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_stage1(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_stage2(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_compare(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_help(UiContext& ui);
void panel_sweep(UiContext& ui);
// The "why" views (issue "see why U-Hop works"); for now windows from the View menu (pos/size on first use).
void panel_probe(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_margin(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_feature_map(UiContext& ui, const ImVec2& pos, const ImVec2& size);
void panel_landscape(UiContext& ui, const ImVec2& pos, const ImVec2& size);
// The View-menu flag of a window by id (probe margin feature-map landscape sweep help); null for an unknown id.
bool* view_flag(UiContext& ui, const std::string& id);
// The View menu's entries for the "why" views, and the open windows drawn where they first appear.
void insight_view_menu(UiContext& ui);
void draw_insight_windows(UiContext& ui);

// ---- exports (plot_exports.cpp, image_exports.cpp)
// draw_plot_widget plus what the Studio does around it: remembers the size and answers the right-click exports with
// an auto-named file in the export folder ("<id>-NNN.svg"), reported in the status bar.
uhop::PlotWidgetEvents studio_plot(UiContext& ui, const char* id, const uhop::PlotFigure& figure,
                                   uhop::PlotWidgetState& state, const uhop::PlotWidgetOptions& options);
// The plot or heatmap `id` of the current snapshot as shown, to `path` (.svg .pdf .png .csv by extension; scale
// multiplies the PNG resolution), sized and styled by the export options. Throws InputError naming the path.
void export_plot_by_id(UiContext& ui, const std::string& id, const std::string& path, int scale);
// Menu items exporting figure `id` (a plot or a heatmap) to auto-named files in the export folder.
void figure_export_menu_items(UiContext& ui, const std::string& id);
// The Export options window (format, size in px or cm with DPI, font scale, light/dark, folder): export_dialog.cpp.
void export_options_window(UiContext& ui);
// The feature-cosine heatmaps at step 0 and now, each with its own colour scale and a colorbar (heatmap_view.cpp).
void draw_heatmap_pair(UiContext& ui, const StudioSnapshot& s, const ImVec2& room);
// A vertical colour ramp (the heatmaps' colormap) of height h at the cursor, lo..hi with ticks on its right.
void draw_colorbar(float lo, float hi, float bar_w, float h);

// ---- recording (recorder_ui.cpp)
// The Record menu and, while recording, the readout (time, frames, dropped, size) in the menu bar.
void record_menu(UiContext& ui);
// After rendering, before the swap: hands the recorder a frame when one is due (the one call in the frame loop).
void record_frame(UiContext& ui, int framebuffer_width, int framebuffer_height);
// Plays the story from its start and records the whole window to `path` until a moment after its last step.
void record_story(UiContext& ui, const std::string& path);
// Once per frame: stops a story recording when the story is over.
void finish_story_recording(UiContext& ui);
// `record start|stop` from a script. Throws InputError.
void run_record_command(UiContext& ui, const Command& c);
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
