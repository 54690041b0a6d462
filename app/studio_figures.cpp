#include "studio_figures.h"

#include <algorithm>
#include "insight_figures.h"

namespace studio {
uhop::RunLogs run_logs(const StudioSnapshot& s) {
  uhop::RunLogs logs;
  logs.stage1 = s.stage1_log;
  logs.retrieval = s.retrieval_log;
  logs.baseline = s.baseline_log;
  logs.similarity = s.state.stage2.similarity;
  logs.m = s.stats.m;
  return logs;
}

bool studio_figure(const StudioSnapshot& s, const std::string& id, uhop::PlotFigure& out) {
  if (id == "sweep") {
    if (!s.sweep) return false;
    out = s.sweep->figure;
    return true;
  }
  if (!s.has_session) return false;
  if (is_insight_plot(id)) return insight_figure(s, id, out);
  return uhop::run_figure(run_logs(s), id, out);
}

const std::vector<std::string>& heatmap_ids() {
  static const std::vector<std::string> ids = {"heat-initial", "heat-now"};
  return ids;
}

std::pair<float, float> heatmap_range(const Heatmap& h) {
  float lo = 0;
  for (float v : h.values) lo = std::min(lo, v);
  return {lo, 1.0f};
}

bool studio_heatmap(const StudioSnapshot& s, const std::string& id, uhop::HeatmapFigure& out) {
  const Heatmap* h = id == "heat-initial" ? &s.heat_initial : id == "heat-now" ? &s.heat_now : nullptr;
  if (!h || h->n <= 0 || !s.memories) return false;
  const int step = s.stage1_log.empty() ? 0 : s.stage1_log.back().step;
  out = uhop::HeatmapFigure();
  out.title = id == "heat-initial" ? "feature cosine at step 0" : "feature cosine at step " + std::to_string(step);
  out.x_label = "memory ν";
  out.y_label = "memory μ";
  out.value_label = "cos(Φ(ξ_μ), Φ(ξ_ν))";
  out.rows = out.cols = h->n;
  out.values.assign(h->values.begin(), h->values.end());
  const auto [lo, hi] = heatmap_range(*h);
  out.lo = lo, out.hi = hi;
  const double m = s.memories->set.count();  // cells are block means when M > n
  out.x0 = out.y0 = 0, out.x1 = out.y1 = m;
  return true;
}
}  // namespace studio
