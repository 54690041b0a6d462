#include "insight_views.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "numerics/query_margin.h"
#include "numerics/separation_stats.h"
#include "plot/plot_contours.h"

namespace uhop {
namespace {
constexpr uint32_t kBlue = 0x1f77b4, kOrange = 0xff7f0e, kRed = 0xd62728, kGray = 0x7f7f7f, kLightGray = 0x999999,
                   kBlack = 0x222222;
// The trajectory and the target on the maps: a colour outside the class palette that reads on light and dark.
constexpr uint32_t kMagenta = 0xe020e0;
// The query (square) and the target (diamond) on the maps: colours of their own, apart from the trajectory's.
constexpr uint32_t kAmber = 0xffb000, kTargetBlue = 0x00a0ff;
// Ten class colours (the common categorical palette), then gray for unknown labels.
constexpr uint32_t kClassColors[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                     0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

PlotSeries named(const std::string& name, uint32_t color, const std::string& tooltip = "") {
  PlotSeries s;
  s.name = name;
  s.color = color;
  s.tooltip = tooltip;
  return s;
}

PlotFigure step_figure(const std::vector<Stage1Record>& log, const char* title, const char* y_label) {
  PlotFigure f;
  f.title = title;
  f.x_label = "Stage I step i";
  f.y_label = y_label;
  if (!log.empty()) f.marker_x = log.back().step;
  return f;
}

// y = value over the steps of the log (a flat reference line).
PlotSeries flat(const std::vector<Stage1Record>& log, PlotSeries s, double value) {
  if (log.empty()) return s;
  s.x = {static_cast<double>(log.front().step), static_cast<double>(std::max(log.back().step, log.front().step + 1))};
  s.y = {value, value};
  return s;
}

// Probed rows only (the others are NaN and would break the line into dots).
PlotSeries probed(const std::vector<Stage1Record>& log, PlotSeries s, double Stage1Record::*field) {
  for (const auto& r : log)
    if (std::isfinite(r.*field)) s.x.push_back(r.step), s.y.push_back(r.*field);
  return s;
}

// A colour from dark blue through green to yellow for t in [0, 1] (viridis-like), for iso-line levels.
uint32_t ramp(double t) {
  static const double stops[][3] = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  t = std::clamp(t, 0.0, 1.0) * 4;
  const int k = std::min(3, static_cast<int>(t));
  const double f = t - k;
  uint32_t c = 0;
  for (int ch = 0; ch < 3; ++ch)
    c = c << 8 | static_cast<uint32_t>(std::lround(stops[k][ch] + f * (stops[k + 1][ch] - stops[k][ch])));
  return c;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

void add_point(PlotSeries& s, double x, double y) {
  if (!s.x.empty()) s.x.push_back(kPlotNaN), s.y.push_back(kPlotNaN);  // isolated samples are drawn as dots
  s.x.push_back(x), s.y.push_back(y);
}
}  // namespace

PlotFigure probe_error_figure(const std::vector<Stage1Record>& log) {
  PlotFigure f = step_figure(log, "probe: mean paper error of all M queries", "‖clip(ξ_μ) - clip(x_T)‖²");
  f.log_y = true;
  PlotSeries uhop = probed(log, named("U-Hop", kBlue, "kernel similarity with W_i: every memory queried once"),
                           &Stage1Record::probe_paper_error);
  PlotSeries mhm = named("MHM", kGray, "dot similarity (W = I) on the same queries: does not depend on the step");
  mhm.dashed = true;
  if (!log.empty()) mhm = flat(log, mhm, log.back().mhm_probe_paper_error);
  f.series = {mhm, uhop};
  return f;
}

PlotFigure probe_retrieved_figure(const std::vector<Stage1Record>& log) {
  PlotFigure f = step_figure(log, "probe: fraction retrieved", "fraction");
  PlotSeries uhop = probed(log, named("U-Hop", kBlue, "x_T nearest (in pixels) to its own memory, kernel with W_i"),
                           &Stage1Record::probe_retrieved);
  PlotSeries mhm = named("MHM", kGray, "the same with dot similarity (W = I)");
  mhm.dashed = true;
  if (!log.empty()) mhm = flat(log, mhm, log.back().mhm_probe_retrieved);
  f.series = {mhm, uhop};
  return f;
}

namespace {
// The two reference lines of a query-margin figure over [x0, x1].
void add_margin_references(PlotFigure& f, double x0, double x1, long long count, double beta) {
  PlotSeries zero = named("0", kBlack, "below 0 a rival scores higher than the target: it outweighs the target");
  zero.x = {x0, std::max(x1, x0 + 1)}, zero.y = {0, 0};
  zero.dashed = true;
  PlotSeries half = named("ln(M-1)/β", kGray,
                          "at or above this gap the target's softmax weight is at least ½ (β = " + number(beta) + ")");
  half.x = zero.x, half.y = {half_weight_margin(count, beta), half_weight_margin(count, beta)};
  half.dashed = true;
  f.series.push_back(zero);
  f.series.push_back(half);
}
}  // namespace

PlotFigure query_margin_figure(const std::vector<Stage1Record>& log, int count, double beta) {
  PlotFigure f = step_figure(log, "query margin at x_0", "score gap");
  PlotSeries uhop = named("U-Hop", kBlue, "K(ξ_μ, x_0) - max_ν≠μ K(ξ_ν, x_0) with W_i");
  PlotSeries mhm = named("MHM", kOrange, "in pixels: <ξ_μ, x_0> - max_ν≠μ <ξ_ν, x_0> (W = I)");
  mhm.dashed = true;
  for (const auto& r : log) {
    if (std::isfinite(r.query_margin)) uhop.x.push_back(r.step), uhop.y.push_back(r.query_margin);
    if (std::isfinite(r.mhm_query_margin)) mhm.x.push_back(r.step), mhm.y.push_back(r.mhm_query_margin);
  }
  f.series = {uhop, mhm};
  if (!log.empty()) add_margin_references(f, log.front().step, log.back().step, count, beta);
  return f;
}

PlotFigure stage2_margin_figure(const std::vector<RetrievalRecord>& main_run, const std::vector<RetrievalRecord>& mhm,
                                const std::string& main_name, int count, double beta) {
  PlotFigure f;
  f.title = "query margin at x_t";
  f.x_label = "Stage II step t";
  f.y_label = "score gap";
  PlotSeries a = named(main_name, kBlue, "s_μ(x_t) - max_ν≠μ s_ν(x_t) in the main run's similarity");
  PlotSeries b = named("MHM", kOrange, "<ξ_μ, x_t> - max_ν≠μ <ξ_ν, x_t> of the MHM run");
  b.dashed = true;
  for (const auto& r : main_run)
    if (std::isfinite(r.score_margin)) a.x.push_back(r.step), a.y.push_back(r.score_margin);
  for (const auto& r : mhm)
    if (std::isfinite(r.score_margin)) b.x.push_back(r.step), b.y.push_back(r.score_margin);
  f.series = {a, b};
  if (!main_run.empty()) {
    f.marker_x = main_run.back().step;
    add_margin_references(f, main_run.front().step, main_run.back().step, count, beta);
  }
  return f;
}

PlotFigure margin_figure(const std::vector<Stage1Record>& log, const BoundContext& c) {
  PlotFigure f = step_figure(log, "Lemma 1 worst-case margin", "margin");
  PlotSeries mn = named("min", kRed, "min over μ: the bound holds for every memory only when this is > 0");
  PlotSeries mean = named("mean", kOrange, "mean over μ");
  PlotSeries target = named("target", kBlue, "the target's margin (the target when the step was taken)");
  for (const auto& r : log) {
    mn.x.push_back(r.step), mn.y.push_back(r.bound_margin_min);
    mean.x.push_back(r.step), mean.y.push_back(r.bound_margin_mean);
    target.x.push_back(r.step), target.y.push_back(r.bound_margin_target);
  }
  const double threshold = c.count > 1 && c.beta > 0 ? std::log(c.count - 1.0) / c.beta : 0.0;
  PlotSeries zero = flat(log, named("0", kBlack, "margin 0: below it no β makes the bound small"), 0.0);
  zero.dashed = true;
  PlotSeries vac =
      flat(log,
           named("ln(M-1)/β", kGray,
                 "below this margin the bound 2m(M-1)exp(-β margin) is ≥ 2m at the current β = " + number(c.beta) +
                     ": vacuous (any mix of memories is that close)"),
           threshold);
  vac.dashed = true;
  // Shade runs of steps where the target's bound is vacuous, one interval per run.
  auto shade = [&](auto vacuous, const std::string& label, uint32_t color) {
    bool labelled = false;
    for (size_t i = 0; i < log.size();) {
      if (!vacuous(log[i].bound_margin_target)) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j + 1 < log.size() && vacuous(log[j + 1].bound_margin_target)) ++j;
      f.intervals.push_back({log[i].step - 0.5, log[j].step + 0.5, labelled ? "" : label, color});
      labelled = true;
      i = j + 1;
    }
  };
  shade([](double m) { return std::isfinite(m) && m <= 0; }, "target's bound vacuous at every β", kRed);
  shade([&](double m) { return std::isfinite(m) && m > 0 && m <= threshold; },
        "target's bound vacuous at β = " + number(c.beta), kLightGray);
  f.series = {mn, mean, target, zero, vac};
  return f;
}

PlotFigure beta_star_figure(const std::vector<Stage1Record>& log, const BoundContext& c) {
  PlotFigure f = step_figure(log, ("β* (bound < ε = " + number(c.epsilon) + ")").c_str(), "β*");
  f.log_y = true;
  PlotSeries target = named("β* target", kBlue, "ln(2m(M-1)/ε) / margin of the target; a gap where margin ≤ 0");
  PlotSeries all = named("β* all memories", kRed, "the same with the min margin: every memory's bound < ε");
  auto beta_at = [&](double margin) {
    const double b = beta_star(margin, c.m, c.count, c.epsilon);
    return std::isfinite(b) ? b : kPlotNaN;
  };
  for (const auto& r : log) {
    target.x.push_back(r.step), target.y.push_back(beta_at(r.bound_margin_target));
    all.x.push_back(r.step), all.y.push_back(beta_at(r.bound_margin_min));
  }
  PlotSeries now = flat(log, named("current β", kGray, "the Stage II β"), c.beta);
  now.dashed = true;
  f.series = {target, all, now};
  return f;
}

PlotFigure feature_map_figure(const FeatureMapPicture& p) {
  PlotFigure f;
  f.title = p.title;
  f.x_label = "principal component 1";
  f.y_label = "PC 2";
  // One series per class (legend = class names), dots only.
  int max_label = -1;
  for (int l : p.labels) max_label = std::max(max_label, l);
  std::vector<PlotSeries> classes(static_cast<size_t>(max_label + 2));
  for (int l = -1; l <= max_label; ++l) {
    PlotSeries& s = classes[static_cast<size_t>(l + 1)];
    s.color = l < 0 ? kLightGray : kClassColors[l % 10];
    s.name = l < 0 ? (max_label < 0 ? "memories" : "unlabelled")
                   : (l < static_cast<int>(p.class_names.size()) ? p.class_names[l] : "class " + std::to_string(l));
    s.tooltip = "f_μ = W ξ_μ / ‖W ξ_μ‖ projected on the top two principal components (centered)";
  }
  for (Eigen::Index mu = 0; mu < p.points.rows(); ++mu) {
    const int l = mu < static_cast<Eigen::Index>(p.labels.size()) ? p.labels[mu] : -1;
    add_point(classes[static_cast<size_t>(std::max(l, -1) + 1)], p.points(mu, 0), p.points(mu, 1));
  }
  for (auto& s : classes)
    if (!s.x.empty()) f.series.push_back(s);
  if (p.trajectory.rows() > 0) {
    PlotSeries traj = named("x_0..x_T", kMagenta, "the Stage II trajectory, projected on the same axes (x_0 = query)");
    for (Eigen::Index s = 0; s < p.trajectory.rows(); ++s)
      traj.x.push_back(p.trajectory(s, 0)), traj.y.push_back(p.trajectory(s, 1));
    f.series.push_back(traj);
    // The query: an amber square (a shape and colour of its own, apart from the trajectory and the target).
    const double span = std::max((p.points.colwise().maxCoeff() - p.points.colwise().minCoeff()).maxCoeff(), 1e-12);
    const double r = 0.02 * span, x = p.trajectory(0, 0), y = p.trajectory(0, 1);
    PlotSeries start = named("query x_0", kAmber, "the query x_0 (square)");
    start.x = {x - r, x + r, x + r, x - r, x - r};
    start.y = {y - r, y - r, y + r, y + r, y - r};
    f.series.push_back(start);
  }
  if (p.target >= 0 && p.target < p.points.rows()) {
    // A diamond around the target, sized from the spread of the points so it reads at any zoom of the fit.
    const double span = std::max((p.points.colwise().maxCoeff() - p.points.colwise().minCoeff()).maxCoeff(), 1e-12);
    const double r = 0.03 * span, x = p.points(p.target, 0), y = p.points(p.target, 1);
    PlotSeries mark = named("target", kTargetBlue, "the target memory ξ_μ (diamond)");
    mark.x = {x + r, x, x - r, x, x + r};
    mark.y = {y, y + r, y, y - r, y};
    f.series.push_back(mark);
  }
  return f;
}

void write_projection_csv(std::ostream& out, const Matrix& points) {
  out << "index,x,y\n";
  char buf[96];
  for (Eigen::Index i = 0; i < points.rows(); ++i) {
    std::snprintf(buf, sizeof buf, "%lld,%.17g,%.17g\n", static_cast<long long>(i), points(i, 0), points(i, 1));
    out << buf;
  }
}

void write_landscape_csv(std::ostream& out, const LandscapeGrid& g) {
  out << "a,b,energy_mhm,energy_kernel\n";
  char buf[128];
  for (size_t i = 0; i < g.a.size(); ++i) {
    for (size_t j = 0; j < g.b.size(); ++j) {
      std::snprintf(buf, sizeof buf, "%.17g,%.17g,%.17g,%.17g\n", g.a[i], g.b[j],
                    g.energy_mhm(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)),
                    g.energy_kernel(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
      out << buf;
    }
  }
}

PlotFigure landscape_figure(const std::vector<double>& a, const std::vector<double>& b, const Matrix& energy,
                            const std::vector<PlanePoint>& trajectory, const std::string& title, int levels) {
  PlotFigure f;
  f.title = title;
  f.x_label = "a (toward the target ξ_I)";
  f.y_label = "b (toward the rival ξ_J)";
  std::vector<double> values(a.size() * b.size());
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = 0; j < b.size(); ++j)
      values[i * b.size() + j] = energy(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  const std::vector<double> level_values = quantile_levels(values, levels);
  for (size_t k = 0; k < level_values.size(); ++k) {
    PlotSeries s = named("E = " + number(level_values[k]),
                         ramp(level_values.size() > 1 ? static_cast<double>(k) / (level_values.size() - 1) : 0.5),
                         "iso-line of the energy (levels at quantiles of the grid; dark = low)");
    for (const auto& line : iso_lines(a, b, values, level_values[k])) {
      if (!s.x.empty()) s.x.push_back(kPlotNaN), s.y.push_back(kPlotNaN);
      for (const auto& pt : line) s.x.push_back(pt.x), s.y.push_back(pt.y);
    }
    f.series.push_back(s);
  }
  PlotSeries traj = named("x_0..x_T", kRed, "the Stage II trajectory projected on the plane (its shadow)");
  for (const auto& p : trajectory) traj.x.push_back(p.a), traj.y.push_back(p.b);
  if (!traj.x.empty()) f.series.push_back(traj);
  PlotSeries corners = named("q, ξ_I, ξ_J", kBlack, "(0,0) the query, (1,0) the target, (0,1) the rival");
  add_point(corners, 0, 0);
  add_point(corners, 1, 0);
  add_point(corners, 0, 1);
  f.series.push_back(corners);
  return f;
}
}  // namespace uhop
