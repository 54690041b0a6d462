// Ticks, auto-fit, pixel mapping, pan/zoom/follow and hover: the axis math every renderer and the screen share.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "plot_figure.h"
#include "plot_style.h"

namespace uhop {
using namespace plot_style;

namespace {
// Relative tolerance for "this tick is on the boundary" so rounding never drops an end tick.
constexpr double kTickEps = 1e-9;
// 10^e as the correctly rounded double (division by an exact power of ten beats multiplying by 10^-e).
double pow10i(int e) {
  return e >= 0 ? std::pow(10.0, e) : 1.0 / std::pow(10.0, -e);
}

bool is_hidden(const std::vector<std::string>& hidden, const std::string& name) {
  return std::find(hidden.begin(), hidden.end(), name) != hidden.end();
}

// Axis value of a data value: log10 on a log axis (NaN for v <= 0), the value itself on a linear one.
double axis_y(double y, bool log_axis) {
  if (!log_axis) return y;
  return y > 0 ? std::log10(y) : kPlotNaN;
}
double data_y(double ay, bool log_axis) {
  return log_axis ? std::pow(10.0, ay) : ay;
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

std::vector<PlotTick> axis_ticks(double lo, double hi, bool log_axis, int max_count) {
  std::vector<PlotTick> ticks;
  if (!log_axis) {
    const double step = nice_step(lo, hi, max_count);
    for (double v : nice_ticks(lo, hi, max_count)) ticks.push_back({v, format_tick(v, step)});
    return ticks;
  }
  const std::vector<double> values = log_ticks(lo, hi, max_count);
  for (size_t i = 0; i < values.size(); ++i) {
    // The label needs the precision of the smaller of the value itself and the gap to its nearest neighbour.
    double step = values[i];
    if (i > 0) step = std::min(step, values[i] - values[i - 1]);
    if (i + 1 < values.size()) step = std::min(step, values[i + 1] - values[i]);
    ticks.push_back({values[i], format_tick(values[i], step)});
  }
  return ticks;
}

// ---------------------------------------------------------------------------------------------------------------
// Fitting and view math

PlotView data_range(const PlotFigure& figure, const PlotFitOptions& options) {
  const bool log_y = options.log_y.value_or(figure.log_y), log_x = options.log_x.value_or(figure.log_x);
  double xmin = kInf, xmax = -kInf, ymin = kInf, ymax = -kInf;  // in axis units (log10 on a log axis)
  const auto add = [&](double x, double y) {
    const double ax = axis_y(x, log_x), ay = axis_y(y, log_y);
    if (!finite(ax) || x < options.x_min || x > options.x_max) return;
    if (log_y && y == 0) {  // an exact zero is drawn (zero_marks) at its x: fit x only
      xmin = std::min(xmin, ax), xmax = std::max(xmax, ax);
      return;
    }
    if (!finite(ay)) return;
    xmin = std::min(xmin, ax), xmax = std::max(xmax, ax);
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
  view.log_y = log_y, view.log_x = log_x;
  if (xmin > xmax) {  // nothing to fit
    view.y0 = log_y ? 1 : 0, view.y1 = 10;
    if (!log_y) view.y1 = 1;
    view.x0 = log_x ? 1 : 0, view.x1 = log_x ? 10 : 1;
    return view;
  }
  if (ymin > ymax) ymin = 0, ymax = 1;  // x to fit but no y (only exact zeros on a log axis)
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
  if (log_y && options.log_floor_decades > 0) ymin = std::max(ymin, ymax - options.log_floor_decades);
  widen(xmin, xmax, options.pad_x, log_x ? 1.0 : 0);
  widen(ymin, ymax, options.pad_y, log_y ? 1.0 : 0);
  if (log_x) xmin = std::max(xmin, -300.0), xmax = std::min(xmax, 300.0);
  if (log_y) ymin = std::max(ymin, -300.0), ymax = std::min(ymax, 300.0);
  view.x0 = data_y(xmin, log_x), view.x1 = data_y(xmax, log_x);
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

// px = rect.x + (A(x) - A(x0)) / (A(x1) - A(x0)) w, py likewise from the bottom; A = log10 on a log axis.
PixelPoint to_pixel(const PlotView& view, const PixelRect& rect, double x, double y) {
  const double ay = axis_y(y, view.log_y), ay0 = axis_y(view.y0, view.log_y), ay1 = axis_y(view.y1, view.log_y);
  const double ax = axis_y(x, view.log_x), ax0 = axis_y(view.x0, view.log_x), ax1 = axis_y(view.x1, view.log_x);
  return {rect.x + (ax - ax0) / (ax1 - ax0) * rect.w, rect.y + rect.h - (ay - ay0) / (ay1 - ay0) * rect.h};
}

PixelPoint from_pixel(const PlotView& view, const PixelRect& rect, double px, double py) {
  const double ay0 = axis_y(view.y0, view.log_y), ay1 = axis_y(view.y1, view.log_y);
  const double ax0 = axis_y(view.x0, view.log_x), ax1 = axis_y(view.x1, view.log_x);
  const double ay = ay0 + (rect.y + rect.h - py) / rect.h * (ay1 - ay0);
  const double ax = ax0 + (px - rect.x) / rect.w * (ax1 - ax0);
  return {data_y(ax, view.log_x), data_y(ay, view.log_y)};
}

PlotView pan_view(const PlotView& view, const PixelRect& rect, double dx_px, double dy_px) {
  PlotView v = view;
  if (rect.w > 0) {
    const double ax0 = axis_y(view.x0, view.log_x), ax1 = axis_y(view.x1, view.log_x);
    const double dx = -dx_px / rect.w * (ax1 - ax0);
    v.x0 = data_y(ax0 + dx, view.log_x), v.x1 = data_y(ax1 + dx, view.log_x);
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
  double ax0 = axis_y(view.x0, view.log_x), ax1 = axis_y(view.x1, view.log_x);
  double anchor_ax = axis_y(anchor_x, view.log_x);
  if (!finite(anchor_ax) && view.log_x) anchor_ax = 0.5 * (ax0 + ax1);  // an anchor at x <= 0: zoom about the middle
  zoom_axis(ax0, ax1, anchor_ax, factor_x);
  if (view.log_x) ax0 = std::max(ax0, -300.0), ax1 = std::min(ax1, 300.0);
  v.x0 = data_y(ax0, view.log_x), v.x1 = data_y(ax1, view.log_x);
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
  const double a_last = axis_y(last, view.log_x);
  if (!finite(a_last)) return view;
  PlotView v = view;
  const double ax0 = axis_y(view.x0, view.log_x), span = axis_y(view.x1, view.log_x) - ax0;  // in axis units
  v.x1 = data_y(a_last + pad * span, view.log_x);
  v.x0 = data_y(a_last + pad * span - span, view.log_x);
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

}  // namespace uhop
