#include "studio_figures.h"

#include <algorithm>
#include <cmath>

namespace studio {
namespace {
uhop::PlotSeries named_series(const char* name, uint32_t color, const char* tooltip = "") {
  uhop::PlotSeries s;
  s.name = name;
  s.color = color;
  s.tooltip = tooltip;
  return s;
}

uhop::PlotFigure stage1_figure(const StudioSnapshot& s, const char* title, const char* y_label) {
  uhop::PlotFigure f;
  f.title = title;
  f.x_label = "step i";
  f.y_label = y_label;
  if (!s.stage1_log.empty()) f.marker_x = s.stage1_log.back().step;
  return f;
}

uhop::PlotFigure stage2_figure(const StudioSnapshot& s, const char* title) {
  uhop::PlotFigure f;
  f.title = title;
  f.x_label = "step t";
  if (!s.retrieval_log.empty()) f.marker_x = s.retrieval_log.back().step;
  return f;
}
}  // namespace

uhop::PlotFigure loss_figure(const StudioSnapshot& s) {
  uhop::PlotFigure f = stage1_figure(s, "separation loss L_Φ", "L");
  uhop::PlotSeries ls = named_series(
      "L_Φ", 0x1f77b4, "avg: log of the mean of exp(-t ‖f_mu - f_nu‖^2) over pairs; max: the closest pair");
  for (const auto& r : s.stage1_log) {
    ls.x.push_back(r.step);
    ls.y.push_back(r.loss);
  }
  f.series.push_back(ls);
  return f;
}

uhop::PlotFigure delta_figure(const StudioSnapshot& s) {
  uhop::PlotFigure f = stage1_figure(s, "separation Δ^Φ over memories", "Δ^Φ");
  uhop::PlotBand band{"min..max", {}, {}, {}, 0xff7f0e};
  uhop::PlotSeries dmin = named_series("min", 0xd62728, "min_μ Δ^Φ_mu, Δ^Φ_mu = K(ξ_μ, ξ_μ) - max_{ν ≠ μ} K(ξ_μ, ξ_ν)");
  uhop::PlotSeries dmean = named_series("mean", 0xff7f0e, "mean over mu of Δ^Φ_mu");
  for (const auto& r : s.stage1_log) {
    band.x.push_back(r.step);
    band.lo.push_back(r.delta_phi_min);
    band.hi.push_back(r.delta_phi_max);
    dmin.x.push_back(r.step);
    dmin.y.push_back(r.delta_phi_min);
    dmean.x.push_back(r.step);
    dmean.y.push_back(r.delta_phi_mean);
  }
  f.bands.push_back(band);
  f.series = {dmin, dmean};
  return f;
}

uhop::PlotFigure radius_figure(const StudioSnapshot& s) {
  uhop::PlotFigure f = stage1_figure(s, "radius R_Φ", "R_Φ");
  uhop::PlotSeries rs = named_series("R_Φ", 0x2ca02c, "R_Φ = 1/2 min_{μ != nu} ‖W ξ_μ - W ξ_ν‖: the sphere of Lemma 1");
  for (const auto& r : s.stage1_log) {
    rs.x.push_back(r.step);
    rs.y.push_back(r.r_phi);
  }
  f.series.push_back(rs);
  return f;
}

uhop::PlotFigure energy_figure(const StudioSnapshot& s) {
  uhop::PlotFigure f = stage2_figure(s, "energy E(x_t)");
  uhop::PlotSeries es =
      named_series("E", 0x9467bd, "E(x) = 1/2 K(x,x) - (1/beta) Ψ*_α(beta k(x)) (without constants); never rises");
  for (const auto& r : s.retrieval_log) {
    es.x.push_back(r.step);
    es.y.push_back(r.energy);
  }
  f.series.push_back(es);
  return f;
}

uhop::PlotFigure error_figure(const StudioSnapshot& s) {
  uhop::PlotFigure f = stage2_figure(s, "error ‖x_t - ξ_μ‖ and the Lemma 1 bound");
  f.log_y = true;
  uhop::PlotSeries err = named_series("measured", 0x1f77b4, "‖x_t - ξ_μ‖");
  uhop::PlotSeries bound = named_series("bound", 0xd62728,
                                        "Lemma 1: ‖T(x) - ξ_μ‖ ≤ 2m(M-1) exp(-beta (Δ^Φ_mu - 2 m_Φ R_Φ)) when x is in "
                                        "the sphere ‖Wx - W ξ_μ‖ ≤ R_Φ; 0 when exact retrieval is guaranteed");
  bound.dashed = true;
  int outside = 0, vacuous = 0;
  const double two_m = 2 * s.stats.m;
  for (const auto& r : s.retrieval_log) {
    err.x.push_back(r.step);
    err.y.push_back(r.error);
    bound.x.push_back(r.step);
    // A vacuous bound (>= 2m, which any convex combination of memories meets) is drawn at 2m: its raw value
    // can be ~1e30 and would flatten the measured curve on the log axis. The grey shading says it is vacuous.
    bound.y.push_back(std::isfinite(r.bound) && two_m > 0 ? std::min(r.bound, two_m) : r.bound);
    // Shade the step intervals whose state is outside the sphere (bound does not apply to the next step).
    if (r.sphere_defined && !r.in_sphere) {
      f.intervals.push_back({r.step - 0.5, r.step + 0.5, outside++ == 0 ? "outside sphere" : "", 0xd62728});
    } else if (std::isfinite(r.bound) && r.bound >= two_m && two_m > 0) {
      f.intervals.push_back({r.step - 0.5, r.step + 0.5, vacuous++ == 0 ? "bound vacuous (>= 2m)" : "", 0x999999});
    }
  }
  f.series = {err, bound};
  return f;
}

uhop::PlotFigure compare_figure(const StudioSnapshot& s) {
  uhop::PlotFigure f;
  f.title = "error ‖x_t - ξ_μ‖";
  f.x_label = "step t";
  f.log_y = true;
  uhop::PlotSeries mhm = named_series("MHM", 0x7f7f7f, "dot similarity, W = I");
  uhop::PlotSeries uhop_s = named_series("U-Hop", 0x1f77b4);
  uhop_s.tooltip = std::string(uhop::to_string(s.state.stage2.similarity)) + " similarity with the current W";
  for (const auto& r : s.baseline_log) {
    mhm.x.push_back(r.step);
    mhm.y.push_back(r.error);
  }
  for (const auto& r : s.retrieval_log) {
    uhop_s.x.push_back(r.step);
    uhop_s.y.push_back(r.error);
  }
  f.series = {mhm, uhop_s};
  return f;
}

bool studio_figure(const StudioSnapshot& s, const std::string& id, uhop::PlotFigure& out) {
  if (id == "sweep") {
    if (!s.sweep) return false;
    out = s.sweep->figure;
    return true;
  }
  if (!s.has_session) return false;
  if (id == "loss") {
    out = loss_figure(s);
  } else if (id == "delta") {
    out = delta_figure(s);
  } else if (id == "radius") {
    out = radius_figure(s);
  } else if (id == "energy") {
    out = energy_figure(s);
  } else if (id == "error") {
    out = error_figure(s);
  } else if (id == "compare") {
    out = compare_figure(s);
  } else {
    return false;
  }
  return true;
}
}  // namespace studio
