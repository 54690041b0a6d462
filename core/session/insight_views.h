// The figures and CSV files of the four views that show *why* U-Hop retrieves better (issue "see why U-Hop works"):
// the probe (retrieval quality of all memories per Stage I step), Lemma 1's margin, the feature-space map and the
// energy landscape. Built GUI-free from plain data so the Studio draws and exports, and the CLI writes, the same
// things. The numbers come from numerics/retrieval_probe.h, separation_stats.h, feature_projection.h and
// energy_landscape.h.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "numerics/energy_landscape.h"
#include "plot/plot_figure.h"
#include "session.h"

namespace uhop {
// ---- 1. the probe: mean paper error and fraction retrieved per Stage I step, U-Hop (W_i) and MHM (flat, dashed)
PlotFigure probe_error_figure(const std::vector<Stage1Record>& log);
PlotFigure probe_retrieved_figure(const std::vector<Stage1Record>& log);

// ---- 2a. The query's margin (numerics/query_margin.h): the gap between the target's score and the best rival's,
// U-Hop in feature space (kernel with W_i) and MHM in pixel space (dot, dashed), against ln(M-1)/beta (above it the
// target's softmax weight is sure to pass 1/2) and 0 (below it a rival outweighs the target). Per Stage I step at the
// query x_0; per Stage II step at x_t of each run.
PlotFigure query_margin_figure(const std::vector<Stage1Record>& log, int count, double beta);
PlotFigure stage2_margin_figure(const std::vector<RetrievalRecord>& main_run, const std::vector<RetrievalRecord>& mhm,
                                const std::string& main_name, int count, double beta);

// ---- 2. Lemma 1's margin Delta^Phi_mu - 2 m_Phi R_Phi per step (a worst case over the sphere: vacuous on much real
// data, where the query's margin above still decides), and beta* for a chosen epsilon
struct BoundContext {
  int count = 0;         // M
  double m = 0;          // max_mu ||xi_mu||
  double beta = 1;       // the Stage II beta the bound is read at
  double epsilon = 0.1;  // beta* makes the bound < epsilon
};
// min, mean and target margins; 0 and ln(M-1)/beta marked (below that the bound is >= 2m: vacuous at this beta);
// steps shaded where the target's bound is vacuous at every beta (margin <= 0) or at this beta.
PlotFigure margin_figure(const std::vector<Stage1Record>& log, const BoundContext& c);
// beta* = ln(2m(M-1)/epsilon) / margin for the target and for all memories (min margin); a gap where margin <= 0
// (no beta helps); the current beta dashed. Log y.
PlotFigure beta_star_figure(const std::vector<Stage1Record>& log, const BoundContext& c);

// ---- 3. the feature map: memories as class-coloured dots on the top two principal components, the target marked,
// and a trajectory (rows x_0..x_T already projected) drawn through them.
struct FeatureMapPicture {
  std::string title;
  Matrix points;                         // M x 2
  std::vector<int> labels;               // per memory, -1 unknown (may be empty)
  std::vector<std::string> class_names;  // label -> name (may be empty)
  int target = -1;
  Matrix trajectory;  // (T+1) x 2, may be empty
};
PlotFigure feature_map_figure(const FeatureMapPicture& p);
void write_projection_csv(std::ostream& out, const Matrix& points);  // index,x,y

// ---- 4. the energy landscape on the plane q + a (xi_I - q) + b (xi_J - q)
struct LandscapeGrid {
  std::vector<double> a, b;          // the grid's axes
  Matrix energy_mhm, energy_kernel;  // a.size() x b.size(): row i = a_i
};
// N^2 rows a,b,energy_mhm,energy_kernel (a outer, b inner), numbers as %.17g.
void write_landscape_csv(std::ostream& out, const LandscapeGrid& grid);
// Iso-lines of `energy` at `levels` quantile levels (coloured low = dark to high = light), the query (0,0), target
// (1,0) and rival (0,1), and the trajectory's shadow on the plane.
PlotFigure landscape_figure(const std::vector<double>& a, const std::vector<double>& b, const Matrix& energy,
                            const std::vector<PlanePoint>& trajectory, const std::string& title, int levels = 8);
}  // namespace uhop
