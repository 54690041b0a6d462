// What goes where in a file export, written once for every format: the line figure and the heatmap figure drawn
// through a PlotPainter (plot_painter.h). Also the themes' colours, the colormap and the heatmap's layout.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "plot_painter.h"
#include "plot_style.h"

namespace uhop {
using namespace plot_style;

PlotColors plot_colors(PlotTheme theme) {
  if (theme == PlotTheme::dark) {
    return {0x17171c, 0xe8e8ec, 0xc4c4cc, 0x9a9aa6, 0x33333d, 0xb0b0b8, 0x23232b, 0x55555f, 0xb8b8c0, 0.9};
  }
  return {0xffffff,     kTextColor, kTickTextColor, kFrameColor, kGridColor,
          kMarkerColor, 0xffffff,   kLegendBorder,  0x555555,    0.88};
}

// ---------------------------------------------------------------------------------------------------------------
// The line figure

void draw_plot(PlotPainter& p, const PlotFigure& figure, const PlotView& view, const PlotLayout& L,
               const PlotColors& c) {
  const PixelRect& P = L.plot;
  const double s = L.scale;
  const PixelRect clip = inflate(P, 4 * s);
  p.fill_rect({0, 0, L.width, L.height}, c.background);

  // Shaded intervals, grid, bands, series, marker and interval labels: all clipped to the plot area.
  p.begin_clip(P);
  for (const PlotInterval& iv : figure.intervals) {
    const double a = interval_px(view, P, iv.x0), b = interval_px(view, P, iv.x1);
    if (b > a) p.fill_rect({a, P.y, b - a, P.h}, iv.color, kIntervalOpacity);
  }
  for (const PlotTick& t : L.x_ticks) {
    const double x = to_pixel(view, P, t.value, view.y0).x;
    p.line({x, P.y}, {x, P.y + P.h}, c.grid, s);
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = to_pixel(view, P, view.x0, t.value).y;
    p.line({P.x, y}, {P.x + P.w, y}, c.grid, s);
  }
  for (const PlotBand& b : figure.bands) {
    if (!b.visible) continue;
    for (const auto& poly : band_polygons(b, view, P, clip)) p.polygon(poly, b.color, kBandOpacity);
  }
  for (const PlotSeries& ser : figure.series) {
    if (!ser.visible) continue;
    if (ser.markers) {
      for (const PixelPoint& pt : series_points(ser, view, P, clip)) p.dot(pt, kMarkerRadius * s, ser.color);
      continue;
    }
    for (const auto& full : series_paths(ser, view, P, clip)) {
      const std::vector<PixelPoint> path = thin_to_pixel_columns(full);
      if (path.size() == 1) {  // an isolated sample between gaps would otherwise be invisible
        p.dot(path[0], kSeriesWidth * s, ser.color);
      } else {
        p.polyline(path, ser.color, kSeriesWidth * s, ser.dashed ? kDashOn * s : 0, ser.dashed ? kDashOff * s : 0);
      }
    }
  }
  bool any_zero = false;  // exact zeros on a log axis: marks on the bottom edge and a note saying what they mean
  for (const PlotSeries& ser : figure.series) {
    for (const PixelPoint& m : zero_marks(ser, view, P)) {
      p.polygon(zero_mark_triangle(m, 4 * s), ser.color, 1);
      any_zero = true;
    }
  }
  if (any_zero) {
    p.text(kZeroNote, {P.x + 4 * s, P.y + L.tick_font * 1.1}, L.tick_font * 0.9, c.interval_text, TextAnchor::start);
  }
  if (finite(figure.marker_x)) {
    const double x = to_pixel(view, P, figure.marker_x, view.y0).x;
    p.line({x, P.y}, {x, P.y + P.h}, c.marker, 1.25 * s);
  }
  for (const PlotInterval& iv : figure.intervals) {
    const double a = interval_px(view, P, iv.x0), b = interval_px(view, P, iv.x1);
    if (!(b > a) || iv.label.empty() || a >= P.x + P.w) continue;
    p.text(iv.label, {std::max(a, P.x) + 4 * s, P.y + P.h - 5 * s}, L.tick_font * 0.9, c.interval_text,
           TextAnchor::start);
  }
  p.end_clip();

  // Frame, tick marks, tick labels, axis labels, title.
  p.stroke_rect(P, c.frame, s);
  for (const PlotTick& t : L.x_ticks) {
    const double x = to_pixel(view, P, t.value, view.y0).x;
    p.line({x, P.y + P.h}, {x, P.y + P.h + kTickLength * s}, c.frame, s);
    p.text(t.label, {x, P.y + P.h + (kTickLength + 3) * s + L.tick_font * 0.8}, L.tick_font, c.tick_text,
           TextAnchor::middle);
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = to_pixel(view, P, view.x0, t.value).y;
    p.line({P.x - kTickLength * s, y}, {P.x, y}, c.frame, s);
    p.text(t.label, {P.x - (kTickLength + 3) * s, y + L.tick_font * 0.36}, L.tick_font, c.tick_text, TextAnchor::end);
  }
  if (!figure.x_label.empty()) {
    p.text(figure.x_label, {P.x + P.w / 2, L.height - 8 * s}, L.label_font, c.text, TextAnchor::middle);
  }
  if (!figure.y_label.empty()) {
    p.text(figure.y_label, {8 * s + L.label_font * 0.85, P.y + P.h / 2}, L.label_font, c.text, TextAnchor::middle,
           true);
  }
  if (!figure.title.empty()) {
    p.text(figure.title, {P.x + P.w / 2, L.title_font * 1.35}, L.title_font, c.text, TextAnchor::middle);
  }

  // Legend in the top-right corner of the plot area.
  const std::vector<LegendEntry> entries = legend_entries(figure);
  if (entries.empty()) return;
  const LegendBox B = legend_box(L, entries, figure, view);
  p.fill_rect({B.x, B.y, B.w, B.h}, c.legend_fill, c.legend_opacity);
  p.stroke_rect({B.x, B.y, B.w, B.h}, c.legend_border, s);
  for (size_t i = 0; i < entries.size(); ++i) {
    const LegendEntry& e = entries[i];
    const double cy = B.y + B.pad + B.row * (i + 0.5), x0 = B.x + B.pad;
    if (e.band) {
      p.fill_rect({x0, cy - 5 * s, B.swatch, 10 * s}, e.color, kBandOpacity * 1.5);
    } else if (e.markers) {
      p.dot({x0 + B.swatch / 2, cy}, kMarkerRadius * s, e.color);
    } else {
      p.line({x0, cy}, {x0 + B.swatch, cy}, e.color, kSeriesWidth * s, e.dashed ? kDashOn * s : 0,
             e.dashed ? kDashOff * s : 0);
    }
    p.text(e.name, {x0 + B.swatch + B.pad, cy + L.tick_font * 0.36}, L.tick_font, c.text, TextAnchor::start);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The colormap and the heatmap figure

namespace {
// The stops of shaders/colormap.frag (a viridis-like ramp).
const double kStops[9][3] = {{0.267, 0.005, 0.329}, {0.278, 0.173, 0.478}, {0.231, 0.322, 0.545},
                             {0.173, 0.447, 0.557}, {0.129, 0.569, 0.549}, {0.153, 0.678, 0.506},
                             {0.369, 0.788, 0.384}, {0.667, 0.863, 0.196}, {0.993, 0.906, 0.144}};

std::vector<PlotTick> ticks_for(double lo, double hi, int max_count) {
  return axis_ticks(lo, hi, false, max_count);
}

double widest_label(const std::vector<PlotTick>& ticks, double font) {
  double w = 0;
  for (const PlotTick& t : ticks) w = std::max(w, text_width_estimate(t.label, font));
  return w;
}

// Pixel position of an axis value inside [start, start + length] for the value range [v0, v1].
double along(double v, double v0, double v1, double start, double length) {
  return v1 == v0 ? start + length / 2 : start + (v - v0) / (v1 - v0) * length;
}
}  // namespace

void colormap_rgb(double t, uint8_t rgb[3]) {
  t = std::isfinite(t) ? std::clamp(t, 0.0, 1.0) * 8 : 0;
  const int i = std::min(static_cast<int>(t), 7);
  const double f = t - i;
  for (int k = 0; k < 3; ++k)
    rgb[k] = static_cast<uint8_t>(std::lround(255 * (kStops[i][k] * (1 - f) + kStops[i + 1][k] * f)));
}

uint32_t colormap_hex(double t) {
  uint8_t c[3];
  colormap_rgb(t, c);
  return (uint32_t(c[0]) << 16) | (uint32_t(c[1]) << 8) | c[2];
}

double heatmap_t(const HeatmapFigure& f, double value) {
  if (!(f.hi != f.lo) || !finite(f.hi - f.lo)) return 0.5;
  return std::clamp((value - f.lo) / (f.hi - f.lo), 0.0, 1.0);
}

std::vector<uint8_t> heatmap_cells_rgba(const HeatmapFigure& f) {
  const size_t n = static_cast<size_t>(std::max(0, f.rows)) * std::max(0, f.cols);
  std::vector<uint8_t> rgba(n * 4, 0);
  for (size_t k = 0; k < n && k < f.values.size(); ++k) {
    if (std::isnan(f.values[k])) continue;  // transparent: the background shows through
    colormap_rgb(heatmap_t(f, f.values[k]), &rgba[k * 4]);
    rgba[k * 4 + 3] = 255;
  }
  return rgba;
}

HeatmapLayout heatmap_layout(const HeatmapFigure& f, double width, double height, double font_scale) {
  HeatmapLayout L;
  const double fs = std::clamp(std::isfinite(font_scale) ? font_scale : 1.0, 0.25, 8.0);
  L.width = width, L.height = height;
  L.tick_font = 11 * fs, L.label_font = 12 * fs, L.title_font = 14 * fs;
  const double top = f.title.empty() ? 12 : L.title_font * 2.1;
  const double bottom = 8 + L.tick_font * 1.2 + 6 + (f.x_label.empty() ? 0 : L.label_font * 1.6);
  const double avail_h = std::max(1.0, height - top - bottom);
  const int count = std::clamp(static_cast<int>(avail_h / (L.tick_font * 3)), 2, 10);
  L.y_ticks = ticks_for(std::min(f.y0, f.y1), std::max(f.y0, f.y1), count);
  L.bar_ticks = ticks_for(std::min(f.lo, f.hi), std::max(f.lo, f.hi), std::clamp(count, 2, 8));
  const double left = 8 + (f.y_label.empty() ? 0 : L.label_font * 1.6) + widest_label(L.y_ticks, L.tick_font) + 8;
  const double bar_w = 14, bar_gap = 16;
  const double right = bar_gap + bar_w + kTickLength + 3 + widest_label(L.bar_ticks, L.tick_font) + 8 +
                       (f.value_label.empty() ? 0 : L.label_font * 1.6) + 8;
  const double avail_w = std::max(1.0, width - left - right);
  const int rows = std::max(1, f.rows), cols = std::max(1, f.cols);
  const double cell = std::min(avail_w / cols, avail_h / rows);  // square cells
  const double cw = cell * cols, ch = cell * rows;
  const double x = left + (avail_w - cw) / 2, y = top + (avail_h - ch) / 2;
  L.cells = {x, y, cw, ch};
  L.colorbar = {x + cw + bar_gap, y, bar_w, ch};
  const int x_count = std::clamp(static_cast<int>(cw / (L.tick_font * 4)), 2, 10);
  L.x_ticks = ticks_for(std::min(f.x0, f.x1), std::max(f.x0, f.x1), x_count);
  return L;
}

// Overlay lines in axis coordinates, split where a sample is not finite, clipped to the cells.
void draw_heatmap_overlays(PlotPainter& p, const HeatmapFigure& f, const PixelRect& C) {
  if (f.overlays.empty()) return;
  p.begin_clip(C);
  for (const PlotSeries& s : f.overlays) {
    if (!s.visible) continue;
    std::vector<PixelPoint> run;
    auto flush = [&] {
      if (run.size() > 1) p.polyline(run, s.color, 2, s.dashed ? 6 : 0, s.dashed ? 4 : 0);
      run.clear();
    };
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
        flush();
        continue;
      }
      run.push_back({along(s.x[i], f.x0, f.x1, C.x, C.w), along(s.y[i], f.y0, f.y1, C.y, C.h)});
    }
    flush();
  }
  p.end_clip();
}

void draw_heatmap(PlotPainter& p, const HeatmapFigure& f, const HeatmapLayout& L, const PlotColors& c) {
  const PixelRect& C = L.cells;
  const PixelRect& B = L.colorbar;
  p.fill_rect({0, 0, L.width, L.height}, c.background);
  if (f.rows > 0 && f.cols > 0) p.image(C, f.cols, f.rows, heatmap_cells_rgba(f));
  draw_heatmap_overlays(p, f, C);
  p.stroke_rect(C, c.frame, 1);
  for (const PlotTick& t : L.x_ticks) {
    const double x = along(t.value, f.x0, f.x1, C.x, C.w);
    p.line({x, C.y + C.h}, {x, C.y + C.h + kTickLength}, c.frame, 1);
    p.text(t.label, {x, C.y + C.h + kTickLength + 3 + L.tick_font * 0.8}, L.tick_font, c.tick_text, TextAnchor::middle);
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = along(t.value, f.y0, f.y1, C.y, C.h);
    p.line({C.x - kTickLength, y}, {C.x, y}, c.frame, 1);
    p.text(t.label, {C.x - kTickLength - 3, y + L.tick_font * 0.36}, L.tick_font, c.tick_text, TextAnchor::end);
  }

  // The colorbar: 256 steps from hi (top) to lo (bottom), ticks with values on its right.
  std::vector<uint8_t> ramp(256 * 4);
  for (int i = 0; i < 256; ++i) {
    colormap_rgb(1.0 - i / 255.0, &ramp[i * 4]);
    ramp[i * 4 + 3] = 255;
  }
  p.image(B, 1, 256, ramp);
  p.stroke_rect(B, c.frame, 1);
  double label_right = B.x + B.w;
  for (const PlotTick& t : L.bar_ticks) {
    const double y = along(t.value, f.hi, f.lo, B.y, B.h);  // hi at the top
    p.line({B.x + B.w, y}, {B.x + B.w + kTickLength, y}, c.frame, 1);
    const PixelPoint at{B.x + B.w + kTickLength + 3, y + L.tick_font * 0.36};
    p.text(t.label, at, L.tick_font, c.tick_text, TextAnchor::start);
    label_right = std::max(label_right, at.x + text_width_estimate(t.label, L.tick_font));
  }
  if (!f.value_label.empty()) {
    p.text(f.value_label, {label_right + 8 + L.label_font * 0.85, B.y + B.h / 2}, L.label_font, c.text,
           TextAnchor::middle, true);
  }
  if (!f.x_label.empty()) p.text(f.x_label, {C.x + C.w / 2, L.height - 8}, L.label_font, c.text, TextAnchor::middle);
  if (!f.y_label.empty()) {
    p.text(f.y_label, {8 + L.label_font * 0.85, C.y + C.h / 2}, L.label_font, c.text, TextAnchor::middle, true);
  }
  if (!f.title.empty()) p.text(f.title, {L.width / 2, L.title_font * 1.35}, L.title_font, c.text, TextAnchor::middle);
}

void write_heatmap_csv(std::ostream& out, const HeatmapFigure& f) {
  char buf[40];
  for (int r = 0; r < f.rows; ++r) {
    for (int k = 0; k < f.cols; ++k) {
      const size_t i = static_cast<size_t>(r) * f.cols + k;
      std::snprintf(buf, sizeof buf, "%.17g", i < f.values.size() ? f.values[i] : kPlotNaN);
      out << (k ? "," : "") << buf;
    }
    out << '\n';
  }
}
}  // namespace uhop
