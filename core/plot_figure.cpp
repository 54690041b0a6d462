#include "plot_figure.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <ostream>
#include <sstream>

// stb_easy_font is header-only with static functions we do not all use.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb_easy_font.h>
#pragma GCC diagnostic pop
#include <stb_image_write.h>
#include <stb_truetype.h>

#include "atomic_file.h"
#include "input_error.h"

namespace uhop {
namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
// Relative tolerance for "this tick is on the boundary" so rounding never drops an end tick.
constexpr double kTickEps = 1e-9;

bool finite(double v) {
  return std::isfinite(v);
}

// 10^e as the correctly rounded double (division by an exact power of ten beats multiplying by 10^-e).
double pow10i(int e) {
  return e >= 0 ? std::pow(10.0, e) : 1.0 / std::pow(10.0, -e);
}

bool is_hidden(const std::vector<std::string>& hidden, const std::string& name) {
  return std::find(hidden.begin(), hidden.end(), name) != hidden.end();
}

// Axis value of y: log10 on a log axis (NaN for y <= 0).
double axis_y(double y, bool log_y) {
  if (!log_y) return y;
  return y > 0 ? std::log10(y) : kPlotNaN;
}
double data_y(double ay, bool log_y) {
  return log_y ? std::pow(10.0, ay) : ay;
}

// A nice step written as mantissa (1, 2 or 5) times 10^exponent, so tick values can be formed exactly.
struct Step {
  double mantissa = 1;
  int exponent = 0;
  double value() const { return exponent >= 0 ? mantissa * pow10i(exponent) : mantissa / pow10i(-exponent); }
  double tick(double k) const {
    return exponent >= 0 ? k * mantissa * pow10i(exponent) : k * mantissa / pow10i(-exponent);
  }
};

double ticks_in(double lo, double hi, double step) {
  return std::floor(hi / step + kTickEps) - std::ceil(lo / step - kTickEps) + 1;
}

Step find_step(double lo, double hi, int max_count) {
  max_count = std::max(1, max_count);
  const double span = hi - lo;
  if (!(span > 0)) {
    const double mag = lo != 0 ? std::fabs(lo) : 1.0;
    return Step{1, static_cast<int>(std::floor(std::log10(mag)))};
  }
  int exponent = static_cast<int>(std::floor(std::log10(span / max_count)));
  for (int round = 0; round < 4; ++round, ++exponent) {
    for (double mantissa : {1.0, 2.0, 5.0}) {
      const Step s{mantissa, exponent};
      if (ticks_in(lo, hi, s.value()) <= max_count) return s;
    }
  }
  return Step{1, exponent};
}
}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Ticks

double nice_step(double lo, double hi, int max_count) {
  if (!finite(lo) || !finite(hi)) return kPlotNaN;
  if (hi < lo) std::swap(lo, hi);
  return find_step(lo, hi, max_count).value();
}

std::vector<double> nice_ticks(double lo, double hi, int max_count) {
  if (!finite(lo) || !finite(hi)) return {};
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) return {lo};
  const Step step = find_step(lo, hi, max_count);
  const double s = step.value();
  const double k0 = std::ceil(lo / s - kTickEps), k1 = std::floor(hi / s + kTickEps);
  std::vector<double> ticks;
  for (double k = k0; k <= k1 && ticks.size() < 1000; ++k) ticks.push_back(k == 0 ? 0.0 : step.tick(k));
  return ticks;
}

std::vector<double> log_ticks(double lo, double hi, int max_count) {
  if (!(lo > 0) || !(hi > 0) || !finite(lo) || !finite(hi)) return {};
  if (hi < lo) std::swap(lo, hi);
  max_count = std::max(2, max_count);
  const double l0 = std::log10(lo), l1 = std::log10(hi);
  const int d0 = static_cast<int>(std::ceil(l0 - kTickEps)), d1 = static_cast<int>(std::floor(l1 + kTickEps));
  const auto inside = [&](double v) { return v >= lo * (1 - kTickEps) && v <= hi * (1 + kTickEps); };
  std::vector<double> ticks;
  const int decades = d1 - d0 + 1;
  const int every = decades > max_count ? (decades + max_count - 1) / max_count : 1;
  for (int d = d0; d <= d1; ++d) {
    if (((d % every) + every) % every == 0) ticks.push_back(pow10i(d));
  }
  if (l1 - l0 < 3) {  // few decades: 2x and 5x fill the gaps
    for (int d = d0 - 1; d <= d1; ++d) {
      for (double m : {2.0, 5.0}) {
        const double v = d >= 0 ? m * pow10i(d) : m / pow10i(-d);
        if (inside(v)) ticks.push_back(v);
      }
    }
    std::sort(ticks.begin(), ticks.end());
  }
  if (ticks.size() < 2) {  // inside one decade: plain ticks read better than a single power of ten
    ticks.clear();
    for (double v : nice_ticks(lo, hi, std::min(max_count, 6))) {
      if (v > 0) ticks.push_back(v);
    }
  }
  return ticks;
}

std::string format_tick(double value, double step) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  step = std::fabs(step);
  if (!(step > 0) || !finite(step)) step = value != 0 ? std::fabs(value) : 1;
  if (std::fabs(value) < step * kTickEps) return "0";
  char buf[64];
  const double magnitude = std::max(std::fabs(value), step);
  if (step >= 1e-4 && magnitude < 1e6) {
    const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - kTickEps)));
    std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 17), value);
    return buf;
  }
  int exponent = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  const int step_exponent = static_cast<int>(std::floor(std::log10(step) + kTickEps));
  const int digits = std::clamp(exponent - step_exponent, 0, 15);
  double mantissa = value / std::pow(10.0, exponent);
  std::snprintf(buf, sizeof buf, "%.*f", digits, mantissa);
  if (std::fabs(std::atof(buf)) >= 10) {  // 9.99.. rounded up to 10: move into the next decade
    ++exponent;
    mantissa = value / std::pow(10.0, exponent);
    std::snprintf(buf, sizeof buf, "%.*f", std::max(0, digits - 1), mantissa);
  }
  return std::string(buf) + "e" + std::to_string(exponent);
}

// ---------------------------------------------------------------------------------------------------------------
// Fitting and view math

