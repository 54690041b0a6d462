// Series and bands as clipped pixel paths, dashes, and the layout (plot area, ticks, font sizes) of a figure of a
// given size: the geometry every file renderer shares.
#include <algorithm>
#include <cmath>

#include "plot_figure.h"
#include "plot_style.h"

namespace uhop {
using namespace plot_style;

// Geometry

namespace {
bool inside(const PixelRect& r, PixelPoint p) {
  return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
}

// Liang-Barsky: the parameter interval [t0, t1] of a->b inside r; false when the segment misses it.
bool clip_segment(const PixelRect& r, PixelPoint a, PixelPoint b, double& t0, double& t1) {
  t0 = 0, t1 = 1;
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {a.x - r.x, r.x + r.w - a.x, a.y - r.y, r.y + r.h - a.y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0) {
      if (t > t1) return false;
      t0 = std::max(t0, t);
    } else {
      if (t < t0) return false;
      t1 = std::min(t1, t);
    }
  }
  return true;
}

PixelPoint lerp(PixelPoint a, PixelPoint b, double t) {
  return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
}

// Sutherland-Hodgman against one edge of the rectangle at a time.
std::vector<PixelPoint> clip_polygon(std::vector<PixelPoint> poly, const PixelRect& r) {
  const auto clip_edge = [&](auto in, auto cross) {
    std::vector<PixelPoint> out;
    for (size_t i = 0; i < poly.size(); ++i) {
      const PixelPoint a = poly[i], b = poly[(i + 1) % poly.size()];
      const bool ia = in(a), ib = in(b);
      if (ia) out.push_back(a);
      if (ia != ib) out.push_back(cross(a, b));
    }
    poly.swap(out);
  };
  const double x0 = r.x, x1 = r.x + r.w, y0 = r.y, y1 = r.y + r.h;
  const auto at_x = [](PixelPoint a, PixelPoint b, double x) { return lerp(a, b, (x - a.x) / (b.x - a.x)); };
  const auto at_y = [](PixelPoint a, PixelPoint b, double y) { return lerp(a, b, (y - a.y) / (b.y - a.y)); };
  clip_edge([&](PixelPoint p) { return p.x >= x0; }, [&](PixelPoint a, PixelPoint b) { return at_x(a, b, x0); });
  clip_edge([&](PixelPoint p) { return p.x <= x1; }, [&](PixelPoint a, PixelPoint b) { return at_x(a, b, x1); });
  clip_edge([&](PixelPoint p) { return p.y >= y0; }, [&](PixelPoint a, PixelPoint b) { return at_y(a, b, y0); });
  clip_edge([&](PixelPoint p) { return p.y <= y1; }, [&](PixelPoint a, PixelPoint b) { return at_y(a, b, y1); });
  return poly;
}

bool valid(PixelPoint p) {
  return finite(p.x) && finite(p.y);
}
}  // namespace

std::vector<std::vector<PixelPoint>> series_paths(const PlotSeries& series, const PlotView& view, const PixelRect& rect,
                                                  const PixelRect& clip) {
  std::vector<std::vector<PixelPoint>> paths;
  std::vector<PixelPoint> cur;
  const auto flush = [&] {
    if (!cur.empty()) paths.push_back(std::move(cur));
    cur.clear();
  };
  bool have_prev = false;
  PixelPoint prev;
  const size_t n = std::min(series.x.size(), series.y.size());
  for (size_t i = 0; i < n; ++i) {
    const PixelPoint p = to_pixel(view, rect, series.x[i], series.y[i]);
    if (!valid(p)) {
      flush();
      have_prev = false;
      continue;
    }
    if (!have_prev) {
      if (inside(clip, p)) cur.push_back(p);
    } else {
      double t0, t1;
      if (!clip_segment(clip, prev, p, t0, t1)) {
        flush();
      } else {
        if (cur.empty()) cur.push_back(t0 > 0 ? lerp(prev, p, t0) : prev);
        cur.push_back(t1 < 1 ? lerp(prev, p, t1) : p);
        if (t1 < 1) flush();
      }
    }
    prev = p, have_prev = true;
  }
  flush();
  return paths;
}

