// The standard plots of a run as PlotFigures (GUI-free): what `uhop replay` exports and what the Studio can draw,
// built from the same logs the CSV files hold.
#pragma once
#include <string>
#include <vector>

#include "plot_figure.h"
#include "session.h"

namespace uhop {
struct NamedFigure {
  std::string name;  // file stem: "stage1_loss", "stage1_separation", "retrieval_error", "retrieval_energy"
  PlotFigure figure;
};

// Separation loss vs step.
PlotFigure stage1_loss_figure(const std::vector<Stage1Record>& log);
// min / mean / max Delta^Phi and R_Phi vs step.
PlotFigure stage1_separation_figure(const std::vector<Stage1Record>& log);
// ||x_s - xi_target|| of the run and of the MHM baseline, with the Lemma 1 bound dashed (log y).
PlotFigure retrieval_error_figure(const RetrievalRun& run, const RetrievalRun& baseline);
// E(x_s) of the run and the baseline (NaN where the similarity has no energy).
PlotFigure retrieval_energy_figure(const RetrievalRun& run, const RetrievalRun& baseline);

std::vector<NamedFigure> session_figures(const Session& session);  // all four
}  // namespace uhop
