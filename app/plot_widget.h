// A line-plot widget on ImDrawList (ImPlot is not packaged here). It draws a uhop::PlotFigure with the same view
// math, ticks and pixel paths as the SVG/PNG exports in core/plot/plot_figure.h, so the screen and the files agree.
//
//   static uhop::PlotWidgetState loss_plot;             // one per plot, kept across frames
//   auto ev = uhop::draw_plot_widget("loss", figure, loss_plot);
//   if (ev.export_request == uhop::PlotExport::Svg)
//     uhop::save_plot_svg(path, uhop::figure_as_shown(figure, loss_plot), loss_plot.view, ev.width, ev.height);
//
// Mouse: drag pans, wheel zooms about the cursor (Shift: x only, Ctrl: y only), double-click fits, a click on a
// legend entry hides/shows it, right-click opens the menu (exports, Fit, Log Y, Follow latest). The widget never
// blocks or opens dialogs: exports come back in PlotWidgetEvents and the app picks the file names.
#pragma once
#include <imgui.h>

#include <optional>
#include <string>
#include <vector>

#include "plot/plot_figure.h"

namespace uhop {
struct PlotWidgetOptions {
  ImVec2 size = ImVec2(-1, 260);  // -1 width fills the available width, like other ImGui widgets
  bool show_title = true;
  bool show_legend = true;
  bool legend_outside = false;  // right of the plot area (when the plot keeps >= 160 px), never over the data
  float line_width = 1.75f;
  double fit_padding = 0.05;     // fraction of the span added around the data on fit
  double follow_padding = 0.02;  // room right of the newest sample when following
  float zoom_per_wheel_notch = 0.85f;
  bool value_readout = true;  // the tooltip of every series' value at the mouse's x (off for scatter plots)
};

// Everything that persists for one plot between frames. Serializable as plain fields.
struct PlotWidgetState {
  PlotView view;
  std::optional<bool> log_y;        // user override of figure.log_y
  std::optional<bool> log_x;        // user override of figure.log_x
  bool auto_fit = true;             // refit to all data every frame until the user pans or zooms
  bool follow_latest = true;        // when not auto-fitting: keep the span, slide to the newest sample, fit y
  std::vector<std::string> hidden;  // series/band names switched off in the legend
  bool dragging = false;            // a pan started inside the plot area (not on the legend)
};

enum class PlotExport { None, Png, Png2x, Svg, Pdf, Csv, Options };

struct PlotWidgetEvents {
  PlotExport export_request = PlotExport::None;
  int width = 0, height = 0;  // the widget's size on screen in pixels: a good export size
  bool hovered = false;
  double hover_x = kPlotNaN;  // data x under the mouse when hovering the plot area
  double hover_y = kPlotNaN;  // data y under the mouse when hovering the plot area
  bool view_changed_by_user = false;
  // While the right-click menu is open: the screen rect of its first item ("Export PNG..."), x0, y0, x1, y1
  // (--dump-state reports it, so a GUI test can click the menu as a user does).
  float menu_item[4] = {0, 0, 0, 0};
};

// Draws the widget in the current window and handles its input.
PlotWidgetEvents draw_plot_widget(const char* id, const PlotFigure& figure, PlotWidgetState& state,
                                  const PlotWidgetOptions& options = {});

// The figure as the widget shows it (legend-hidden entries invisible, log toggle applied): pass this with
// state.view to the save_plot_* functions so an export looks like the screen.
PlotFigure figure_as_shown(const PlotFigure& figure, const PlotWidgetState& state);
}  // namespace uhop
