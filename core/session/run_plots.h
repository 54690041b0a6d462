// The Studio's plots as PlotFigures, built GUI-free from the logs of a run: the Studio draws and exports them, and
// `uhop replay` writes the very same figures, so a plot cannot differ between the app and the command line.
#pragma once
#include <string>
#include <vector>

#include "plot/plot_figure.h"
#include "session.h"

namespace uhop {
// What the figures read: the logs plus the two facts of a run they need besides them.
struct RunLogs {
  std::vector<Stage1Record> stage1;
  std::vector<RetrievalRecord> retrieval;  // the main run (chosen similarity)
  std::vector<RetrievalRecord> baseline;   // plain MHM on the same query
  Similarity similarity = Similarity::kernel;
  double m = 0;  // max_mu ||xi_mu||: a bound >= 2m is vacuous
};
RunLogs run_logs(const Session& session);

PlotFigure loss_figure(const RunLogs& logs);     // L_Phi vs step
PlotFigure delta_figure(const RunLogs& logs);    // Delta^Phi min and mean, min..max band
PlotFigure radius_figure(const RunLogs& logs);   // R_Phi vs step
PlotFigure energy_figure(const RunLogs& logs);   // E(x_t)
PlotFigure error_figure(const RunLogs& logs);    // ||x_t - xi_mu|| and the Lemma 1 bound, shaded intervals
PlotFigure compare_figure(const RunLogs& logs);  // MHM vs the main run's error (named by method_name)

// What the main run is called on screen and in the compare plot: "U-Hop" (kernel), "MHM (main run)" (dot: the same
// as the MHM baseline), "Euclidean", "Manhattan".
const char* method_name(Similarity similarity);

// The plot ids, in panel order: loss delta radius energy error compare.
const std::vector<std::string>& run_plot_ids();
// The figure for an id; false for an unknown id.
bool run_figure(const RunLogs& logs, const std::string& id, PlotFigure& out);

struct NamedFigure {
  std::string name;  // the plot id, used as the file stem
  PlotFigure figure;
};
std::vector<NamedFigure> session_figures(const Session& session);  // every plot of run_plot_ids()
}  // namespace uhop
