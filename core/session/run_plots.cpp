#include "run_plots.h"

#include <algorithm>
#include <cmath>

namespace uhop {
namespace {
constexpr uint32_t kBlue = 0x1f77b4, kOrange = 0xff7f0e, kGreen = 0x2ca02c, kRed = 0xd62728, kGray = 0x7f7f7f,
                   kPurple = 0x9467bd, kLightGray = 0x999999;

PlotSeries named_series(const std::string& name, uint32_t color, const std::string& tooltip = "") {
  PlotSeries s;
  s.name = name;
  s.color = color;
  s.tooltip = tooltip;
  return s;
}

// Rows where the value is undefined are left out, so the rows that have it are joined (a mini-batch log has
// statistics only every --stats-every rows).
template <typename Record>
void append(PlotSeries& s, const std::vector<Record>& log, double Record::*field) {
  for (const Record& r : log)
    if (!std::isnan(r.*field)) s.x.push_back(r.step), s.y.push_back(r.*field);
}

PlotFigure stage1_figure(const RunLogs& logs, const char* title, const char* y_label) {
  PlotFigure f;
  f.title = title;
  f.x_label = "step i";
  f.y_label = y_label;
  if (!logs.stage1.empty()) f.marker_x = logs.stage1.back().step;
  return f;
}

PlotFigure stage2_figure(const RunLogs& logs, const char* title, const char* y_label) {
  PlotFigure f;
  f.title = title;
  f.x_label = "step t";
  f.y_label = y_label;
  if (!logs.retrieval.empty()) f.marker_x = logs.retrieval.back().step;
  return f;
}
}  // namespace

RunLogs run_logs(const Session& session) {
  RunLogs logs;
  logs.stage1 = session.stage1_log();
  logs.retrieval = session.retrieval().log;
  logs.baseline = session.baseline().log;
  logs.similarity = session.retrieval_settings().similarity;
  logs.m = session.identity_stats().m;
  return logs;
}

PlotFigure loss_figure(const RunLogs& logs) {
  PlotFigure f = stage1_figure(logs, "separation loss L_Φ", "L");
  PlotSeries ls =
      named_series("L_Φ", kBlue, "avg: log of the mean of exp(-t ‖f_μ - f_ν‖^2) over pairs; max: the closest pair");
  append(ls, logs.stage1, &Stage1Record::loss);
  f.series.push_back(ls);
  // Mini-batch: the loss over all memories is known only on the statistics rows; each step's batch loss is too.
  const bool mini_batch = std::any_of(logs.stage1.begin(), logs.stage1.end(), [](const Stage1Record& r) {
    return std::isnan(r.loss) && !std::isnan(r.batch_loss);
  });
  if (mini_batch) {
    PlotSeries batch = named_series("batch L", kLightGray, "the loss on the mini-batch of the step from W_i");
    append(batch, logs.stage1, &Stage1Record::batch_loss);
    f.series.push_back(batch);
  }
  return f;
}

PlotFigure delta_figure(const RunLogs& logs) {
  PlotFigure f = stage1_figure(logs, "separation Δ^Φ over memories", "Δ^Φ");
  PlotBand band{"min..max", {}, {}, {}, kOrange};
  for (const auto& r : logs.stage1) {
    if (std::isnan(r.delta_phi_min)) continue;
    band.x.push_back(r.step);
    band.lo.push_back(r.delta_phi_min);
    band.hi.push_back(r.delta_phi_max);
  }
  PlotSeries dmin = named_series("min", kRed, "min_μ Δ^Φ_μ, Δ^Φ_μ = K(ξ_μ, ξ_μ) - max_{ν ≠ μ} K(ξ_μ, ξ_ν)");
  PlotSeries dmean = named_series("mean", kOrange, "mean over μ of Δ^Φ_μ");
  append(dmin, logs.stage1, &Stage1Record::delta_phi_min);
  append(dmean, logs.stage1, &Stage1Record::delta_phi_mean);
  f.bands.push_back(band);
  f.series = {dmin, dmean};
  return f;
}

PlotFigure radius_figure(const RunLogs& logs) {
  PlotFigure f = stage1_figure(logs, "radius R_Φ", "R_Φ");
  PlotSeries rs = named_series("R_Φ", kGreen, "R_Φ = 1/2 min_{μ ≠ ν} ‖W ξ_μ - W ξ_ν‖: the sphere of Lemma 1");
  append(rs, logs.stage1, &Stage1Record::r_phi);
  f.series.push_back(rs);
  return f;
}

PlotFigure energy_figure(const RunLogs& logs) {
  PlotFigure f = stage2_figure(logs, "energy E(x_t)", "E(x_t)");
  PlotSeries es = named_series("E", kPurple, "E(x) = 1/2 K(x,x) - (1/β) Ψ*_α(β k(x)) (without constants); never rises");
  append(es, logs.retrieval, &RetrievalRecord::energy);
  f.series.push_back(es);
  return f;
}

PlotFigure error_figure(const RunLogs& logs) {
  PlotFigure f = stage2_figure(logs, "error ‖x_t - ξ_μ‖ and the Lemma 1 bound", "‖x_t - ξ_μ‖");
  f.log_y = true;
  PlotSeries err = named_series("measured", kBlue, "‖x_t - ξ_μ‖");
  PlotSeries bound = named_series("bound", kRed,
                                  "Lemma 1: ‖T(x) - ξ_μ‖ ≤ 2m(M-1) exp(-β (Δ^Φ_μ - 2 m_Φ R_Φ)) when x is in the sphere "
                                  "‖Wx - W ξ_μ‖ ≤ R_Φ; 0 when exact retrieval is guaranteed");
  bound.dashed = true;
  int outside = 0, vacuous = 0;
  const double two_m = 2 * logs.m;
  for (const auto& r : logs.retrieval) {
    err.x.push_back(r.step);
    err.y.push_back(r.error);
    bound.x.push_back(r.step);
    // A vacuous bound (>= 2m, which any convex combination of memories meets) is drawn at 2m: its raw value
    // can be ~1e30 and would flatten the measured curve on the log axis. The grey shading says it is vacuous.
    bound.y.push_back(std::isfinite(r.bound) && two_m > 0 ? std::min(r.bound, two_m) : r.bound);
    // Shade the steps whose state is outside the sphere (the bound does not apply to the next step).
    if (r.sphere_defined && !r.in_sphere) {
      f.intervals.push_back({r.step - 0.5, r.step + 0.5, outside++ == 0 ? "outside sphere" : "", kRed});
    } else if (std::isfinite(r.bound) && r.bound >= two_m && two_m > 0) {
      f.intervals.push_back({r.step - 0.5, r.step + 0.5, vacuous++ == 0 ? "bound vacuous (≥ 2m)" : "", kLightGray});
    }
  }
  // The legend never promises a curve that is not drawn: with no finite bound on any row (the query is outside the
  // sphere, or the similarity has none) the entry says why instead.
  if (std::none_of(bound.y.begin(), bound.y.end(), [](double v) { return std::isfinite(v); })) {
    bound.name = "bound: does not apply";
    bound.tooltip = "Lemma 1 bounds only the steps from states inside ‖Wx - W ξ_μ‖ ≤ R_Φ (dot and kernel similarity)";
    bound.x.clear(), bound.y.clear();
  }
  f.series = {err, bound};
  return f;
}

PlotFigure compare_figure(const RunLogs& logs) {
  PlotFigure f;
  f.title = "error ‖x_t - ξ_μ‖";
  f.x_label = "step t";
  f.y_label = "‖x_t - ξ_μ‖";
  f.log_y = true;
  PlotSeries mhm = named_series("MHM", kGray, "dot similarity, W = I");
  PlotSeries uhop = named_series(method_name(logs.similarity), kBlue,
                                 std::string(to_string(logs.similarity)) + " similarity" +
                                     (logs.similarity == Similarity::kernel ? ", current W" : ""));
  append(mhm, logs.baseline, &RetrievalRecord::error);
  append(uhop, logs.retrieval, &RetrievalRecord::error);
  f.series = {mhm, uhop};
  return f;
}

const char* method_name(Similarity similarity) {
  switch (similarity) {
    case Similarity::kernel:
      return "U-Hop";
    case Similarity::dot:
      return "MHM (main run)";
    case Similarity::euclidean:
      return "Euclidean";
    case Similarity::manhattan:
      return "Manhattan";
  }
  return "?";
}

const std::vector<std::string>& run_plot_ids() {
  static const std::vector<std::string> ids = {"loss", "delta", "radius", "energy", "error", "compare"};
  return ids;
}

bool run_figure(const RunLogs& logs, const std::string& id, PlotFigure& out) {
  using Builder = PlotFigure (*)(const RunLogs&);
  static const Builder builders[] = {loss_figure,   delta_figure, radius_figure,
                                     energy_figure, error_figure, compare_figure};
  const auto& ids = run_plot_ids();
  const auto it = std::find(ids.begin(), ids.end(), id);
  if (it == ids.end()) return false;
  out = builders[it - ids.begin()](logs);
  return true;
}

std::vector<NamedFigure> session_figures(const Session& session) {
  const RunLogs logs = run_logs(session);
  std::vector<NamedFigure> out;
  for (const std::string& id : run_plot_ids()) {
    out.push_back({id, {}});
    run_figure(logs, id, out.back().figure);
  }
  return out;
}
}  // namespace uhop
