// Inside core/plot (not part of the room's interface): the small painter interface the file exports draw through,
// and the one routine per figure kind that decides what goes where. SvgPainter (plot_svg.cpp) and CairoPainter
// (plot_cairo.cpp, PDF and PNG) implement it, so SVG, PDF and PNG show the same picture by construction.
// Coordinates are CSS pixels of the figure (y down); a painter maps them to its own device units.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "plot_figure.h"
#include "plot_heatmap.h"

namespace uhop {
// Colours of the non-data parts of a figure, per theme.
struct PlotColors {
  uint32_t background, text, tick_text, frame, grid, marker, legend_fill, legend_border, interval_text;
  double legend_opacity;
};
PlotColors plot_colors(PlotTheme theme);

enum class TextAnchor { start, middle, end };

class PlotPainter {
 public:
  virtual ~PlotPainter() = default;
  virtual void fill_rect(const PixelRect& r, uint32_t color, double opacity = 1) = 0;
  virtual void stroke_rect(const PixelRect& r, uint32_t color, double width) = 0;
  // One segment (grid, ticks, marker, legend swatches); an axis-aligned solid one may be snapped to the pixel grid
  // by a raster painter so hairlines stay crisp.
  virtual void line(PixelPoint a, PixelPoint b, uint32_t color, double width, double dash_on = 0,
                    double dash_off = 0) = 0;
  // A data polyline; dash_on/dash_off > 0 draw it dashed. Callers pass one unbroken run per call.
  virtual void polyline(const std::vector<PixelPoint>& points, uint32_t color, double width, double dash_on = 0,
                        double dash_off = 0) = 0;
  virtual void polygon(const std::vector<PixelPoint>& points, uint32_t color, double opacity) = 0;
  virtual void dot(PixelPoint center, double radius, uint32_t color) = 0;
  // Text with its baseline at `at`, anchored at its start/middle/end; `vertical` reads bottom to top (rotated -90
  // degrees about `at`).
  virtual void text(const std::string& text, PixelPoint at, double size, uint32_t color, TextAnchor anchor,
                    bool vertical = false) = 0;
  // An RGBA8 image (rows top to bottom) stretched over `r` without smoothing: every cell stays a sharp square.
  virtual void image(const PixelRect& r, int width, int height, const std::vector<uint8_t>& rgba) = 0;
  // Everything between begin_clip and end_clip is clipped to `r`. Not nested.
  virtual void begin_clip(const PixelRect& r) = 0;
  virtual void end_clip() = 0;
};

// The whole line figure (background, intervals, grid, bands, series, marker, frame, ticks, labels, title, legend).
void draw_plot(PlotPainter& painter, const PlotFigure& figure, const PlotView& view, const PlotLayout& layout,
               const PlotColors& colors);
// The whole heatmap figure (cells, frame, axis ticks, colorbar with values and its label, axis labels, title).
void draw_heatmap(PlotPainter& painter, const HeatmapFigure& figure, const HeatmapLayout& layout,
                  const PlotColors& colors);

// SVG documents whose width/height attributes are given as text ("640", "16cm"); the viewBox is width x height.
void write_plot_svg_sized(std::ostream& out, const PlotFigure& figure, const PlotView& view, double width,
                          double height, const PlotStyle& style, const std::string& w_attr, const std::string& h_attr);
void write_heatmap_svg_sized(std::ostream& out, const HeatmapFigure& figure, double width, double height,
                             const PlotStyle& style, const std::string& w_attr, const std::string& h_attr);
}  // namespace uhop
