// The Studio's plots for a snapshot: the GUI-free builders of core/session/run_plots.h fed with the snapshot's logs, so
// the screen, the exports (context menu, export-plot) and `uhop replay` all draw the very same figures.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "plot/plot_figure.h"
#include "plot/plot_heatmap.h"
#include "session/run_plots.h"
#include "studio_worker.h"

namespace studio {
uhop::RunLogs run_logs(const StudioSnapshot& s);

inline uhop::PlotFigure loss_figure(const StudioSnapshot& s) {
  return uhop::loss_figure(run_logs(s));
}
inline uhop::PlotFigure delta_figure(const StudioSnapshot& s) {
  return uhop::delta_figure(run_logs(s));
}
inline uhop::PlotFigure radius_figure(const StudioSnapshot& s) {
  return uhop::radius_figure(run_logs(s));
}
inline uhop::PlotFigure energy_figure(const StudioSnapshot& s) {
  return uhop::energy_figure(run_logs(s));
}
inline uhop::PlotFigure error_figure(const StudioSnapshot& s) {
  return uhop::error_figure(run_logs(s));
}
inline uhop::PlotFigure compare_figure(const StudioSnapshot& s) {
  return uhop::compare_figure(run_logs(s));
}

// The figure for an id (core's run_plot_ids() plus "sweep"); false when the id is unknown or there is nothing to
// plot yet (no session, no sweep).
bool studio_figure(const StudioSnapshot& s, const std::string& id, uhop::PlotFigure& out);

// The heatmaps as figures with a colorbar: "heat-initial" (the feature cosines of W_0) and "heat-now" (the current
// W). False when the id is not a heatmap or there is none yet. New heatmaps add their id here.
bool studio_heatmap(const StudioSnapshot& s, const std::string& id, uhop::HeatmapFigure& out);
const std::vector<std::string>& heatmap_ids();
// A heatmap's colour scale, from its own values only (never shared with another panel, so the step-0 heatmap keeps
// its colours while Stage I trains): [min(0, lowest value), 1] for cosines.
std::pair<float, float> heatmap_range(const Heatmap& h);
}  // namespace studio
