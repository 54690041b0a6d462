// uhop sweep: the paper's retrieval-error sweeps (core/session/sweep.h) from the command line, one CSV per cell so that
// cells can be fanned out (--list-cells, --cell INDEX) and merged afterwards (--merge).
#include <chrono>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "io/atomic_file.h"
#include "io/output_folders.h"
#include "cli_args.h"
#include "numerics/input_error.h"
#include "session/cell_files.h"
#include "session/sweep.h"
#include "session/sweep_presets.h"

namespace {
using namespace uhop;
using namespace uhop::cli;
namespace fs = std::filesystem;

const char* kSweepHelp = R"(uhop sweep --memories SRC --vary M|sigma [--values 10,20,50] [--methods mhm,uhop,...]
  [--preset authors-noise|authors-capacity|authors-max-loss|studio]
  [--seeds K] [--first-seed S] [--stage1-steps N] [--lr X] [--init identity|gaussian|orthogonal]
  [--schedule constant|inv-sqrt|reference] [--loss avg|max] [--t T] [--train-count all|half|N]
  [--beta B] [--beta-after-sep] [--steps T]
  [--noise gaussian|gaussian-norm|dropout|salt-pepper|occlude|mask-half] [--sigma S] [--count M]
  [--pick random|first] [--size WxH] [--rgb] [--normalize none|unit|center] [--allow-large]
  --out DIR [--list-cells | --cell INDEX | --merge]
Paper error ||clip(xi_mu,0,1) - clip(x_T,0,1)||^2, mean over all M memories (each queried once), per method and
seed. --vary M: M in 10,20,30,50,100,200,500 at noise --sigma (default 0.1); --vary sigma: sigma in
0,.01,.05,.1,.3,.5,.7,1,1.2,1.4,2 at M = --count (default 100). The seed picks the memories (--pick random, the
default; --pick first takes consecutive blocks) and the noise. Methods: mhm, uhop, sparse, sparse-uhop, entmax,
entmax-uhop, euclidean, manhattan (default: all); *-uhop use the kernel of W trained by Stage I for
--stage1-steps (default 100) steps of lr --lr (default 0.1, constant, avg loss, W_0 = I). --train-count trains W
on the first N memories of each cell, or the first floor(M/2) with 'half' (default all); --beta-after-sep uses
x+ = beta Xi^T Sep(s) instead of Xi^T Sep(beta s) for every method (the authors' update rule).
--preset NAME starts from named settings (then --memories defaults to builtin:fashion-mnist and --vary to the
preset's axis); every flag given with it overrides the preset, wherever it appears on the line:
  authors-noise     memory_retrieval_noise.py: M 100, sigma varies, gaussian noise, W_0 ~ N(0,1), lr 1 reference
                    schedule, avg loss, W trained on all M, beta after Sep
  authors-capacity  memory_retrieval.py: M varies, dropout 0.5 queries, as above but W trained on floor(M/2)
  authors-max-loss  memory_retrieval_max_loss.py: as capacity with the max loss and a constant lr 10
  studio            this project's Stage I (W_0 = I, lr 0.1 constant, avg loss) in authors-noise's frame
  All four: methods mhm,uhop,sparse,sparse-uhop, seeds 1..10, 100 Stage I steps, beta 1, one retrieval step.
Writes DIR/cells/<method>_M<M>_sigma<s>_seed<k>.csv (one row each), DIR/merged.csv (one row per cell:
method,M,sigma,seed,paper_error,paper_error_std,retrieved,d,stage1_loss,worst_memory,not_retrieved), DIR/summary.csv
(method,M,sigma,mean,std,n,retrieved over seeds), DIR/figure.svg and DIR/figure.csv (mean +-1 std per method),
DIR/settings.txt (every resolved setting).
--list-cells prints the cells (index and file); --cell INDEX runs one (cluster fan-out); --merge builds the merged
files from DIR/cells once every cell is there. Progress: one line per cell on stderr.
)";

std::vector<std::string> split_list(const std::string& s, const std::string& flag) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) throw InputError("--" + flag + ": empty entry in " + quoted_excerpt(s));
    out.push_back(item);
  }
  if (out.empty()) throw InputError("--" + flag + " needs at least one value");
  return out;
}

