// Where the Studio's panels go, for a window of a given size and a font of a given size. GUI-free (unit-tested): the
// UI computes it every frame, so the panels follow the window when it is resized (1280x720 up to 4K) and when the
// font changes (a projector needs 28 px), and no panel ever lies outside the window.
//
// Standard layout, by the window's width in em (width / font px):
//   >= 78 em: three columns  [Memories / Query] [Stage I] [Stage II / Compare]   (1280x720 at 15 px is 85 em)
//   <  78 em: two columns    [Memories / Query / Compare] [Stage I / Stage II]   (1920x1080 at 28 px is 69 em)
// Presentation layout (F5, for a lecture): Compare large on the right; Stage I and Stage II compact on the left;
// Memories and Query hidden (the Compare panel shows the query too).
// A column too short for its panels shows them as tabs (LayoutColumn); inside a panel, plots that do not fit are
// stacked in tabs too (studio_ui: plot_stack).
#pragma once
#include <map>
#include <string>
#include <vector>

namespace studio {
enum class LayoutMode { standard, presentation };

struct PanelRect {
  float x = 0, y = 0, w = 0, h = 0;
};

// A column of panels. When the column is too short for its panels' minimum heights (a big font on a small screen),
// its panels are stacked as tabs: one at a time, at the column's full height below a strip of tab buttons (tab_h
// high at the column's top), instead of squeezing all of them.
struct LayoutColumn {
  float x = 0, w = 0;
  std::vector<std::string> panels;
  bool tabbed = false;
};

struct StudioLayout {
  std::map<std::string, PanelRect> panels;  // ids: memories query stage1 stage2 compare (those shown)
  std::vector<LayoutColumn> column_list;
  int columns = 0;
};

// The panels' rects inside [0, width] x [top, height - bottom] (top: menu bar and story caption; bottom: status bar).
// font_px is the text height; tab_h the height of a tab strip (for tabbed columns).
StudioLayout compute_layout(float width, float height, float top, float bottom, float font_px, LayoutMode mode,
                            float tab_h = 0);
// The height a panel needs to show its controls and readable plots, in multiples of the font size.
float panel_min_em(const std::string& id);
// The height a panel needs at this font: its em, plus the query canvas's fixed 160 px for the query.
float panel_min_height(const std::string& id, float font_px);

// The ids every layout may contain, in drawing order.
const std::vector<std::string>& layout_panel_ids();

// A floating window (help, sweep, views opened from the menu) kept inside the display: position and size clamped so
// the whole window is visible (a window larger than the display is shrunk to it).
PanelRect clamp_to_display(PanelRect r, float width, float height, float top);

// Centres for labels of width `w` wanted at `centers` (any order) on [lo, hi]: the nearest positions with no two
// overlapping (at least w + gap apart), in the same order as given. Used for the thumbnails above the Sep-weight
// bars, which overlapped when the largest weights sat on neighbouring bars.
std::vector<float> spread_apart(const std::vector<float>& centers, float w, float gap, float lo, float hi);
}  // namespace studio
