#include "studio_figures.h"

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
}  // namespace studio