SweepSettings settings_from(const Args& a) {
  // A preset first, then every flag on top of it (the order on the command line does not matter).
  const bool preset = a.has("preset");
  SweepSettings s = preset ? sweep_preset(a.str("preset")) : default_sweep_settings();
  if (!preset || a.has("memories")) s.memories = a.required("memories");
  if (!preset || a.has("vary")) s.vary = parse_sweep_axis(a.required("vary"));
  if (a.has("values")) {
    for (const std::string& v : split_list(a.str("values"), "values")) {
      s.values.push_back(parse_real_number(v, "--values"));
    }
  }
  if (a.has("methods")) s.methods = split_list(a.str("methods"), "methods");
  s.seeds = a.count("seeds", s.seeds, 1, 1000);
  s.first_seed = static_cast<uint64_t>(a.integer("first-seed", static_cast<long long>(s.first_seed), 0, INT_MAX));
  s.stage1_steps = static_cast<int>(a.integer("stage1-steps", s.stage1_steps, 0, kMaxStage1Steps));
  s.stage1.lr = a.number("lr", s.stage1.lr);
  if (a.has("init")) s.stage1.init = parse_feature_init(a.str("init"));
  if (a.has("schedule")) s.stage1.schedule = parse_schedule(a.str("schedule"));
  if (a.has("loss")) s.stage1.loss = parse_loss_kind(a.str("loss"));
  s.stage1.t = a.number("t", s.stage1.t);
  if (a.has("train-count")) set_sweep_train_count(s, a.str("train-count"));
  if (a.has("beta-after-sep")) s.beta_after_sep = true;
  s.beta = a.number("beta", s.beta);
  s.retrieval_steps = static_cast<int>(a.integer("steps", s.retrieval_steps, 1, kMaxStage2Steps));
  s.noise = a.str("noise", s.noise);
  s.sigma = a.number("sigma", s.sigma);
  if (a.has("count") && s.vary == SweepAxis::count) throw InputError("--count is the fixed M of --vary sigma");
  if (a.has("sigma") && s.vary == SweepAxis::sigma) throw InputError("--sigma is the fixed noise of --vary M");
  s.count = a.count("count", s.count, 2, kMaxSessionMemories);
  const std::string pick = a.str("pick", s.random_subset ? "random" : "first");
  if (pick != "random" && pick != "first") throw InputError("--pick: the sweep takes random or first");
  s.random_subset = pick == "random";
  s.load.offset = a.count("offset", 0);
  s.load.keep_rgb = a.has("rgb");
  if (a.has("size")) parse_size_flag(a.str("size"), s.load.width, s.load.height);
  if (a.has("allow-large")) {  // a file's own size beyond 3600 values, a folder's pixels beyond 2^30, asked for
    s.load.default_max_dim = 0;
    s.load.max_decoded_pixels = 0;
  }
  if (a.has("normalize")) s.load.normalization = parse_normalization(a.str("normalize"));
  return s;
}

const char* const kMergedFiles[] = {"merged.csv", "summary.csv", "figure.svg", "figure.csv", "settings.txt"};

// Every output of the run asked for, checked before the first cell runs: a refused sweep creates nothing and runs
// nothing (before, a bad --out was found only when the first finished cell was written, or after the last).
void check_sweep_outputs(const fs::path& out, const std::vector<SweepCell>& cells, const std::vector<int>& indices,
                         bool merge) {
  if (!merge)
    for (const SweepCell& c : cells)
      if (indices.empty() || (c.index == indices[0]))
        check_output_in_new_folders((out / "cells" / cell_file_name(c)).string());
  if (indices.empty())
    for (const char* name : kMergedFiles) check_output_in_new_folders((out / name).string());
}