PlotView data_range(const PlotFigure& figure, const PlotFitOptions& options) {
  const bool log_y = options.log_y.value_or(figure.log_y);
  double xmin = kInf, xmax = -kInf, ymin = kInf, ymax = -kInf;
  const auto add = [&](double x, double y) {
    const double ay = axis_y(y, log_y);
    if (!finite(x) || !finite(ay) || x < options.x_min || x > options.x_max) return;
    xmin = std::min(xmin, x), xmax = std::max(xmax, x);
    ymin = std::min(ymin, ay), ymax = std::max(ymax, ay);
  };
  for (const PlotSeries& s : figure.series) {
    if (!s.visible || is_hidden(options.hidden, s.name)) continue;
    const size_t n = std::min(s.x.size(), s.y.size());
    for (size_t i = 0; i < n; ++i) add(s.x[i], s.y[i]);
  }
  for (const PlotBand& b : figure.bands) {
    if (!b.visible || is_hidden(options.hidden, b.name)) continue;
    const size_t n = std::min({b.x.size(), b.lo.size(), b.hi.size()});
    for (size_t i = 0; i < n; ++i) add(b.x[i], b.lo[i]), add(b.x[i], b.hi[i]);
  }
  PlotView view;
  view.log_y = log_y;
  if (xmin > xmax) {  // nothing to fit
    view.y0 = log_y ? 1 : 0, view.y1 = 10;
    if (!log_y) view.y1 = 1;
    return view;
  }
  // A zero span (one point, constant series) gets a span of its own: 20% of the value, a decade on log axes.
  const auto widen = [](double& lo, double& hi, double pad, double zero_span) {
    const double span = hi - lo;
    if (span > 0 && finite(span)) {
      lo -= span * pad, hi += span * pad;
    } else if (span == 0) {
      const double half = 0.5 * (zero_span > 0 ? zero_span : (lo != 0 ? 0.2 * std::fabs(lo) : 1.0));
      lo -= half, hi += half;
    }
  };
  widen(xmin, xmax, options.pad_x, 0);
  widen(ymin, ymax, options.pad_y, log_y ? 1.0 : 0);
  if (log_y) ymin = std::max(ymin, -300.0), ymax = std::min(ymax, 300.0);
  view.x0 = xmin, view.x1 = xmax;
  view.y0 = data_y(ymin, log_y), view.y1 = data_y(ymax, log_y);
  return view;
}

double last_x(const PlotFigure& figure, const std::vector<std::string>& hidden) {
  double last = -kInf;
  for (const PlotSeries& s : figure.series) {
    if (!s.visible || is_hidden(hidden, s.name)) continue;
    const size_t n = std::min(s.x.size(), s.y.size());
    for (size_t i = 0; i < n; ++i) {
      if (finite(s.x[i]) && finite(s.y[i])) last = std::max(last, s.x[i]);
    }
  }
  for (const PlotBand& b : figure.bands) {
    if (!b.visible || is_hidden(hidden, b.name)) continue;
    const size_t n = std::min({b.x.size(), b.lo.size(), b.hi.size()});
    for (size_t i = 0; i < n; ++i) {
      if (finite(b.x[i]) && (finite(b.lo[i]) || finite(b.hi[i]))) last = std::max(last, b.x[i]);
    }
  }
  return last == -kInf ? kPlotNaN : last;
}

PixelPoint to_pixel(const PlotView& view, const PixelRect& rect, double x, double y) {
  const double ay = axis_y(y, view.log_y), ay0 = axis_y(view.y0, view.log_y), ay1 = axis_y(view.y1, view.log_y);
  return {rect.x + (x - view.x0) / (view.x1 - view.x0) * rect.w, rect.y + rect.h - (ay - ay0) / (ay1 - ay0) * rect.h};
}

PixelPoint from_pixel(const PlotView& view, const PixelRect& rect, double px, double py) {
  const double ay0 = axis_y(view.y0, view.log_y), ay1 = axis_y(view.y1, view.log_y);
  const double ay = ay0 + (rect.y + rect.h - py) / rect.h * (ay1 - ay0);
  return {view.x0 + (px - rect.x) / rect.w * (view.x1 - view.x0), data_y(ay, view.log_y)};
}

PlotView pan_view(const PlotView& view, const PixelRect& rect, double dx_px, double dy_px) {
  PlotView v = view;
  if (rect.w > 0) {
    const double dx = -dx_px / rect.w * (view.x1 - view.x0);
    v.x0 += dx, v.x1 += dx;
  }
  if (rect.h > 0) {
    const double ay0 = axis_y(view.y0, view.log_y), ay1 = axis_y(view.y1, view.log_y);
    const double dy = dy_px / rect.h * (ay1 - ay0);
    v.y0 = data_y(ay0 + dy, view.log_y), v.y1 = data_y(ay1 + dy, view.log_y);
  }
  return v;
}

namespace {
// Scales [lo, hi] about `anchor`; refuses spans that would lose all precision or overflow.
void zoom_axis(double& lo, double& hi, double anchor, double factor) {
  if (!(factor > 0) || !finite(factor) || !finite(anchor)) return;
  const double nlo = anchor + (lo - anchor) * factor, nhi = anchor + (hi - anchor) * factor;
  const double span = nhi - nlo, scale = std::max({std::fabs(nlo), std::fabs(nhi), 1e-300});
  if (!finite(span) || span < scale * 1e-12 || span > 1e300) return;
  lo = nlo, hi = nhi;
}
}  // namespace

PlotView zoom_view(const PlotView& view, double anchor_x, double anchor_y, double factor_x, double factor_y) {
  PlotView v = view;
  zoom_axis(v.x0, v.x1, anchor_x, factor_x);
  double ay0 = axis_y(view.y0, view.log_y), ay1 = axis_y(view.y1, view.log_y);
  double anchor = axis_y(anchor_y, view.log_y);
  if (!finite(anchor)) anchor = 0.5 * (ay0 + ay1);
  zoom_axis(ay0, ay1, anchor, factor_y);
  if (view.log_y) ay0 = std::max(ay0, -300.0), ay1 = std::min(ay1, 300.0);
  v.y0 = data_y(ay0, view.log_y), v.y1 = data_y(ay1, view.log_y);
  return v;
}

PlotView follow_latest(const PlotView& view, const PlotFigure& figure, double pad,
                       const std::vector<std::string>& hidden) {
  const double last = last_x(figure, hidden);
  if (!finite(last)) return view;
  PlotView v = view;
  const double span = view.x1 - view.x0;
  v.x1 = last + pad * span;
  v.x0 = v.x1 - span;
  return v;
}