std::vector<PixelPoint> thin_to_pixel_columns(const std::vector<PixelPoint>& path) {
  if (path.size() <= kThinAbove) return path;
  std::vector<PixelPoint> out;
  out.reserve(4096);
  size_t i = 0;
  while (i < path.size()) {
    // A run of consecutive points in one pixel column: its first, lowest, highest and last point, in their order.
    const double column = std::floor(path[i].x);
    size_t end = i + 1, lo = i, hi = i;
    for (; end < path.size() && std::floor(path[end].x) == column; ++end) {
      if (path[end].y < path[lo].y) lo = end;
      if (path[end].y > path[hi].y) hi = end;
    }
    size_t keep[4] = {i, std::min(lo, hi), std::max(lo, hi), end - 1};
    for (int k = 0; k < 4; ++k)
      if (k == 0 || keep[k] != keep[k - 1]) out.push_back(path[keep[k]]);
    i = end;
  }
  return out;
}

std::vector<PixelPoint> series_points(const PlotSeries& series, const PlotView& view, const PixelRect& rect,
                                      const PixelRect& clip) {
  std::vector<PixelPoint> points;
  const size_t n = std::min(series.x.size(), series.y.size());
  for (size_t i = 0; i < n; ++i) {
    const PixelPoint p = to_pixel(view, rect, series.x[i], series.y[i]);
    if (valid(p) && inside(clip, p)) points.push_back(p);
  }
  return points;
}

std::vector<std::vector<PixelPoint>> band_polygons(const PlotBand& band, const PlotView& view, const PixelRect& rect,
                                                   const PixelRect& clip) {
  std::vector<std::vector<PixelPoint>> polys;
  std::vector<PixelPoint> hi, lo;
  const auto flush = [&] {
    if (hi.size() >= 2) {
      hi.insert(hi.end(), lo.rbegin(), lo.rend());
      std::vector<PixelPoint> poly = clip_polygon(std::move(hi), clip);
      if (poly.size() >= 3) polys.push_back(std::move(poly));
    }
    hi.clear(), lo.clear();
  };
  const size_t n = std::min({band.x.size(), band.lo.size(), band.hi.size()});
  for (size_t i = 0; i < n; ++i) {
    const PixelPoint a = to_pixel(view, rect, band.x[i], band.hi[i]), b = to_pixel(view, rect, band.x[i], band.lo[i]);
    if (!valid(a) || !valid(b)) {
      flush();
      continue;
    }
    hi.push_back(a), lo.push_back(b);
  }
  flush();
  return polys;
}

std::vector<PixelPoint> zero_marks(const PlotSeries& series, const PlotView& view, const PixelRect& rect) {
  std::vector<PixelPoint> marks;
  if (!view.log_y || !series.visible) return marks;
  const size_t n = std::min(series.x.size(), series.y.size());
  const double lo = std::min(view.x0, view.x1), hi = std::max(view.x0, view.x1);
  for (size_t i = 0; i < n; ++i) {
    if (series.y[i] != 0 || !finite(series.x[i]) || series.x[i] < lo || series.x[i] > hi) continue;
    const double x = to_pixel(view, rect, series.x[i], 1.0).x;
    if (finite(x)) marks.push_back({x, rect.y + rect.h});  // x <= 0 on a log x axis has no place
  }
  return marks;
}

PixelRect place_legend(const PlotFigure& figure, const PlotView& view, const PixelRect& plot, double w, double h,
                       double margin) {
  const double left = plot.x + margin, right = plot.x + plot.w - w - margin;
  const double top = plot.y + margin, bottom = plot.y + plot.h - h - margin;
  const PixelRect corners[4] = {{right, top, w, h}, {left, top, w, h}, {right, bottom, w, h}, {left, bottom, w, h}};
  int hits[4] = {0, 0, 0, 0};
  const auto count = [&](PixelPoint p) {
    for (int k = 0; k < 4; ++k) hits[k] += inside(corners[k], p);
  };
  // Lines are sampled every 3 pixels so a segment that crosses a box without a sample inside still counts.
  const auto count_path = [&](const std::vector<PixelPoint>& path) {
    for (size_t i = 0; i < path.size(); ++i) {
      count(path[i]);
      if (i == 0) continue;
      const double len = std::hypot(path[i].x - path[i - 1].x, path[i].y - path[i - 1].y);
      const int pieces = std::min(2000, static_cast<int>(len / 3));
      for (int k = 1; k < pieces; ++k) count(lerp(path[i - 1], path[i], static_cast<double>(k) / pieces));
    }
  };
  for (const PlotSeries& s : figure.series) {
    if (!s.visible) continue;
    for (const auto& path : series_paths(s, view, plot, plot)) count_path(path);
    for (const PixelPoint& p : zero_marks(s, view, plot)) count(p);
  }
  for (const PlotBand& b : figure.bands) {
    if (!b.visible) continue;
    for (const auto& poly : band_polygons(b, view, plot, plot)) count_path(poly);
  }
  int best = 0;
  for (int k = 1; k < 4; ++k) {
    if (hits[k] < hits[best]) best = k;
  }
  return corners[best];
}

