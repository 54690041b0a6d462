#include "insight_figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "numerics/query_margin.h"
#include "numerics/separation_stats.h"
#include "session/run_plots.h"

namespace studio {
namespace {
int c_count(const StudioSnapshot& s) {
  return s.memories ? s.memories->set.count() : 0;
}

uhop::FeatureMapPicture map_picture(const StudioSnapshot& s, bool uhop_side) {
  uhop::FeatureMapPicture p;
  const FeatureMapView& v = *s.insight.feature_map;
  char title[160];
  if (uhop_side)
    std::snprintf(title, sizeof title, "U-Hop: W ξ_μ / ‖W ξ_μ‖ at step %d (PCA, %.0f%% of the variance)", v.stage1_step,
                  100 * v.uhop.variance.sum() / std::max(v.uhop.total_variance, 1e-300));
  else
    std::snprintf(title, sizeof title, "MHM: ξ_μ / ‖ξ_μ‖, W = I (PCA, %.0f%% of the variance)",
                  100 * v.mhm.variance.sum() / std::max(v.mhm.total_variance, 1e-300));
  p.title = title;
  p.points = uhop_side ? v.uhop.points : v.mhm.points;
  if (s.memories) {
    p.labels = s.memories->set.labels;
    p.class_names = s.memories->set.class_names;
  }
  p.target = s.state.target;
  p.trajectory = uhop_side ? s.insight.map_trajectory : s.insight.map_mhm_trajectory;
  return p;
}
}  // namespace

bool is_insight_plot(const std::string& id) {
  static const char* ids[] = {"probe-error", "probe-retrieved", "query-margin",     "stage2-margin", "margin",
                              "beta-star",   "feature-map-mhm", "feature-map-uhop", "landscape-mhm", "landscape-uhop"};
  for (const char* known : ids)
    if (id == known) return true;
  return false;
}

uhop::BoundContext bound_context(const StudioSnapshot& s) {
  uhop::BoundContext c;
  c.count = s.memories ? s.memories->set.count() : 0;
  c.m = s.stats.m;
  c.beta = s.state.stage2.beta;
  c.epsilon = s.state.bound_epsilon;
  return c;
}

std::string query_margin_caption(const StudioSnapshot& s) {
  if (s.stage1_log.empty()) return "";
  const auto& row = s.stage1_log.back();
  const double half = uhop::half_weight_margin(c_count(s), s.state.stage2.beta);
  const double uhop = row.query_margin, mhm = row.mhm_query_margin, lemma = row.bound_margin_target;
  if (!std::isfinite(uhop) || !std::isfinite(mhm)) return "";
  char why[400], lemma_text[300];
  if (uhop >= half && mhm < 0)
    std::snprintf(why, sizeof why,
                  "U-Hop wins here: at the query the target leads the best rival by %+.3g in feature space, past "
                  "ln(M-1)/β = %.3g, so it gets most of the weight; in pixels it trails by %.3g, so a rival "
                  "outweighs it for MHM.",
                  uhop, half, -mhm);
  else
    std::snprintf(why, sizeof why,
                  "At the query the target's score minus the best rival's is %+.3g in feature space (U-Hop) and "
                  "%+.3g in pixels (MHM); at or above ln(M-1)/β = %.3g the target gets at least half the weight, "
                  "below 0 a rival outweighs it.",
                  uhop, mhm, half);
  if (std::isfinite(lemma))
    std::snprintf(lemma_text, sizeof lemma_text,
                  " Lemma 1 is a worst case over every query within R_Φ of the target: it says something only once "
                  "its margin Δ^Φ_μ - 2 m_Φ R_Φ passes %.3g (now %+.3g%s).",
                  half, lemma, lemma > half ? ": it applies" : ": vacuous here");
  else
    lemma_text[0] = 0;
  return std::string(why) + lemma_text;
}

std::string query_margin_brief(const StudioSnapshot& s) {
  if (s.stage1_log.empty()) return "";
  const auto& row = s.stage1_log.back();
  if (!std::isfinite(row.query_margin) || !std::isfinite(row.mhm_query_margin)) return "";
  char text[200];
  std::snprintf(text, sizeof text,
                "why: target - best rival at x_0: %+.3g in features, %+.3g in pixels (½ weight at %.3g)",
                row.query_margin, row.mhm_query_margin, uhop::half_weight_margin(c_count(s), s.state.stage2.beta));
  return text;
}

bool insight_figure(const StudioSnapshot& s, const std::string& id, uhop::PlotFigure& out) {
  if (!s.has_session) return false;
  if (id == "probe-error") return out = uhop::probe_error_figure(s.stage1_log), true;
  if (id == "probe-retrieved") return out = uhop::probe_retrieved_figure(s.stage1_log), true;
  if (id == "query-margin") return out = uhop::query_margin_figure(s.stage1_log, c_count(s), s.state.stage2.beta), true;
  if (id == "stage2-margin")
    return out =
               uhop::stage2_margin_figure(s.retrieval_log, s.baseline_log, uhop::method_name(s.state.stage2.similarity),
                                          c_count(s), s.state.stage2.beta),
           true;
  if (id == "margin") return out = uhop::margin_figure(s.stage1_log, bound_context(s)), true;
  if (id == "beta-star") return out = uhop::beta_star_figure(s.stage1_log, bound_context(s)), true;
  if (id == "feature-map-mhm" || id == "feature-map-uhop") {
    if (!s.insight.feature_map) return false;
    out = uhop::feature_map_figure(map_picture(s, id == "feature-map-uhop"));
    return true;
  }
  if (id == "landscape-mhm" || id == "landscape-uhop") {
    const auto& v = s.insight.landscape;
    if (!v || !v->error.empty() || v->a.empty()) return false;
    const bool kernel = id == "landscape-uhop";
    char title[160];
    std::snprintf(title, sizeof title, "%s energy on q + a(ξ_%d - q) + b(ξ_%d - q), α = %g, β = %g",
                  kernel ? "U-Hop" : "MHM", v->target, v->rival, v->alpha, v->beta);
    out = uhop::landscape_figure(v->a, v->b, kernel ? v->energy_kernel : v->energy_mhm,
                                 kernel ? s.insight.plane_trajectory : s.insight.plane_mhm_trajectory, title);
    return true;
  }
  return false;
}

bool write_landscape_grid_csv(const StudioSnapshot& s, std::ostream& out) {
  const auto& v = s.insight.landscape;
  if (!v || !v->error.empty() || v->a.empty()) return false;
  uhop::LandscapeGrid g;
  g.a = v->a;
  g.b = v->b;
  g.energy_mhm = v->energy_mhm;
  g.energy_kernel = v->energy_kernel;
  uhop::write_landscape_csv(out, g);
  return true;
}

Heatmap landscape_heatmap(const LandscapeView& v, bool kernel, float* lo, float* hi) {
  Heatmap h;
  const uhop::Matrix& e = kernel ? v.energy_kernel : v.energy_mhm;
  const int n = static_cast<int>(e.rows());
  if (n == 0 || e.cols() != n) return h;
  h.n = n;
  h.values.resize(static_cast<size_t>(n) * n);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) h.values[static_cast<size_t>(r) * n + c] = static_cast<float>(e(c, n - 1 - r));
  std::vector<float> sorted = h.values;
  std::sort(sorted.begin(), sorted.end());
  *lo = sorted[sorted.size() * 2 / 100];
  *hi = sorted[sorted.size() * 98 / 100];
  if (!(*hi > *lo)) *hi = *lo + 1;
  return h;
}
}  // namespace studio
