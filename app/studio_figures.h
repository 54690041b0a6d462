// The Studio's plots as uhop::PlotFigures, built from a snapshot with no GUI: the panels draw them and the exports
// (context menu or the export-plot script command) save the very same figure. Ids are those of plot_ids().
#pragma once
#include <string>

#include "plot_figure.h"
#include "studio_worker.h"

namespace studio {
uhop::PlotFigure loss_figure(const StudioSnapshot& s);     // L_Phi vs step
uhop::PlotFigure delta_figure(const StudioSnapshot& s);    // Delta^Phi min, mean and the min..max band
uhop::PlotFigure radius_figure(const StudioSnapshot& s);   // R_Phi vs step
uhop::PlotFigure energy_figure(const StudioSnapshot& s);   // E(x_t)
uhop::PlotFigure error_figure(const StudioSnapshot& s);    // ||x_t - xi_mu|| and the Lemma 1 bound, shaded intervals
uhop::PlotFigure compare_figure(const StudioSnapshot& s);  // MHM vs U-Hop error

// The figure for an id; false when the id is unknown or there is nothing to plot yet (no session, no sweep).
bool studio_figure(const StudioSnapshot& s, const std::string& id, uhop::PlotFigure& out);
}  // namespace studio
