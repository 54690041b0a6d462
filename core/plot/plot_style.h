// What the plot files share inside core/plot (not part of the room's interface): colours and line widths of the
// exports, the estimated text width the layout uses, the legend's entries and box, and small pixel helpers.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "plot_figure.h"

namespace uhop {
namespace plot_style {
constexpr double kInf = std::numeric_limits<double>::infinity();
inline bool finite(double v) {
  return std::isfinite(v);
}

constexpr uint32_t kTextColor = 0x222222, kTickTextColor = 0x444444, kFrameColor = 0x333333, kGridColor = 0xe4e4e4;
constexpr uint32_t kMarkerColor = 0x666666, kLegendBorder = 0xcccccc;
constexpr double kSeriesWidth = 1.75, kDashOn = 6, kDashOff = 4, kBandOpacity = 0.22, kIntervalOpacity = 0.13;
constexpr double kMarkerRadius = 3.5;  // a markers series' dots (pixels before scale)
constexpr double kTickLength = 4;

inline size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
// Text widths are estimated (0.6 em per character) rather than measured so every export puts the plot area in
// exactly the same place.
inline double text_width_estimate(const std::string& s, double font) {
  return 0.6 * font * utf8_length(s);
}

struct LegendEntry {
  std::string name;
  uint32_t color;
  bool dashed, band;
  bool markers = false;  // a dot swatch: the series is drawn as dots
};
inline std::vector<LegendEntry> legend_entries(const PlotFigure& f) {
  std::vector<LegendEntry> entries;
  for (const PlotSeries& s : f.series) {
    if (s.visible && !s.name.empty()) entries.push_back({s.name, s.color, s.dashed, false, s.markers});
  }
  for (const PlotBand& b : f.bands) {
    if (b.visible && !b.name.empty()) entries.push_back({b.name, b.color, false, true});
  }
  return entries;
}

// Legend box in the corner of the plot area where it hides the least data (place_legend).
struct LegendBox {
  double x, y, w, h, row, swatch, pad;
};
inline LegendBox legend_box(const PlotLayout& L, const std::vector<LegendEntry>& entries, const PlotFigure& figure,
                            const PlotView& view) {
  const double s = L.scale, pad = 6 * s, swatch = 22 * s, row = L.tick_font * 1.45;
  double text_w = 0;
  for (const LegendEntry& e : entries) text_w = std::max(text_w, text_width_estimate(e.name, L.tick_font));
  const double w = pad + swatch + pad + text_w + pad, h = pad + row * entries.size() + pad * 0.5;
  const PixelRect box = place_legend(figure, view, L.plot, w, h, 8 * s);
  return {box.x, box.y, w, h, row, swatch, pad};
}

// A small downward triangle with its tip on `p` (a zero mark on the bottom edge of a log plot), size in pixels.
inline std::vector<PixelPoint> zero_mark_triangle(PixelPoint p, double size) {
  return {{p.x - size, p.y - 1.7 * size}, {p.x + size, p.y - 1.7 * size}, {p.x, p.y}};
}
constexpr const char* kZeroNote = "\u25BC = exactly 0";

inline PixelRect inflate(const PixelRect& r, double by) {
  return {r.x - by, r.y - by, r.w + 2 * by, r.h + 2 * by};
}

// Screen x of an interval end, infinite ends clamped just outside the plot area.
inline double interval_px(const PlotView& view, const PixelRect& plot, double x) {
  if (x == -kInf) return plot.x - 1;
  if (x == kInf) return plot.x + plot.w + 1;
  return std::clamp(to_pixel(view, plot, x, view.y0).x, plot.x - 1, plot.x + plot.w + 1);
}
}  // namespace plot_style
}  // namespace uhop
