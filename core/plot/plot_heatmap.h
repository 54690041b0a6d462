// A heatmap figure: a rows x cols matrix drawn as coloured cells with a colorbar that carries its values, exported as
// SVG, PDF, PNG (drawn by the same routine as the line plots, plot_draw.cpp) or CSV (the matrix). The colour scale is
// the figure's own [lo, hi]: a heatmap never borrows another one's range.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "plot_figure.h"

namespace uhop {
// The colormap of every heatmap, on screen (shaders/colormap.frag holds the same stops) and in files: a viridis-like
// ramp through 9 stops, linear between them. t is clamped to [0, 1].
void colormap_rgb(double t, uint8_t rgb[3]);
uint32_t colormap_hex(double t);  // 0xRRGGBB

struct HeatmapFigure {
  std::string title, x_label, y_label;
  std::string value_label;  // the colorbar's label, e.g. "cos(Φ(ξ_μ), Φ(ξ_ν))"
  int rows = 0, cols = 0;
  std::vector<double> values;  // row-major, rows x cols; row 0 is drawn at the top; NaN cells are left blank
  double lo = 0, hi = 1;       // colour scale: lo -> colormap(0), hi -> colormap(1)
  // What the cell edges stand for on the axes (ticks): x from x0 (left edge) to x1 (right edge), y from y0 (top edge)
  // to y1 (bottom edge). E.g. memory indices 0..M when the matrix holds block means of an M x M matrix.
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  // Lines drawn over the cells in the axes' coordinates (e.g. a theory curve on a phase diagram), clipped to them.
  // Files only carry them in SVG/PDF/PNG (the CSV is the matrix).
  std::vector<PlotSeries> overlays;
};

// t in [0,1] of a value on the figure's scale (clamped; 0.5 when lo == hi).
double heatmap_t(const HeatmapFigure& figure, double value);
// Row-major RGBA8 of the cells (one pixel per cell); NaN cells transparent.
std::vector<uint8_t> heatmap_cells_rgba(const HeatmapFigure& figure);

// Where things go in a width x height heatmap export (CSS pixels).
struct HeatmapLayout {
  double width = 0, height = 0;
  PixelRect cells;     // the matrix, square cells when it fits
  PixelRect colorbar;  // the vertical colour ramp, lo at the bottom
  std::vector<PlotTick> x_ticks, y_ticks, bar_ticks;
  double tick_font = 11, label_font = 12, title_font = 14;
};
HeatmapLayout heatmap_layout(const HeatmapFigure& figure, double width, double height, double font_scale = 1);

void write_heatmap_svg(std::ostream& out, const HeatmapFigure& figure, int width, int height,
                       const PlotStyle& style = {});
void write_heatmap_pdf(std::ostream& out, const HeatmapFigure& figure, double width, double height,
                       const PlotStyle& style = {});
std::vector<uint8_t> render_heatmap_rgba(const HeatmapFigure& figure, int width, int height, float scale = 1,
                                         const PlotStyle& style = {});
std::vector<uint8_t> encode_heatmap_png(const HeatmapFigure& figure, int width, int height, float scale = 1,
                                        const PlotStyle& style = {});
// The matrix: one line per row, values as %.17g, no header (the CSV matrix format of core/data).
void write_heatmap_csv(std::ostream& out, const HeatmapFigure& figure);

// PNG of an RGBA8 image (rows top to bottom), encoded with cairo; empty on failure.
std::vector<uint8_t> encode_rgba_png(const uint8_t* rgba, int width, int height);
}  // namespace uhop