std::vector<std::vector<PixelPoint>> dash_paths(const std::vector<std::vector<PixelPoint>>& paths, double on,
                                                double off) {
  if (!(on > 0) || !(off > 0)) return paths;
  std::vector<std::vector<PixelPoint>> dashes;
  for (const auto& path : paths) {
    bool drawing = true;
    double left = on;  // length left in the current dash or gap
    std::vector<PixelPoint> cur;
    if (!path.empty()) cur.push_back(path[0]);
    for (size_t i = 1; i < path.size(); ++i) {
      PixelPoint a = path[i - 1];
      const PixelPoint b = path[i];
      double len = std::hypot(b.x - a.x, b.y - a.y);
      while (len > left) {
        const PixelPoint m = lerp(a, b, left / len);
        if (drawing) {
          cur.push_back(m);
          dashes.push_back(std::move(cur));
          cur.clear();
        } else {
          cur = {m};
        }
        len -= left, a = m;
        drawing = !drawing;
        left = drawing ? on : off;
      }
      left -= len;
      if (drawing) cur.push_back(b);
    }
    if (drawing && cur.size() >= 2) dashes.push_back(std::move(cur));
  }
  return dashes;
}

// ---------------------------------------------------------------------------------------------------------------
// Layout shared by every file export (text widths estimated: see plot_style.h).

namespace {
double widest(const std::vector<PlotTick>& ticks, double font) {
  double w = 0;
  for (const PlotTick& t : ticks) w = std::max(w, text_width_estimate(t.label, font));
  return w;
}
}  // namespace

PlotLayout plot_layout(const PlotFigure& figure, const PlotView& view, double width, double height, double scale,
                       double font_scale) {
  PlotLayout L;
  const double s = scale, fs = std::clamp(std::isfinite(font_scale) ? font_scale : 1.0, 0.25, 8.0);
  L.width = width * s, L.height = height * s, L.scale = s;
  L.tick_font = 11 * s * fs, L.label_font = 12 * s * fs, L.title_font = 14 * s * fs;
  const double top = figure.title.empty() ? 12 * s : L.title_font * 2.1;
  const double bottom = 8 * s + L.tick_font * 1.2 + 6 * s + (figure.x_label.empty() ? 0 : L.label_font * 1.6);
  const double plot_h = std::max(1.0, L.height - top - bottom);
  const int y_count = std::clamp(static_cast<int>(plot_h / (L.tick_font * 3)), 2, 10);
  L.y_ticks = axis_ticks(view.y0, view.y1, view.log_y, y_count);
  const double left =
      8 * s + (figure.y_label.empty() ? 0 : L.label_font * 1.6) + widest(L.y_ticks, L.tick_font) + 8 * s;
  // The last x label may hang over the right edge of the plot area by half its width.
  double plot_w = std::max(1.0, L.width - left - 16 * s);
  for (int n = 12; n >= 2; --n) {
    L.x_ticks = axis_ticks(view.x0, view.x1, view.log_x, n);
    const double w = widest(L.x_ticks, L.tick_font);
    if (L.x_ticks.size() * (w + 2 * L.tick_font) <= plot_w) break;
  }
  const double right = std::max(16 * s, 0.5 * widest(L.x_ticks, L.tick_font) + 4 * s);
  plot_w = std::max(1.0, L.width - left - right);
  L.plot = {std::round(left), std::round(top), std::round(plot_w), std::round(plot_h)};
  return L;
}

}  // namespace uhop
