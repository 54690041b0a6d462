// The paper's retrieval-error sweeps (reference math section 7), GUI-free so that the CLI and the Studio's worker
// share them: the mean paper error ||clip(xi_mu) - clip(x_T)||^2 over all M memories (each queried once, all at
// once with the batched Stage II step) against the number of memories M or the noise strength sigma, per method
// and seed. A cell is one (method, M, sigma, seed); cells are independent so they can be fanned out on a cluster
// and merged afterwards.
#pragma once
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "data/memory_sources.h"
#include "plot/plot_figure.h"
#include "numerics/progress.h"
#include "numerics/retrieval.h"
#include "session.h"

namespace uhop {
enum class SweepAxis { count, sigma };             // "M" | "sigma"
SweepAxis parse_sweep_axis(const std::string& s);  // throws InputError
const char* to_string(SweepAxis a);

// mhm (dot, softmax), sparse (dot, sparsemax), entmax (dot, 1.5-entmax), uhop / sparse-uhop / entmax-uhop (the same
// with the kernel of a W trained by Stage I), euclidean and manhattan (softmax over negative distances).
struct SweepMethod {
  std::string name;
  Similarity similarity = Similarity::dot;
  SepSpec sep;
};
SweepMethod parse_sweep_method(const std::string& name);  // throws InputError listing the known names
const std::vector<std::string>& sweep_method_names();     // every known method, in the figure's order

struct SweepSettings {
  std::string preset;  // the named preset these settings started from (sweep_presets.h), "" for none: informational
  std::string memories = "builtin:fashion-mnist";
  LoadOptions load;  // size/rgb/normalization as given; count, pick seed and offset are set per cell
  SweepAxis vary = SweepAxis::count;
  std::vector<double> values;        // empty: the paper's values for the axis
  std::vector<std::string> methods;  // empty: default_sweep_methods()
  int seeds = 3;                     // seeds first_seed .. first_seed + seeds - 1
  uint64_t first_seed = 0;
  bool random_subset = true;       // the seed picks the memories (Pick::random); false: offset + seed * max M, in order
  std::string noise = "gaussian";  // corruption kind; the strength is sigma
  double sigma = 0.1;              // fixed sigma when M varies
  int count = 100;                 // fixed M when sigma varies
  double beta = 1.0;
  int retrieval_steps = 1;      // T
  bool beta_after_sep = false;  // x+ = beta Xi^T Sep(s) for every method (the authors' update rule); else Sep(beta s)
  Stage1Settings stage1;        // for the -uhop methods; stage1.train_count: train W on the first n memories (0 = all)
  bool train_half = false;      // train W on the first floor(M/2) memories of each cell (overrides stage1.train_count)
  int stage1_steps = 100;
};
// --train-count / train_count=: "all", "half" (floor(M/2) per cell) or a whole number n >= 2 (every M must be >= n).
void set_sweep_train_count(SweepSettings& settings, const std::string& text);  // throws InputError
std::string sweep_train_count_text(const SweepSettings& settings);             // "all", "half" or "n"
// One line naming the Stage I and retrieval settings, e.g. "Stage I: W_0 gaussian, lr 1 reference, avg loss, t 2,
// 100 steps, trained on all; noise gaussian; beta 1 inside Sep" (figure titles, the Studio's panel, settings.txt).
std::string sweep_settings_summary(const SweepSettings& settings);
std::vector<double> paper_sweep_values(SweepAxis axis);  // M: 10..500; sigma: 0..2 (section 7)
std::vector<std::string> default_sweep_methods();
SweepSettings default_sweep_settings();  // the tuned defaults `uhop sweep` uses

struct SweepCell {
  int index = 0;  // position in sweep_cells()
  std::string method;
  int m = 0;
  double sigma = 0;
  uint64_t seed = 0;
};
// Every cell, seeds outermost, then values, then methods. Validates the settings (unknown method, empty or
// invalid values, bad noise strength, bad Stage I settings): throws InputError.
std::vector<SweepCell> sweep_cells(const SweepSettings& settings);
std::string cell_file_name(const SweepCell& cell);  // "<method>_M<M>_sigma<sigma>_seed<seed>.csv"
std::string format_sigma(double sigma);             // %g: "0", "0.05", "1.2"
// The noise seed of query mu in a cell of seed `seed`: independent of the method and of M, so every method (and
// every M) is measured on the very same noisy queries.
uint64_t sweep_query_seed(uint64_t seed, int mu);

struct SweepCellResult {
  SweepCell cell;
  double paper_error = 0;      // mean over the M queries
  double paper_error_std = 0;  // spread over the queries (population std)
  double retrieved = 0;        // fraction of queries whose x_T is nearest (in pixels) to their own memory
  int d = 0;
  double stage1_loss = kPlotNaN;  // separation loss of the trained W (uhop methods), else NaN
  // Which memories: names as the loader gives them (a folder's file names, "source#index" otherwise), printable.
  std::string worst_memory;   // the memory whose query ended farthest from it (largest paper error)
  std::string not_retrieved;  // the memories not retrieved, ';'-separated, at most 20 then "+N more"; "" for none
};

// Runs the cells with these indices (all when empty), calling on_cell after each. Cells that share (M, seed) share
// the memories and the trained W. Throws InputError (e.g. M larger than the source) or Cancelled.
std::vector<SweepCellResult> run_sweep(const SweepSettings& settings, const std::vector<int>& indices = {},
                                       const std::function<void(const SweepCellResult&)>& on_cell = {},
                                       const ProgressFn& progress = {});

// Cell CSV: header "method,M,sigma,seed,paper_error,paper_error_std,retrieved,d,stage1_loss,worst_memory,
// not_retrieved" and one row (the names quoted as CSV needs). The merged CSV has the same columns and one row per
// cell. The reader also takes files of the first nine columns (written before the names were added).
void write_sweep_rows(std::ostream& out, const std::vector<SweepCellResult>& rows);
std::vector<SweepCellResult> read_sweep_rows(const std::string& path);  // throws InputError

struct SweepSummaryRow {
  std::string method;
  int m = 0;
  double sigma = 0;
  double mean = 0, std = 0;  // over seeds (sample std, 0 for one seed)
  int n = 0;
  double retrieved = 0;  // mean over seeds
};
std::vector<SweepSummaryRow> summarize_sweep(const std::vector<SweepCellResult>& rows);  // methods in input order
// "method,M,sigma,mean,std,n,retrieved"
void write_sweep_summary(std::ostream& out, const std::vector<SweepSummaryRow>& rows);
// One series (mean) and one band (mean +- std) per method against the varied value; log y when the means span
// more than two decades (the band's low edge is then floored at mean/10 where mean - std <= 0).
PlotFigure sweep_figure(const std::vector<SweepSummaryRow>& rows, SweepAxis axis, const std::string& title);

// Every resolved setting, one "key value" per line (written as DIR/settings.txt so a table names its settings).
void write_sweep_settings(std::ostream& out, const SweepSettings& settings);
// DIR/merged.csv, DIR/summary.csv, DIR/figure.svg, DIR/figure.csv, DIR/settings.txt, committed together.
void write_sweep_outputs(const std::string& dir, const SweepSettings& settings,
                         const std::vector<SweepCellResult>& results);
}  // namespace uhop
