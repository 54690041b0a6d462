#include "capacity_figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "numerics/capacity_theory.h"

namespace uhop {
namespace {
const uint32_t kColors[] = {0x1f77b4, 0xd62728, 0x2ca02c, 0x9467bd, 0xff7f0e, 0x8c564b, 0xe377c2, 0x17becf};
uint32_t color_of(size_t i) {
  return kColors[i % (sizeof kColors / sizeof kColors[0])];
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

PlotSeries vertical(const std::string& name, double x, uint32_t color) {
  PlotSeries s;
  s.name = name;
  s.x = {x, x};
  s.y = {0, 1};
  s.color = color;
  s.dashed = true;
  return s;
}
}  // namespace

double retrieved_crossing(const std::vector<CapacityRow>& rows) {
  for (size_t i = 1; i < rows.size(); ++i) {
    const double r0 = rows[i - 1].retrieved, r1 = rows[i].retrieved;
    if (r0 >= 0.5 && r1 < 0.5) {
      const double a0 = rows[i - 1].cell.alpha, a1 = rows[i].cell.alpha;
      return a0 + (a1 - a0) * (r0 - 0.5) / (r0 - r1);
    }
  }
  return kPlotNaN;
}

PlotFigure capacity_curve_figure(const CapacitySettings& s, const std::vector<CapacityRow>& rows) {
  PlotFigure f;
  const bool expo = s.model == CapacityModel::exponential;
  f.title = std::string(to_string(s.model)) + " (" + to_string(s.patterns) + "), N = " + std::to_string(s.dim) +
            (s.model == CapacityModel::polynomial ? ", n = " + std::to_string(s.degree) : "") + ", " +
            std::to_string(s.trials) + " trials" +
            (s.start_overlap < 1 ? fmt(", start overlap %g", s.start_overlap) : "");
  f.x_label = expo ? "alpha = ln(P) / N" : s.model == CapacityModel::hebbian ? "alpha = P / N" : "alpha = P / N^(n-1)";
  f.y_label = "retrieved (final overlap >= 0.95)";
  const std::vector<double> betas = expo ? s.betas : std::vector<double>{0.0};
  for (size_t b = 0; b < betas.size(); ++b) {
    const std::string tag = expo ? fmt("beta %g", betas[b]) : std::string("measured");
    PlotSeries line;
    PlotBand band;
    line.name = "retrieved, " + tag;
    band.name = "95% interval, " + tag;
    line.color = band.color = color_of(b);
    for (const CapacityRow& r : rows) {
      if (r.cell.beta != betas[b]) continue;
      line.x.push_back(r.cell.alpha);
      line.y.push_back(r.retrieved);
      band.x.push_back(r.cell.alpha);
      band.lo.push_back(r.retrieved_lo);
      band.hi.push_back(r.retrieved_hi);
    }
    f.series.push_back(line);
    f.bands.push_back(band);
    const double th = capacity_theory(s, betas[b]);
    const std::string what = expo                                ? (s.start_overlap < 1 ? "threshold" : "alpha_1")
                             : s.model == CapacityModel::hebbian ? "AGS alpha_c"
                                                                 : "Krotov-Hopfield";
    f.series.push_back(vertical(what + fmt(" = %.3g", th) + (expo ? ", " + tag : ""), th, color_of(b)));
  }
  return f;
}

HeatmapFigure capacity_phase_figure(const CapacitySettings& s, const std::vector<CapacityRow>& rows) {
  HeatmapFigure h;
  h.title =
      "exponential (" + std::string(to_string(s.patterns)) + "), N = " + std::to_string(s.dim) + ": retrieved fraction";
  h.x_label = "alpha = ln(P) / N";
  h.y_label = "beta";
  h.value_label = "retrieved";
  h.rows = static_cast<int>(s.betas.size());
  h.cols = static_cast<int>(s.alphas.size());
  h.values.assign(static_cast<size_t>(h.rows) * h.cols, kPlotNaN);
  const int cols = h.cols;
  for (const CapacityRow& r : rows) {
    const int bi = r.cell.index / cols, ai = r.cell.index % cols;
    h.values[static_cast<size_t>(h.rows - 1 - bi) * cols + ai] = r.retrieved;  // largest beta on top
  }
  auto edges = [](const std::vector<double>& v, double& lo, double& hi) {
    const double step = v.size() > 1 ? (v.back() - v.front()) / (v.size() - 1) : std::max(0.05, 0.1 * v.front());
    lo = v.front() - step / 2;
    hi = v.back() + step / 2;
  };
  edges(s.alphas, h.x0, h.x1);
  double blo = 0, bhi = 0;
  edges(s.betas, blo, bhi);
  h.y0 = bhi;
  h.y1 = blo;
  PlotSeries line;
  line.name = s.start_overlap < 1 ? "threshold" : "alpha_1(beta)";
  line.color = 0xffffff;
  for (int i = 0; i <= 200; ++i) {
    const double beta = std::max(1e-6, blo + (bhi - blo) * i / 200.0);
    line.x.push_back(exponential_threshold(s.patterns, beta, s.start_overlap));
    line.y.push_back(beta);
  }
  h.overlays.push_back(line);
  return h;
}

PlotFigure capacity_basin_figure(const CapacitySettings& s, double alpha, double beta, const std::vector<double>& rhos,
                                 const std::vector<CapacityRow>& rows) {
  PlotFigure f;
  f.title = "basin: exponential (" + std::string(to_string(s.patterns)) + "), N = " + std::to_string(s.dim) +
            fmt(", alpha %g", alpha) + fmt(", beta %g", beta);
  f.x_label = "start overlap rho";
  f.y_label = "retrieved (final overlap >= 0.95)";
  PlotSeries line;
  PlotBand band;
  line.name = "retrieved";
  band.name = "95% interval";
  for (size_t i = 0; i < rows.size() && i < rhos.size(); ++i) {
    line.x.push_back(rhos[i]);
    line.y.push_back(rows[i].retrieved);
    band.x.push_back(rhos[i]);
    band.lo.push_back(rows[i].retrieved_lo);
    band.hi.push_back(rows[i].retrieved_hi);
  }
  f.series.push_back(line);
  f.bands.push_back(band);
  const double rc = critical_start_overlap(s.patterns, alpha, beta);
  f.series.push_back(vertical(fmt("rho_c = %.3g", rc), rc, 0xd62728));
  return f;
}

double capacity_law_count(const std::string& law, int dim, double alpha) {
  if (law == "hebbian") return alpha * dim;
  if (law == "polynomial n=3") return alpha * std::pow(dim, 2);
  if (law == "polynomial n=4") return alpha * std::pow(dim, 3);
  return std::exp(alpha * dim);
}

PlotFigure capacity_laws_figure(const std::vector<CapacityLawPoint>& points, PatternEnsemble exp_patterns,
                                double exp_beta) {
  PlotFigure f;
  f.title = "three laws: capacity P_max vs N";
  f.x_label = "N";
  f.y_label = "P_max (retrieved = 1/2)";
  f.log_y = f.log_x = true;  // log-log: the hebbian and polynomial laws are lines of slope 1, 2, 3
  struct Law {
    std::string name;
    uint32_t color;
  };
  const Law laws[] = {
      {"hebbian", 0x1f77b4}, {"polynomial n=3", 0x2ca02c}, {"polynomial n=4", 0x9467bd}, {"exponential", 0xd62728}};
  const double a1 = exponential_threshold(exp_patterns, exp_beta);
  for (const Law& law : laws) {
    PlotSeries theory;
    theory.name = law.name + " theory";
    theory.color = law.color;
    theory.dashed = true;
    int n_lo = 1 << 30, n_hi = 0;
    for (const CapacityLawPoint& pt : points)
      if (pt.law == law.name) n_lo = std::min(n_lo, pt.dim), n_hi = std::max(n_hi, pt.dim);
    for (int n = std::max(2, n_lo); n <= n_hi; ++n) {
      double p = 0;
      if (law.name == "hebbian") p = kHebbianAlphaC * n;
      if (law.name == "polynomial n=3") p = std::pow(n, 2) * polynomial_alpha_max(3, n);
      if (law.name == "polynomial n=4") p = std::pow(n, 3) * polynomial_alpha_max(4, n);
      if (law.name == "exponential") p = std::exp(a1 * n);
      theory.x.push_back(n);
      theory.y.push_back(p);
    }
    PlotSeries measured;
    measured.name = law.name + " measured";
    measured.color = law.color;
    measured.markers = true;  // measured points over the theory's dashed line
    for (const CapacityLawPoint& pt : points)
      if (pt.law == law.name && std::isfinite(pt.p_max)) {
        measured.x.push_back(pt.dim);
        measured.y.push_back(pt.p_max);
      }
    f.series.push_back(theory);
    f.series.push_back(measured);
  }
  return f;
}
}  // namespace uhop
