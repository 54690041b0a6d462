// Iso-lines of a function sampled on a grid (marching squares), as polylines in data coordinates: the landscape view
// draws them over its heatmap and exports them as plain PlotFigure series.
#pragma once
#include <vector>

#include "plot_figure.h"

namespace uhop {
struct ContourPoint {
  double x = 0, y = 0;
};
// values[i * ys.size() + j] is the function at (xs[i], ys[j]); xs and ys increasing, at least 2 each. Returns the
// curves where the bilinear-edge interpolation of the grid crosses `level`, each an open or closed polyline
// (closed: first point == last point). Cells with a NaN corner are skipped; saddles are resolved by the cell mean.
std::vector<std::vector<ContourPoint>> iso_lines(const std::vector<double>& xs, const std::vector<double>& ys,
                                                 const std::vector<double>& values, double level);
// `count` levels at evenly spaced quantiles (1/(count+1) .. count/(count+1)) of the finite values: lines where the data
// is, whatever its spread. Sorted ascending; fewer when the values are constant.
std::vector<double> quantile_levels(const std::vector<double>& values, int count);
}  // namespace uhop
