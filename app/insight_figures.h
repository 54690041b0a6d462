// The "why" views' figures for a snapshot (GUI-free, in the logic library): the probe, Lemma 1's margin and beta*, the
// feature maps and the landscapes, built by core/session/insight_views.h from the snapshot, so the screen, the
// right-click exports and `export-plot` show the same thing.
#pragma once
#include <iosfwd>
#include <string>

#include "plot/plot_figure.h"
#include "session/insight_views.h"
#include "studio_worker.h"

namespace studio {
// probe-error probe-retrieved query-margin stage2-margin margin beta-star feature-map-* landscape-*
bool is_insight_plot(const std::string& id);
// The figure for an insight id; false when there is nothing to plot yet (no session, no map, no landscape).
bool insight_figure(const StudioSnapshot& s, const std::string& id, uhop::PlotFigure& out);
uhop::BoundContext bound_context(const StudioSnapshot& s);
// One sentence why this query goes where it goes, from its margins at x_0 (the last Stage I row: the current W) and
// ln(M-1)/beta, and when Lemma 1 would vouch for it instead (the Compare panel and the margin view show it).
std::string query_margin_caption(const StudioSnapshot& s);
// The same in a few words for a narrow place (Compare): "why: gap in features +19.3 (½ weight at 2.94), in pixels
// -52.6"; empty when there are no margins.
std::string query_margin_brief(const StudioSnapshot& s);  // M, m, the Stage II beta and the chosen epsilon
// The landscape's grid as `uhop landscape` writes it (export-plot landscape-*.csv); false when there is none.
bool write_landscape_grid_csv(const StudioSnapshot& s, std::ostream& out);
// A landscape as a heatmap (row 0 at the top = the largest b; column = a), and its colour range [lo, hi]: the 2nd to
// 98th percentile of the grid, so the basins are not washed out by the steep corners.
Heatmap landscape_heatmap(const LandscapeView& v, bool kernel, float* lo, float* hi);
}  // namespace studio