void write_cell(const fs::path& cells_dir, const SweepCellResult& r) {
  CreatedFolders folders;  // the folders appear with the first cell written, and only then
  folders.create(cells_dir.string());
  write_file_atomically((cells_dir / cell_file_name(r.cell)).string(),
                        [&](std::ostream& out) { write_sweep_rows(out, {r}); });
  folders.keep();
}
}  // namespace

int cmd_sweep(int argc, char** argv) {
  const Args a =
      parse_args(argc, argv, 2,
                 {"vary", "values", "methods", "seeds", "first-seed", "stage1-steps", "lr", "init", "schedule", "loss",
                  "t", "beta", "steps", "noise", "sigma", "out", "cell", "preset", "train-count"},
                 {"list-cells", "merge", "help", "beta-after-sep"});
  if (a.has("help")) return std::cout << kSweepHelp, 0;
  const SweepSettings s = settings_from(a);
  const std::vector<SweepCell> cells = sweep_cells(s);  // validates everything before any work
  if (a.has("list-cells")) {
    for (const SweepCell& c : cells) std::printf("%d %s\n", c.index, cell_file_name(c).c_str());
    return 0;
  }
  const fs::path out = a.required("out");
  const fs::path cells_dir = out / "cells";
  // A refused command creates nothing: the folders appear with the first finished cell (write_cell).

  if (a.has("merge") && a.has("cell")) throw InputError("give --cell or --merge, not both");
  std::vector<int> indices;
  if (a.has("cell")) indices.push_back(a.count("cell", 0));  // run_sweep names a cell past the last one
  check_sweep_outputs(out, cells, indices, a.has("merge"));

  if (a.has("merge")) {
    std::vector<std::string> names;
    for (const SweepCell& c : cells) names.push_back(cell_file_name(c));
    const std::vector<std::string> paths = collect_cell_files(cells_dir.string(), names);
    std::vector<SweepCellResult> results;
    for (size_t i = 0; i < paths.size(); ++i) {
      const std::vector<SweepCellResult> rows = read_sweep_rows(paths[i]);
      if (rows.size() != 1) throw InputError(paths[i] + ": expected one row, got " + std::to_string(rows.size()));
      results.push_back(rows[0]);
      results.back().cell.index = cells[i].index;
    }
    write_sweep_outputs(out.string(), s, results);
    std::fprintf(stderr, "uhop sweep: merged %zu cells into %s\n", results.size(), out.c_str());
    return 0;
  }

  const auto start = std::chrono::steady_clock::now();
  int finished = 0;
  const int todo = indices.empty() ? static_cast<int>(cells.size()) : 1;
  const std::vector<SweepCellResult> results = run_sweep(s, indices, [&](const SweepCellResult& r) {
    if (finished == 0)  // said once the sweep is under way: a refused sweep prints its one error line only
      std::fprintf(stderr, "uhop sweep: %s%s\n", s.preset.empty() ? "" : ("preset " + s.preset + "; ").c_str(),
                   sweep_settings_summary(s).c_str());
    write_cell(cells_dir, r);  // each cell is kept as soon as it is done: an interrupted sweep loses only one
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "[%d/%d] %-12s M=%-4d sigma=%-5s seed=%llu  paper_error %.6g  retrieved %.3f  (%.1fs)\n",
                 ++finished, todo, r.cell.method.c_str(), r.cell.m, format_sigma(r.cell.sigma).c_str(),
                 static_cast<unsigned long long>(r.cell.seed), r.paper_error, r.retrieved, seconds);
  });
  if (indices.empty()) {
    write_sweep_outputs(out.string(), s, results);
    std::fprintf(stderr,
                 "uhop sweep: %zu cells, wrote %s/{merged.csv,summary.csv,figure.svg,figure.csv,settings.txt}\n",
                 results.size(), out.c_str());
  }
  return 0;
}
