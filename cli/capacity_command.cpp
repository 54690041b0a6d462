// uhop capacity: the capacity lab (core/numerics/capacity.h, docs/capacity.md) from the command line. One CSV row
// per (beta, alpha) cell; cells fan out like uhop sweep's (--list-cells, --cell K, --merge DIR).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_args.h"
#include "io/atomic_file.h"
#include "io/output_folders.h"
#include "numerics/input_error.h"
#include "session/capacity_table.h"
#include "session/cell_files.h"

namespace {
using namespace uhop;
using namespace uhop::cli;

const char* kCapacityHelp =
    R"(uhop capacity --model hebbian|polynomial|exponential [--patterns spherical|gaussian|binary] --dim N
  --alphas A1,A2,... [--beta B1,B2,...] [--degree n] --trials K [--start-overlap RHO] [--steps T] [--seed S]
  --out CAP.csv [--list-cells | --cell K | --merge DIR]
How many random patterns N neurons retrieve (docs/capacity.md). Each trial draws its own patterns (a pure function
of the seed and the trial), picks a target, starts from it (or at overlap RHO with it, default 1), runs T updates
and counts the target retrieved when the final overlap xi_t.x_T / xi_t.xi_t >= 0.95.
  hebbian      binary patterns, J = (1/N) sum xi xi^T (zero diagonal), asynchronous sign updates, P = round(alpha N);
               T = sweeps (default 100, stops when no spin flips); theory 0.138 (Amit-Gutfreund-Sompolinsky)
  polynomial   binary patterns, energy -sum (xi.x)^n, n = --degree 2..8 (default 3), sign updates,
               P = round(alpha N^(n-1)); theory 1/(2 (2n-3)!! ln N) (Krotov-Hopfield 2016, error-free)
  exponential  x <- Xi softmax(beta Xi^T x), patterns of squared norm ~N (default spherical), P = round(exp(alpha N))
               streamed in blocks (any P up to 2^62; memory stays small), T = updates (default 1), beta default 1;
               theory alpha_1(beta) at RHO = 1, else the load whose critical start overlap is RHO
One row per (beta, alpha), betas outermost: model,patterns,dim,degree,beta,alpha,count,trials,start_overlap,steps,
retrieved,retrieved_lo,retrieved_hi,mean_target_weight,mean_target_weight_se,mean_final_overlap,theory
(retrieved with its Wilson 95 % interval; mean_target_weight = the target's softmax weight at the start state,
exponential only; empty cells where a column does not apply). Same seed => identical CSV, at any thread count.
Fan-out: --list-cells prints the cells (index and file name); --cell K --out DIR writes DIR/<file of cell K>;
--merge DIR --out CAP.csv merges DIR's cell files (all must be there) into the very CSV a direct run writes.
)";

std::vector<double> number_list(const std::string& text, const std::string& flag) {
  std::vector<double> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) throw InputError("--" + flag + ": empty entry in " + quoted_excerpt(text));
    out.push_back(parse_real_number(item, "--" + flag));
    if (out.size() > 100000) throw InputError("--" + flag + ": more than 100000 values");
  }
  if (out.empty()) throw InputError("--" + flag + " needs at least one value");
  return out;
}

CapacitySettings settings_from(const Args& a) {
  for (const std::string& f : kMemoryFlags)
    if (a.has(f)) throw InputError("--" + f + ": uhop capacity generates its own patterns (see --patterns)");
  if (a.has("rgb")) throw InputError("--rgb: uhop capacity generates its own patterns (see --patterns)");
  CapacitySettings s;
  s.model = parse_capacity_model(a.required("model"));
  const bool expo = s.model == CapacityModel::exponential;
  s.patterns = parse_pattern_ensemble(a.str("patterns", expo ? "spherical" : "binary"));
  s.dim = static_cast<int>(a.integer("dim", -1, 2, kMaxCapacityDim));
  if (!a.has("dim")) throw InputError("missing required flag --dim");
  s.alphas = number_list(a.required("alphas"), "alphas");
  if (a.has("beta") && !expo) throw InputError("--beta: only the exponential model has an inverse temperature");
  if (a.has("beta")) s.betas = number_list(a.str("beta"), "beta");
  if (a.has("degree") && s.model != CapacityModel::polynomial)
    throw InputError("--degree: only the polynomial model has a degree");
  s.degree = a.count("degree", 3, 2, 8);
  if (!a.has("trials")) throw InputError("missing required flag --trials");
  s.trials = a.count("trials", 0, 1, kMaxCapacityTrials);
  s.start_overlap = a.number("start-overlap", 1.0);
  s.steps = a.count("steps", 0, 1, kMaxCapacitySteps);
  s.seed = a.seed("seed", 0);
  return s;
}
}  // namespace

int cmd_capacity(int argc, char** argv) {
  const Args a = parse_args(argc, argv, 2,
                            {"model", "patterns", "dim", "alphas", "beta", "degree", "trials", "start-overlap", "steps",
                             "seed", "out", "cell", "merge"},
                            {"list-cells", "help"});
  if (a.has("help")) return std::cout << kCapacityHelp, 0;
  const CapacitySettings s = settings_from(a);
  const std::vector<CapacityCell> cells = capacity_cells(s);  // validates everything before any work
  if (a.has("list-cells") + a.has("cell") + a.has("merge") > 1)
    throw InputError("give one of --list-cells, --cell and --merge");
  if (a.has("list-cells")) {
    for (const CapacityCell& c : cells) std::printf("%d %s\n", c.index, capacity_cell_file_name(c).c_str());
    return 0;
  }
  const std::string out = a.required("out");
  std::vector<int> indices;
  if (a.has("cell")) indices.push_back(a.count("cell", 0));  // run_capacity names a cell past the last one
  // The output is checked before any cell runs (a refused command computes nothing and creates nothing): --cell's
  // folder is created only when its file is written.
  if (!a.has("cell")) check_output_destination(out);
  for (const CapacityCell& c : cells)
    if (a.has("cell") && c.index == indices[0]) check_output_in_new_folders(out + "/" + capacity_cell_file_name(c));
  if (a.has("merge")) {
    merge_capacity_cells(a.str("merge"), s, out);
    std::fprintf(stderr, "uhop capacity: merged %zu cells into %s\n", cells.size(), out.c_str());
    return 0;
  }
  const auto start = std::chrono::steady_clock::now();
  int finished = 0;
  const int todo = indices.empty() ? static_cast<int>(cells.size()) : 1;
  const std::vector<CapacityRow> rows = run_capacity(s, indices, [&](const CapacityRow& r) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "[%d/%d] beta=%g alpha=%g P=%llu  retrieved %.3f  (%.1fs)\n", ++finished, todo, r.cell.beta,
                 r.cell.alpha, static_cast<unsigned long long>(r.count), r.retrieved, seconds);
  });
  if (a.has("cell")) {
    CreatedFolders folders;  // removed again if the file cannot be written
    folders.create(out);
    save_capacity_csv(out + "/" + capacity_cell_file_name(rows[0].cell), s, rows);
    folders.keep();
  } else {
    save_capacity_csv(out, s, rows);
    std::fprintf(stderr, "uhop capacity: %zu rows written to %s\n", rows.size(), out.c_str());
  }
  return 0;
}
