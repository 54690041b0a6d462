// The capacity lab's four pictures (docs/capacity.md), built from rows of numerics/capacity.h so the Studio, the
// exports and the tests draw the same thing: retrieved vs load with the theory lines, the exponential model's phase
// diagram with the alpha_1(beta) line, the basin (retrieved vs start overlap with rho_c) and the three laws
// (P_max vs N for hebbian, polynomial and exponential, measured points over the theory curves).
#pragma once
#include <string>
#include <vector>

#include "numerics/capacity.h"
#include "plot/plot_figure.h"
#include "plot/plot_heatmap.h"

namespace uhop {
// The load where `retrieved` first falls through 1/2 (linear between neighbouring rows); NaN when it never does.
double retrieved_crossing(const std::vector<CapacityRow>& rows);

// (a) retrieved fraction vs alpha, one series and its 95 % band per beta, a dashed vertical theory line per beta.
PlotFigure capacity_curve_figure(const CapacitySettings& s, const std::vector<CapacityRow>& rows);
// (b) retrieved over (alpha, beta) for the exponential model: rows = s.betas (largest on top), columns = s.alphas
// (both assumed evenly spaced and ascending); cells not yet measured are NaN. Overlay: the threshold at s's start
// overlap (alpha_1(beta) at 1) across the beta range.
HeatmapFigure capacity_phase_figure(const CapacitySettings& s, const std::vector<CapacityRow>& rows);
// (c) retrieved vs start overlap rho at one (alpha, beta): rows[i] was run at rhos[i]; a vertical line at rho_c.
PlotFigure capacity_basin_figure(const CapacitySettings& s, double alpha, double beta, const std::vector<double>& rhos,
                                 const std::vector<CapacityRow>& rows);

// (d) one measured capacity: law is "hebbian", "polynomial n=3", "polynomial n=4" or "exponential".
struct CapacityLawPoint {
  std::string law;
  int dim = 0;
  double p_max = kPlotNaN;  // patterns at the measured crossing of retrieved = 1/2
};
// P_max vs N on log-log axes (a power law N^k is a line of slope k; the exponential law bends upwards): theory
// curves 0.138 N, N^(n-1) / (2 (2n-3)!! ln N) and exp(alpha_1(beta) N), dashed, each over the N range of its law's
// points (points not measured yet have p_max NaN), and the measured points as markers.
PlotFigure capacity_laws_figure(const std::vector<CapacityLawPoint>& points, PatternEnsemble exp_patterns,
                                double exp_beta);
// The P of a law at load alpha and size N (continuous): alpha N, alpha N^(n-1) or exp(alpha N).
double capacity_law_count(const std::string& law, int dim, double alpha);
}  // namespace uhop
