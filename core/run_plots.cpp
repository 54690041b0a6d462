#include "run_plots.h"

namespace uhop {
namespace {
constexpr uint32_t kBlue = 0x1f77b4, kOrange = 0xff7f0e, kGreen = 0x2ca02c, kRed = 0xd62728, kGray = 0x7f7f7f;

PlotSeries stage1_series(const std::vector<Stage1Record>& log, const std::string& name, uint32_t color,
                         double Stage1Record::*field) {
  PlotSeries s;
  s.name = name;
  s.color = color;
  for (const Stage1Record& r : log) s.x.push_back(r.step), s.y.push_back(r.*field);
  return s;
}

PlotSeries run_series(const RetrievalRun& run, const std::string& name, uint32_t color,
                      double RetrievalRecord::*field) {
  PlotSeries s;
  s.name = name;
  s.color = color;
  for (const RetrievalRecord& r : run.log) s.x.push_back(r.step), s.y.push_back(r.*field);
  return s;
}

std::string run_name(const RetrievalRun& run) {
  return std::string(to_string(run.settings.similarity)) + (run.settings.similarity == Similarity::dot ? " (MHM)" : "");
}
}  // namespace

PlotFigure stage1_loss_figure(const std::vector<Stage1Record>& log) {
  PlotFigure f;
  f.title = "Stage I: separation loss";
  f.x_label = "step";
  f.y_label = "loss";
  f.series.push_back(stage1_series(log, "loss", kBlue, &Stage1Record::loss));
  return f;
}

PlotFigure stage1_separation_figure(const std::vector<Stage1Record>& log) {
  PlotFigure f;
  f.title = "Stage I: separation and radius";
  f.x_label = "step";
  f.y_label = "kernel units";
  f.series.push_back(stage1_series(log, "min Delta^Phi", kBlue, &Stage1Record::delta_phi_min));
  f.series.push_back(stage1_series(log, "mean Delta^Phi", kOrange, &Stage1Record::delta_phi_mean));
  f.series.push_back(stage1_series(log, "max Delta^Phi", kGreen, &Stage1Record::delta_phi_max));
  f.series.push_back(stage1_series(log, "R_Phi", kRed, &Stage1Record::r_phi));
  return f;
}

PlotFigure retrieval_error_figure(const RetrievalRun& run, const RetrievalRun& baseline) {
  PlotFigure f;
  f.title = "Stage II: distance to the target";
  f.x_label = "retrieval step";
  f.y_label = "||x_s - xi_target||";
  f.log_y = true;  // errors fall by orders of magnitude within a few steps
  f.series.push_back(run_series(run, run_name(run), kBlue, &RetrievalRecord::error));
  if (run.settings.similarity != Similarity::dot)
    f.series.push_back(run_series(baseline, "dot (MHM)", kGray, &RetrievalRecord::error));
  PlotSeries bound = run_series(run, "Lemma 1 bound", kRed, &RetrievalRecord::bound);
  bound.dashed = true;
  f.series.push_back(std::move(bound));
  return f;
}

PlotFigure retrieval_energy_figure(const RetrievalRun& run, const RetrievalRun& baseline) {
  PlotFigure f;
  f.title = "Stage II: energy";
  f.x_label = "retrieval step";
  f.y_label = "E(x_s)";
  f.series.push_back(run_series(run, run_name(run), kBlue, &RetrievalRecord::energy));
  if (run.settings.similarity != Similarity::dot)
    f.series.push_back(run_series(baseline, "dot (MHM)", kGray, &RetrievalRecord::energy));
  return f;
}

std::vector<NamedFigure> session_figures(const Session& session) {
  return {{"stage1_loss", stage1_loss_figure(session.stage1_log())},
          {"stage1_separation", stage1_separation_figure(session.stage1_log())},
          {"retrieval_error", retrieval_error_figure(session.retrieval(), session.baseline())},
          {"retrieval_energy", retrieval_energy_figure(session.retrieval(), session.baseline())}};
}
}  // namespace uhop