std::vector<HoverValue> hover_readout(const PlotFigure& figure, double x, double max_dx) {
  std::vector<HoverValue> out(figure.series.size());
  if (!finite(x)) return out;
  for (size_t k = 0; k < figure.series.size(); ++k) {
    const PlotSeries& s = figure.series[k];
    if (!s.visible) continue;
    const size_t n = std::min(s.x.size(), s.y.size());
    double best = kInf;
    size_t best_i = n;
    for (size_t i = 0; i < n; ++i) {
      const double d = std::fabs(s.x[i] - x);
      if (d < best) best = d, best_i = i;
    }
    if (best_i < n && best <= max_dx) out[k] = {s.x[best_i], s.y[best_i]};
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
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
// Layout shared by SVG and PNG. Text widths are estimated (0.6 em per character) rather than measured so both
// exports put the plot area in exactly the same place.

namespace {
size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
double text_width_estimate(const std::string& s, double font) {
  return 0.6 * font * utf8_length(s);
}

std::vector<PlotTick> make_ticks(double lo, double hi, bool log_axis, int max_count) {
  std::vector<PlotTick> ticks;
  if (log_axis) {
    for (double v : log_ticks(lo, hi, max_count)) ticks.push_back({v, format_tick(v, v)});
  } else {
    const double step = nice_step(lo, hi, max_count);
    for (double v : nice_ticks(lo, hi, max_count)) ticks.push_back({v, format_tick(v, step)});
  }
  return ticks;
}

double widest(const std::vector<PlotTick>& ticks, double font) {
  double w = 0;
  for (const PlotTick& t : ticks) w = std::max(w, text_width_estimate(t.label, font));
  return w;
}
}  // namespace

PlotLayout plot_layout(const PlotFigure& figure, const PlotView& view, double width, double height, double scale) {
  PlotLayout L;
  const double s = scale;
  L.width = width * s, L.height = height * s, L.scale = s;
  L.tick_font = 11 * s, L.label_font = 12 * s, L.title_font = 14 * s;
  const double top = figure.title.empty() ? 12 * s : L.title_font * 2.1;
  const double bottom = 8 * s + L.tick_font * 1.2 + 6 * s + (figure.x_label.empty() ? 0 : L.label_font * 1.6);
  const double plot_h = std::max(1.0, L.height - top - bottom);
  const int y_count = std::clamp(static_cast<int>(plot_h / (L.tick_font * 3)), 2, 10);
  L.y_ticks = make_ticks(view.y0, view.y1, view.log_y, y_count);
  const double left =
      8 * s + (figure.y_label.empty() ? 0 : L.label_font * 1.6) + widest(L.y_ticks, L.tick_font) + 8 * s;
  // The last x label may hang over the right edge of the plot area by half its width.
  double plot_w = std::max(1.0, L.width - left - 16 * s);
  for (int n = 12; n >= 2; --n) {
    L.x_ticks = make_ticks(view.x0, view.x1, false, n);
    const double w = widest(L.x_ticks, L.tick_font);
    if (L.x_ticks.size() * (w + 2 * L.tick_font) <= plot_w) break;
  }
  const double right = std::max(16 * s, 0.5 * widest(L.x_ticks, L.tick_font) + 4 * s);
  plot_w = std::max(1.0, L.width - left - right);
  L.plot = {std::round(left), std::round(top), std::round(plot_w), std::round(plot_h)};
  return L;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared styling

namespace {
constexpr uint32_t kTextColor = 0x222222, kTickTextColor = 0x444444, kFrameColor = 0x333333, kGridColor = 0xe4e4e4;
constexpr uint32_t kMarkerColor = 0x666666, kLegendBorder = 0xcccccc;
constexpr double kSeriesWidth = 1.75, kDashOn = 6, kDashOff = 4, kBandOpacity = 0.22, kIntervalOpacity = 0.13;
constexpr double kTickLength = 4;

struct LegendEntry {
  std::string name;
  uint32_t color;
  bool dashed, band;
};
std::vector<LegendEntry> legend_entries(const PlotFigure& f) {
  std::vector<LegendEntry> entries;
  for (const PlotSeries& s : f.series) {
    if (s.visible && !s.name.empty()) entries.push_back({s.name, s.color, s.dashed, false});
  }
  for (const PlotBand& b : f.bands) {
    if (b.visible && !b.name.empty()) entries.push_back({b.name, b.color, false, true});
  }
  return entries;
}

// Legend box in the top-right corner of the plot area.
struct LegendBox {
  double x, y, w, h, row, swatch, pad;
};
LegendBox legend_box(const PlotLayout& L, const std::vector<LegendEntry>& entries) {
  const double s = L.scale, pad = 6 * s, swatch = 22 * s, row = L.tick_font * 1.45;
  double text_w = 0;
  for (const LegendEntry& e : entries) text_w = std::max(text_w, text_width_estimate(e.name, L.tick_font));
  const double w = pad + swatch + pad + text_w + pad, h = pad + row * entries.size() + pad * 0.5;
  return {L.plot.x + L.plot.w - w - 8 * s, L.plot.y + 8 * s, w, h, row, swatch, pad};
}

PixelRect inflate(const PixelRect& r, double by) {
  return {r.x - by, r.y - by, r.w + 2 * by, r.h + 2 * by};
}

// Screen x of an interval end, infinite ends clamped just outside the plot area.
double interval_px(const PlotView& view, const PixelRect& plot, double x) {
  if (x == -kInf) return plot.x - 1;
  if (x == kInf) return plot.x + plot.w + 1;
  return std::clamp(to_pixel(view, plot, x, view.y0).x, plot.x - 1, plot.x + plot.w + 1);
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string hex_color(uint32_t c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%06x", c & 0xffffffu);
  return buf;
}

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string points_attr(const std::vector<PixelPoint>& pts) {
  std::string out;
  for (const PixelPoint& p : pts) {
    if (!out.empty()) out += ' ';
    out += px(p.x) + "," + px(p.y);
  }
  return out;
}
}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// SVG

void write_plot_svg(std::ostream& out, const PlotFigure& figure, const PlotView& view, int width, int height) {
  const PlotLayout L = plot_layout(figure, view, width, height, 1);
  const PixelRect& P = L.plot;
  const PixelRect clip = inflate(P, 4);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << ' ' << height
      << "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n";
  if (!figure.title.empty()) out << "<title>" << xml_escape(figure.title) << "</title>\n";
  out << "<defs><clipPath id=\"plot-area\"><rect x=\"" << px(P.x) << "\" y=\"" << px(P.y) << "\" width=\"" << px(P.w)
      << "\" height=\"" << px(P.h) << "\"/></clipPath></defs>\n";
  out << "<rect x=\"0\" y=\"0\" width=\"" << width << "\" height=\"" << height << "\" fill=\"#ffffff\"/>\n";

  // Shaded intervals, grid, bands, series and marker: all clipped to the plot area.
  out << "<g clip-path=\"url(#plot-area)\">\n";
  for (const PlotInterval& iv : figure.intervals) {
    const double a = interval_px(view, P, iv.x0), b = interval_px(view, P, iv.x1);
    if (!(b > a)) continue;
    out << "<rect x=\"" << px(a) << "\" y=\"" << px(P.y) << "\" width=\"" << px(b - a) << "\" height=\"" << px(P.h)
        << "\" fill=\"" << hex_color(iv.color) << "\" fill-opacity=\"" << kIntervalOpacity << "\"/>\n";
  }
  out << "<g stroke=\"" << hex_color(kGridColor) << "\" stroke-width=\"1\">\n";
  for (const PlotTick& t : L.x_ticks) {
    const double x = to_pixel(view, P, t.value, view.y0).x;
    out << "<line x1=\"" << px(x) << "\" y1=\"" << px(P.y) << "\" x2=\"" << px(x) << "\" y2=\"" << px(P.y + P.h)
        << "\"/>\n";
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = to_pixel(view, P, view.x0, t.value).y;
    out << "<line x1=\"" << px(P.x) << "\" y1=\"" << px(y) << "\" x2=\"" << px(P.x + P.w) << "\" y2=\"" << px(y)
        << "\"/>\n";
  }
  out << "</g>\n";
  for (const PlotBand& b : figure.bands) {
    if (!b.visible) continue;
    for (const auto& poly : band_polygons(b, view, P, clip)) {
      out << "<polygon points=\"" << points_attr(poly) << "\" fill=\"" << hex_color(b.color) << "\" fill-opacity=\""
          << kBandOpacity << "\" stroke=\"none\"/>\n";
    }
  }
  for (const PlotSeries& s : figure.series) {
    if (!s.visible) continue;
    const std::string color = hex_color(s.color);
    for (const auto& path : series_paths(s, view, P, clip)) {
      if (path.size() == 1) {  // an isolated sample between gaps would otherwise be invisible
        out << "<circle cx=\"" << px(path[0].x) << "\" cy=\"" << px(path[0].y) << "\" r=\"" << kSeriesWidth
            << "\" fill=\"" << color << "\"/>\n";
        continue;
      }
      out << "<polyline points=\"" << points_attr(path) << "\" fill=\"none\" stroke=\"" << color << "\" stroke-width=\""
          << kSeriesWidth << "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"";
      if (s.dashed) out << " stroke-dasharray=\"" << kDashOn << ',' << kDashOff << "\"";
      out << "/>\n";
    }
  }
  if (finite(figure.marker_x)) {
    const double x = to_pixel(view, P, figure.marker_x, view.y0).x;
    out << "<line x1=\"" << px(x) << "\" y1=\"" << px(P.y) << "\" x2=\"" << px(x) << "\" y2=\"" << px(P.y + P.h)
        << "\" stroke=\"" << hex_color(kMarkerColor) << "\" stroke-width=\"1.25\"/>\n";
  }
  for (const PlotInterval& iv : figure.intervals) {
    const double a = interval_px(view, P, iv.x0), b = interval_px(view, P, iv.x1);
    if (!(b > a) || iv.label.empty()) continue;
    out << "<text x=\"" << px(std::max(a, P.x) + 4) << "\" y=\"" << px(P.y + P.h - 5) << "\" font-size=\""
        << L.tick_font * 0.9 << "\" fill=\"" << hex_color(0x555555) << "\">" << xml_escape(iv.label) << "</text>\n";
  }
  out << "</g>\n";

  // Frame, ticks and labels.
  out << "<rect x=\"" << px(P.x) << "\" y=\"" << px(P.y) << "\" width=\"" << px(P.w) << "\" height=\"" << px(P.h)
      << "\" fill=\"none\" stroke=\"" << hex_color(kFrameColor) << "\" stroke-width=\"1\"/>\n";
  out << "<g stroke=\"" << hex_color(kFrameColor) << "\" stroke-width=\"1\">\n";
  for (const PlotTick& t : L.x_ticks) {
    const double x = to_pixel(view, P, t.value, view.y0).x;
    out << "<line x1=\"" << px(x) << "\" y1=\"" << px(P.y + P.h) << "\" x2=\"" << px(x) << "\" y2=\""
        << px(P.y + P.h + kTickLength) << "\"/>\n";
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = to_pixel(view, P, view.x0, t.value).y;
    out << "<line x1=\"" << px(P.x - kTickLength) << "\" y1=\"" << px(y) << "\" x2=\"" << px(P.x) << "\" y2=\"" << px(y)
        << "\"/>\n";
  }
  out << "</g>\n";
  out << "<g font-size=\"" << L.tick_font << "\" fill=\"" << hex_color(kTickTextColor) << "\">\n";
  for (const PlotTick& t : L.x_ticks) {
    const double x = to_pixel(view, P, t.value, view.y0).x;
    out << "<text x=\"" << px(x) << "\" y=\"" << px(P.y + P.h + kTickLength + 3 + L.tick_font * 0.8)
        << "\" text-anchor=\"middle\">" << xml_escape(t.label) << "</text>\n";
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = to_pixel(view, P, view.x0, t.value).y;
    out << "<text x=\"" << px(P.x - kTickLength - 3) << "\" y=\"" << px(y + L.tick_font * 0.36)
        << "\" text-anchor=\"end\">" << xml_escape(t.label) << "</text>\n";
  }
  out << "</g>\n";
  if (!figure.x_label.empty()) {
    out << "<text x=\"" << px(P.x + P.w / 2) << "\" y=\"" << px(L.height - 8) << "\" font-size=\"" << L.label_font
        << "\" text-anchor=\"middle\" fill=\"" << hex_color(kTextColor) << "\">" << xml_escape(figure.x_label)
        << "</text>\n";
  }
  if (!figure.y_label.empty()) {
    const double x = 8 + L.label_font * 0.85, y = P.y + P.h / 2;
    out << "<text x=\"" << px(x) << "\" y=\"" << px(y) << "\" font-size=\"" << L.label_font
        << "\" text-anchor=\"middle\" fill=\"" << hex_color(kTextColor) << "\" transform=\"rotate(-90 " << px(x) << ' '
        << px(y) << ")\">" << xml_escape(figure.y_label) << "</text>\n";
  }
  if (!figure.title.empty()) {
    out << "<text x=\"" << px(P.x + P.w / 2) << "\" y=\"" << px(L.title_font * 1.35) << "\" font-size=\""
        << L.title_font << "\" text-anchor=\"middle\" fill=\"" << hex_color(kTextColor) << "\">"
        << xml_escape(figure.title) << "</text>\n";
  }

  const std::vector<LegendEntry> entries = legend_entries(figure);
  if (!entries.empty()) {
    const LegendBox B = legend_box(L, entries);
    out << "<g font-size=\"" << L.tick_font << "\">\n";
    out << "<rect x=\"" << px(B.x) << "\" y=\"" << px(B.y) << "\" width=\"" << px(B.w) << "\" height=\"" << px(B.h)
        << "\" fill=\"#ffffff\" fill-opacity=\"0.88\" stroke=\"" << hex_color(kLegendBorder) << "\"/>\n";
    for (size_t i = 0; i < entries.size(); ++i) {
      const LegendEntry& e = entries[i];
      const double cy = B.y + B.pad + B.row * (i + 0.5), x0 = B.x + B.pad;
      if (e.band) {
        out << "<rect x=\"" << px(x0) << "\" y=\"" << px(cy - 5) << "\" width=\"" << px(B.swatch)
            << "\" height=\"10\" fill=\"" << hex_color(e.color) << "\" fill-opacity=\"" << kBandOpacity * 1.5
            << "\"/>\n";
      } else {
        out << "<line x1=\"" << px(x0) << "\" y1=\"" << px(cy) << "\" x2=\"" << px(x0 + B.swatch) << "\" y2=\""
            << px(cy) << "\" stroke=\"" << hex_color(e.color) << "\" stroke-width=\"" << kSeriesWidth << "\"";
        if (e.dashed) out << " stroke-dasharray=\"" << kDashOn << ',' << kDashOff << "\"";
        out << "/>\n";
      }
      out << "<text x=\"" << px(x0 + B.swatch + B.pad) << "\" y=\"" << px(cy + L.tick_font * 0.36) << "\" fill=\""
          << hex_color(kTextColor) << "\">" << xml_escape(e.name) << "</text>\n";
    }
    out << "</g>\n";
  }
  out << "</svg>\n";
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// One column: (x, value) sorted by x, ready to be walked alongside the sorted union of x.
struct Column {
  std::string name;
  std::vector<std::pair<double, double>> samples;
};
Column make_column(const std::string& name, const std::vector<double>& x, const std::vector<double>& y) {
  Column c{name, {}};
  const size_t n = std::min(x.size(), y.size());
  for (size_t i = 0; i < n; ++i) {
    if (finite(x[i])) c.samples.emplace_back(x[i], y[i]);
  }
  std::stable_sort(c.samples.begin(), c.samples.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return c;
}
}  // namespace

void write_plot_csv(std::ostream& out, const PlotFigure& figure) {
  std::vector<Column> columns;
  for (const PlotSeries& s : figure.series) {
    if (s.visible) columns.push_back(make_column(s.name, s.x, s.y));
  }
  for (const PlotBand& b : figure.bands) {
    if (!b.visible) continue;
    columns.push_back(make_column(b.name + "_lo", b.x, b.lo));
    columns.push_back(make_column(b.name + "_hi", b.x, b.hi));
  }
  std::vector<double> xs;
  for (const Column& c : columns) {
    for (const auto& s : c.samples) xs.push_back(s.first);
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());

  out << "x";
  for (const Column& c : columns) out << ',' << csv_field(c.name);
  out << '\n';
  std::vector<size_t> next(columns.size(), 0);
  char buf[40];
  for (double x : xs) {
    std::snprintf(buf, sizeof buf, "%.17g", x);
    out << buf;
    for (size_t k = 0; k < columns.size(); ++k) {
      const auto& samples = columns[k].samples;
      size_t& i = next[k];
      double value = kPlotNaN;
      // With repeated x the last sample wins, as it is the one drawn on top.
      while (i < samples.size() && samples[i].first == x) value = samples[i++].second;
      out << ',';
      if (!std::isnan(value)) {
        std::snprintf(buf, sizeof buf, "%.17g", value);
        out << buf;
      }
    }
    out << '\n';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// PNG: a small software rasterizer. Shapes are first accumulated as coverage in a float mask, then composited once
// in one colour, so the joints of a thick polyline are not blended twice.

namespace {
struct Canvas {
  int w, h;
  std::vector<uint8_t> rgba;
  std::vector<float> mask;
  int mx0, my0, mx1, my1;  // dirty box of the mask, half-open
  int cx0, cy0, cx1, cy1;  // clip box for compositing, half-open

  Canvas(int w_, int h_) : w(w_), h(h_), rgba(size_t(w_) * h_ * 4, 255), mask(size_t(w_) * h_, 0.f) {
    reset_dirty();
    clip_all();
  }
  void reset_dirty() { mx0 = w, my0 = h, mx1 = 0, my1 = 0; }
  void clip_all() { cx0 = 0, cy0 = 0, cx1 = w, cy1 = h; }
  void clip_to(const PixelRect& r) {
    cx0 = std::clamp(int(std::floor(r.x)), 0, w), cy0 = std::clamp(int(std::floor(r.y)), 0, h);
    cx1 = std::clamp(int(std::ceil(r.x + r.w)), 0, w), cy1 = std::clamp(int(std::ceil(r.y + r.h)), 0, h);
  }
  void touch(int x0, int y0, int x1, int y1) {
    mx0 = std::min(mx0, x0), my0 = std::min(my0, y0), mx1 = std::max(mx1, x1), my1 = std::max(my1, y1);
  }
  void blend(int x, int y, uint32_t color, float a) {
    if (a <= 0 || x < 0 || y < 0 || x >= w || y >= h) return;
    a = std::min(a, 1.f);
    uint8_t* p = &rgba[(size_t(y) * w + x) * 4];
    const float c[3] = {float((color >> 16) & 255), float((color >> 8) & 255), float(color & 255)};
    for (int k = 0; k < 3; ++k) p[k] = uint8_t(std::lround(p[k] + (c[k] - p[k]) * a));
  }
  // Paints the mask in one colour inside the clip box and clears it.
  void composite(uint32_t color, float opacity) {
    for (int y = std::max(my0, 0); y < std::min(my1, h); ++y) {
      for (int x = std::max(mx0, 0); x < std::min(mx1, w); ++x) {
        float& m = mask[size_t(y) * w + x];
        if (m > 0 && x >= cx0 && x < cx1 && y >= cy0 && y < cy1) blend(x, y, color, std::min(m, 1.f) * opacity);
        m = 0;
      }
    }
    reset_dirty();
  }

  // A round-capped segment of the given width: coverage falls off over one pixel at the edge.
  void segment(PixelPoint a, PixelPoint b, double width) {
    const double hw = 0.5 * std::max(width, 1.0), thin = std::min(width, 1.0);
    const int x0 = std::max(0, int(std::floor(std::min(a.x, b.x) - hw - 1)));
    const int x1 = std::min(w, int(std::ceil(std::max(a.x, b.x) + hw + 1)));
    const int y0 = std::max(0, int(std::floor(std::min(a.y, b.y) - hw - 1)));
    const int y1 = std::min(h, int(std::ceil(std::max(a.y, b.y) + hw + 1)));
    if (x0 >= x1 || y0 >= y1) return;
    touch(x0, y0, x1, y1);
    const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) {
        const double px = x + 0.5 - a.x, py = y + 0.5 - a.y;
        const double t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0, 1.0) : 0.0;
        const double d = std::hypot(px - t * dx, py - t * dy);
        const float cov = float(std::clamp(hw + 0.5 - d, 0.0, 1.0) * thin);
        float& m = mask[size_t(y) * w + x];
        m = std::max(m, cov);
      }
    }
  }
  void polyline(const std::vector<PixelPoint>& pts, double width) {
    if (pts.size() == 1) segment(pts[0], pts[0], width * 1.6);
    for (size_t i = 1; i < pts.size(); ++i) segment(pts[i - 1], pts[i], width);
  }

  // Even-odd scanline fill with 4 sub-rows per pixel and exact horizontal coverage.
  void polygon(const std::vector<PixelPoint>& pts) {
    if (pts.size() < 3) return;
    double ymin = kInf, ymax = -kInf, xmin = kInf, xmax = -kInf;
    for (const PixelPoint& p : pts) {
      ymin = std::min(ymin, p.y), ymax = std::max(ymax, p.y), xmin = std::min(xmin, p.x), xmax = std::max(xmax, p.x);
    }
    const int y0 = std::max(0, int(std::floor(ymin))), y1 = std::min(h, int(std::ceil(ymax)) + 1);
    touch(std::max(0, int(std::floor(xmin))), y0, std::min(w, int(std::ceil(xmax)) + 1), y1);
    std::vector<double> xs;
    for (int y = y0; y < y1; ++y) {
      for (int sub = 0; sub < 4; ++sub) {
        const double sy = y + (sub + 0.5) / 4;
        xs.clear();
        for (size_t i = 0; i < pts.size(); ++i) {
          const PixelPoint a = pts[i], b = pts[(i + 1) % pts.size()];
          if ((a.y <= sy) != (b.y <= sy)) xs.push_back(a.x + (sy - a.y) / (b.y - a.y) * (b.x - a.x));
        }
        std::sort(xs.begin(), xs.end());
        for (size_t i = 0; i + 1 < xs.size(); i += 2) span(y, xs[i], xs[i + 1], 0.25f);
      }
    }
  }
  void span(int y, double xa, double xb, float weight) {
    xa = std::max(xa, 0.0), xb = std::min(xb, double(w));
    for (int x = int(std::floor(xa)); x < xb; ++x) {
      const double cover = std::min(xb, x + 1.0) - std::max(xa, double(x));
      if (cover > 0) mask[size_t(y) * w + x] += float(cover) * weight;
    }
  }
  void rect(const PixelRect& r) { polygon({{r.x, r.y}, {r.x + r.w, r.y}, {r.x + r.w, r.y + r.h}, {r.x, r.y + r.h}}); }
};

// Axis-aligned lines land on pixel centres (odd widths) or edges (even widths) so they stay crisp.
double snap(double v, double width) {
  return int(std::lround(width)) % 2 == 1 ? std::floor(v) + 0.5 : std::round(v);
}

// ---- text ----
struct Font {
  std::vector<unsigned char> data;
  stbtt_fontinfo info{};
  bool ok = false;
};
const Font& plot_font() {
  static const Font font = [] {
    Font f;
    for (const char* path : {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
                             "/usr/share/fonts/dejavu/DejaVuSans.ttf"}) {
      std::ifstream in(path, std::ios::binary);
      if (!in) continue;
      f.data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      if (!f.data.empty() && stbtt_InitFont(&f.info, f.data.data(), stbtt_GetFontOffsetForIndex(f.data.data(), 0))) {
        f.ok = true;
        break;
      }
    }
    return f;
  }();
  return font;
}

std::vector<int> utf8_codepoints(const std::string& s) {
  std::vector<int> out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    int cp = c, extra = 0;
    if (c >= 0xF0)
      cp = c & 0x07, extra = 3;
    else if (c >= 0xE0)
      cp = c & 0x0F, extra = 2;
    else if (c >= 0xC0)
      cp = c & 0x1F, extra = 1;
    ++i;
    for (int k = 0; k < extra && i < s.size(); ++k, ++i) cp = (cp << 6) | (s[i] & 0x3F);
    out.push_back(cp);
  }
  return out;
}

// Text as an alpha bitmap with its baseline `baseline` pixels below the top.
struct TextBitmap {
  int w = 0, h = 0;
  double baseline = 0;
  std::vector<float> alpha;
};

TextBitmap rasterize_text(const std::string& text, double size) {
  TextBitmap t;
  const Font& font = plot_font();
  if (font.ok) {
    const float scale = stbtt_ScaleForMappingEmToPixels(&font.info, float(size));
    int ascent, descent, gap;
    stbtt_GetFontVMetrics(&font.info, &ascent, &descent, &gap);
    const std::vector<int> cps = utf8_codepoints(text);
    double width = 0;
    for (size_t i = 0; i < cps.size(); ++i) {
      int advance, lsb;
      stbtt_GetCodepointHMetrics(&font.info, cps[i], &advance, &lsb);
      width += advance * scale;
      if (i + 1 < cps.size()) width += scale * stbtt_GetCodepointKernAdvance(&font.info, cps[i], cps[i + 1]);
    }
    t.w = int(std::ceil(width)) + 2, t.h = int(std::ceil((ascent - descent) * scale)) + 2;
    t.baseline = std::ceil(ascent * scale) + 1;
    t.alpha.assign(size_t(t.w) * t.h, 0.f);
    double pen = 1;
    std::vector<unsigned char> glyph;
    for (size_t i = 0; i < cps.size(); ++i) {
      const float shift = float(pen - std::floor(pen));
      int gx0, gy0, gx1, gy1;
      stbtt_GetCodepointBitmapBoxSubpixel(&font.info, cps[i], scale, scale, shift, 0, &gx0, &gy0, &gx1, &gy1);
      const int gw = gx1 - gx0, gh = gy1 - gy0;
      if (gw > 0 && gh > 0) {
        glyph.assign(size_t(gw) * gh, 0);
        stbtt_MakeCodepointBitmapSubpixel(&font.info, glyph.data(), gw, gh, gw, scale, scale, shift, 0, cps[i]);
        const int ox = int(std::floor(pen)) + gx0, oy = int(t.baseline) + gy0;
        for (int y = 0; y < gh; ++y) {
          for (int x = 0; x < gw; ++x) {
            const int tx = ox + x, ty = oy + y;
            if (tx < 0 || ty < 0 || tx >= t.w || ty >= t.h) continue;
            float& a = t.alpha[size_t(ty) * t.w + tx];
            a = std::min(1.f, a + glyph[size_t(y) * gw + x] / 255.f);
          }
        }
      }
      int advance, lsb;
      stbtt_GetCodepointHMetrics(&font.info, cps[i], &advance, &lsb);
      pen += advance * scale;
      if (i + 1 < cps.size()) pen += scale * stbtt_GetCodepointKernAdvance(&font.info, cps[i], cps[i + 1]);
    }
    return t;
  }
  // No TrueType font installed: stb_easy_font's segment font (ASCII only), drawn as quads.
  std::string ascii;
  for (int cp : utf8_codepoints(text)) ascii += cp < 128 ? char(cp) : '?';
  const double k = size / 10.0;                           // easy_font glyphs are about 7 units tall for capitals
  std::vector<char> buffer(ascii.size() * 64 * 24 + 64);  // 64 bytes per quad, at most ~20 quads a glyph
  unsigned char white[4] = {255, 255, 255, 255};
  const int quads = stb_easy_font_print(0, 0, ascii.data(), white, buffer.data(), int(buffer.size()));
  t.w = int(std::ceil(stb_easy_font_width(ascii.data()) * k)) + 2, t.h = int(std::ceil(12 * k)) + 2;
  t.baseline = std::ceil(7 * k) + 1;
  t.alpha.assign(size_t(t.w) * t.h, 0.f);
  for (int q = 0; q < quads; ++q) {
    const float* v = reinterpret_cast<const float*>(buffer.data() + q * 64);
    const double x0 = 1 + v[0] * k, y0 = 1 + v[1] * k, x1 = 1 + v[8] * k, y1 = 1 + v[9] * k;
    for (int y = std::max(0, int(y0)); y < std::min(t.h, int(std::ceil(y1))); ++y) {
      const double cy = std::min(y1, y + 1.0) - std::max(y0, double(y));
      for (int x = std::max(0, int(x0)); x < std::min(t.w, int(std::ceil(x1))); ++x) {
        const double cx = std::min(x1, x + 1.0) - std::max(x0, double(x));
        float& a = t.alpha[size_t(y) * t.w + x];
        a = std::min(1.f, a + float(std::max(0.0, cx) * std::max(0.0, cy)));
      }
    }
  }
  return t;
}

// Draws text with its baseline at y; halign 0 = left, 0.5 = centre, 1 = right of x. `vertical` reads bottom to
// top, centred on (x, y) along the text and with its baseline to the right of x.
void draw_text(Canvas& c, const std::string& text, double x, double y, double size, uint32_t color, double halign,
               bool vertical = false) {
  if (text.empty()) return;
  const TextBitmap t = rasterize_text(text, size);
  if (!vertical) {
    const int ox = int(std::lround(x - halign * t.w)), oy = int(std::lround(y - t.baseline));
    for (int ty = 0; ty < t.h; ++ty) {
      for (int tx = 0; tx < t.w; ++tx) c.blend(ox + tx, oy + ty, color, t.alpha[size_t(ty) * t.w + tx]);
    }
    return;
  }
  // Rotated 90 degrees counter-clockwise: text column u goes up, text row v goes right.
  const int ox = int(std::lround(x - t.baseline)), oy = int(std::lround(y + 0.5 * t.w));
  for (int v = 0; v < t.h; ++v) {
    for (int u = 0; u < t.w; ++u) c.blend(ox + v, oy - u, color, t.alpha[size_t(v) * t.w + u]);
  }
}
}  // namespace

std::vector<uint8_t> render_plot_rgba(const PlotFigure& figure, const PlotView& view, int width, int height,
                                      float scale) {
  if (width <= 0 || height <= 0 || !(scale > 0)) return {};
  const double s = scale;
  const PlotLayout L = plot_layout(figure, view, width, height, s);
  Canvas c(int(std::lround(width * s)), int(std::lround(height * s)));
  const PixelRect& P = L.plot;
  const PixelRect clip = inflate(P, 4 * s);
  const double hair = std::max(1.0, std::round(s));  // 1 CSS pixel lines

  c.clip_to(P);
  for (const PlotInterval& iv : figure.intervals) {
    const double a = interval_px(view, P, iv.x0), b = interval_px(view, P, iv.x1);
    if (!(b > a)) continue;
    c.rect({a, P.y, b - a, P.h});
    c.composite(iv.color, float(kIntervalOpacity));
  }
  for (const PlotTick& t : L.x_ticks) {
    const double x = snap(to_pixel(view, P, t.value, view.y0).x, hair);
    c.segment({x, P.y}, {x, P.y + P.h}, hair);
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = snap(to_pixel(view, P, view.x0, t.value).y, hair);
    c.segment({P.x, y}, {P.x + P.w, y}, hair);
  }
  c.composite(kGridColor, 1);
  for (const PlotBand& b : figure.bands) {
    if (!b.visible) continue;
    for (const auto& poly : band_polygons(b, view, P, clip)) c.polygon(poly);
    c.composite(b.color, float(kBandOpacity));
  }
  for (const PlotSeries& ser : figure.series) {
    if (!ser.visible) continue;
    auto paths = series_paths(ser, view, P, clip);
    if (ser.dashed) paths = dash_paths(paths, kDashOn * s, kDashOff * s);
    for (const auto& path : paths) c.polyline(path, kSeriesWidth * s);
    c.composite(ser.color, 1);
  }
  if (finite(figure.marker_x)) {
    const double x = to_pixel(view, P, figure.marker_x, view.y0).x;
    c.segment({x, P.y}, {x, P.y + P.h}, 1.25 * s);
    c.composite(kMarkerColor, 1);
  }
  for (const PlotInterval& iv : figure.intervals) {
    const double a = interval_px(view, P, iv.x0), b = interval_px(view, P, iv.x1);
    if (b > a && !iv.label.empty() && a < P.x + P.w) {
      draw_text(c, iv.label, std::max(a, P.x) + 4 * s, P.y + P.h - 5 * s, L.tick_font * 0.9, 0x555555, 0);
    }
  }

  c.clip_all();
  // Frame and tick marks.
  const double fx0 = snap(P.x, hair), fx1 = snap(P.x + P.w, hair), fy0 = snap(P.y, hair), fy1 = snap(P.y + P.h, hair);
  c.segment({fx0, fy0}, {fx1, fy0}, hair), c.segment({fx1, fy0}, {fx1, fy1}, hair);
  c.segment({fx1, fy1}, {fx0, fy1}, hair), c.segment({fx0, fy1}, {fx0, fy0}, hair);
  for (const PlotTick& t : L.x_ticks) {
    const double x = snap(to_pixel(view, P, t.value, view.y0).x, hair);
    c.segment({x, fy1}, {x, fy1 + kTickLength * s}, hair);
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = snap(to_pixel(view, P, view.x0, t.value).y, hair);
    c.segment({fx0 - kTickLength * s, y}, {fx0, y}, hair);
  }
  c.composite(kFrameColor, 1);
  for (const PlotTick& t : L.x_ticks) {
    const double x = to_pixel(view, P, t.value, view.y0).x;
    draw_text(c, t.label, x, P.y + P.h + (kTickLength + 3) * s + L.tick_font * 0.8, L.tick_font, kTickTextColor, 0.5);
  }
  for (const PlotTick& t : L.y_ticks) {
    const double y = to_pixel(view, P, view.x0, t.value).y;
    draw_text(c, t.label, P.x - (kTickLength + 3) * s, y + L.tick_font * 0.36, L.tick_font, kTickTextColor, 1);
  }
  draw_text(c, figure.x_label, P.x + P.w / 2, L.height - 8 * s, L.label_font, kTextColor, 0.5);
  draw_text(c, figure.y_label, 8 * s + L.label_font * 0.85, P.y + P.h / 2, L.label_font, kTextColor, 0.5, true);
  draw_text(c, figure.title, P.x + P.w / 2, L.title_font * 1.35, L.title_font, kTextColor, 0.5);

  const std::vector<LegendEntry> entries = legend_entries(figure);
  if (!entries.empty()) {
    const LegendBox B = legend_box(L, entries);
    // The box is sized from estimated text widths; widen it if the real text is wider.
    double text_w = 0;
    for (const LegendEntry& e : entries) text_w = std::max(text_w, double(rasterize_text(e.name, L.tick_font).w));
    const double w = std::max(B.w, B.pad + B.swatch + B.pad + text_w + B.pad * 0.5), x = B.x + B.w - w;
    c.rect({x, B.y, w, B.h});
    c.composite(0xffffff, 0.88f);
    const double bx0 = snap(x, hair), bx1 = snap(x + w, hair), by0 = snap(B.y, hair), by1 = snap(B.y + B.h, hair);
    c.segment({bx0, by0}, {bx1, by0}, hair), c.segment({bx1, by0}, {bx1, by1}, hair);
    c.segment({bx1, by1}, {bx0, by1}, hair), c.segment({bx0, by1}, {bx0, by0}, hair);
    c.composite(kLegendBorder, 1);
    for (size_t i = 0; i < entries.size(); ++i) {
      const LegendEntry& e = entries[i];
      const double cy = B.y + B.pad + B.row * (i + 0.5), x0 = x + B.pad;
      if (e.band) {
        c.rect({x0, cy - 5 * s, B.swatch, 10 * s});
        c.composite(e.color, float(kBandOpacity * 1.5));
      } else {
        std::vector<std::vector<PixelPoint>> sample = {{{x0, cy}, {x0 + B.swatch, cy}}};
        if (e.dashed) sample = dash_paths(sample, kDashOn * s, kDashOff * s);
        for (const auto& p : sample) c.polyline(p, kSeriesWidth * s);
        c.composite(e.color, 1);
      }
      draw_text(c, e.name, x0 + B.swatch + B.pad, cy + L.tick_font * 0.36, L.tick_font, kTextColor, 0);
    }
  }
  return std::move(c.rgba);
}

std::vector<uint8_t> encode_plot_png(const PlotFigure& figure, const PlotView& view, int width, int height,
                                     float scale) {
  const std::vector<uint8_t> rgba = render_plot_rgba(figure, view, width, height, scale);
  if (rgba.empty()) return {};
  const int w = int(std::lround(width * double(scale))), h = int(std::lround(height * double(scale)));
  std::vector<uint8_t> png;
  const auto sink = [](void* context, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(context);
    out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  };
  if (!stbi_write_png_to_func(sink, &png, w, h, 4, rgba.data(), w * 4)) return {};
  return png;
}

void save_plot_svg(const std::string& path, const PlotFigure& figure, const PlotView& view, int width, int height) {
  write_file_atomically(path, [&](std::ostream& out) { write_plot_svg(out, figure, view, width, height); });
}

void save_plot_csv(const std::string& path, const PlotFigure& figure) {
  write_file_atomically(path, [&](std::ostream& out) { write_plot_csv(out, figure); });
}

void save_plot_png(const std::string& path, const PlotFigure& figure, const PlotView& view, int width, int height,
                   float scale) {
  const std::vector<uint8_t> png = encode_plot_png(figure, view, width, height, scale);
  if (png.empty()) throw input_error(path, "cannot encode the plot as PNG (empty size?)");
  write_bytes_atomically(path, png.data(), png.size());
}
}  // namespace uhop
