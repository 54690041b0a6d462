// uhop: the headless command-line front end over core/. Subcommands, flags and log columns are a contract with
// users' scripts (docs/cli.md): add, never rename. Bad input: one line on stderr, exit code 2, and no
// output file touched (outputs are written atomically, only after all work succeeded).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "io/atomic_file.h"
#include "io/cpu_load.h"
#include "cli_args.h"
#include "numerics/corruption.h"
#include "data/csv_matrix.h"
#include "data/npy_format.h"
#include "numerics/input_error.h"
#include "data/memory_sources.h"
#include "session/run_logs.h"
#include "session/session.h"

int cmd_sweep(int argc, char** argv);         // cli/sweep_command.cpp
int cmd_capacity(int argc, char** argv);      // cli/capacity_command.cpp
int cmd_replay(int argc, char** argv);        // cli/replay_command.cpp
int cmd_save_session(int argc, char** argv);  // cli/replay_command.cpp
int cmd_project(int argc, char** argv);       // cli/view_commands.cpp
int cmd_landscape(int argc, char** argv);     // cli/view_commands.cpp

namespace {
using namespace uhop;
using namespace uhop::cli;

const char* kUsage = R"(usage: uhop <command> [flags]
commands:
  stage1    train the feature map W (Stage I) and log loss, separation and radius per step
  retrieve  retrieve a memory from a query (Stage II) and log energy, error and bound per step
  demo      a short Stage I + Stage II run on a built-in set, printing progress
  sweep     the paper's retrieval-error sweeps over M or noise sigma (CSV per cell, merged, summary, figure)
  capacity  how many random patterns hebbian, polynomial and exponential networks retrieve (docs/capacity.md)
  replay    replay a session file (--session FILE; also 'uhop --session FILE') and export logs, W and plots
  save-session  run a setup given by flags and save it as a session file
  project   the normalized features W xi / ||W xi|| on their top two principal components (index,x,y)
  landscape the energy on the plane through a query and two memories, for MHM and U-Hop (a,b,energy_mhm,...)
  help      this text
memory flags (all commands): --memories SRC (folder, image, .csv, .npy, FILE.npz[:NAME], IDX, CIFAR, builtin:...) [--count M] [--offset K] [--pick first|random|per-class]
  [--size WxH] [--rgb] [--normalize none|unit|center] [--allow-large]
  --allow-large takes images of more than 3600 values (60x60) at their own size (without --size they are refused:
  Stage I's d x d W grows as d^2), a folder whose images hold more than 2^30 pixels in all (each is decoded at
  its own size before it is resized); with 'replay', a session file that asks for more than the session budget.
run 'uhop <command> --help' for the flags of a command.
)";

const char* kStage1Help = R"(uhop stage1 --memories SRC [--count M] (--w0 W.csv | --init identity|gaussian|orthogonal
  [--dim D]) --steps N --lr X [--schedule constant|inv-sqrt|reference] [--optimizer sgd|adam] [--t T]
  [--loss avg|max] [--train-count N] [--normalize-rows] [--seed S] [--precision single|double]
  [--batch B] [--stats-every K] --out-w OUT.csv|OUT.npy --log LOG.csv|LOG.npy
  [--probe KIND:STRENGTH [--probe-seed S] [--probe-steps T] [--probe-beta B]]
--batch B trains each step on the pairs of B memories drawn from --seed (0 = all, full batch); --stats-every K
computes the statistics over all M on rows 0, K, 2K, ... and the last row (empty cells in between).
Log columns: step,loss,delta_phi_min,delta_phi_mean,r_phi,delta_phi_max,m_phi,lr,grad_norm,w_change,
bound_margin_min,batch_loss (row i = W_i; w_change = ||W_i - W_0||_F / ||W_0||_F; bound_margin_min = min_mu
Delta^Phi_mu - 2 m_Phi R_Phi, Lemma 1's margin, empty where the statistics are; batch_loss = the loss on the
memories of the step from W_i, empty on the last row). --w0 and --out-w are CSV, or NumPy when named *.npy; a
*.npy log is a structured array with the same columns (NaN where a CSV cell is empty).
--probe queries every memory under the corruption KIND:STRENGTH (query mu seeded from S and mu, as uhop sweep does)
and retrieves all of them batched, T steps (default 1) at beta B (default 1), softmax; it adds the columns
probe_paper_error,probe_retrieved (U-Hop: kernel with W_i) and mhm_probe_paper_error,mhm_probe_retrieved (MHM,
W = I: the same on every row): the mean ||clip(xi_mu) - clip(x_T)||^2 and the fraction whose x_T is nearest to
its own memory.
)";

const char* kRetrieveHelp = R"(uhop retrieve --memories SRC [--count M] [--w W.csv] (--query Q.csv --target I |
  --target I --corrupt KIND:STRENGTH [--seed S]) [--similarity dot|kernel|euclidean|manhattan] [--alpha A]
  [--top-k K] [--beta B] [--beta-after-sep] [--steps T] [--precision single|double] --out X.csv|X.npy --log LOG.csv|LOG.npy
Similarity defaults to kernel when --w is given, else dot. KIND: gaussian, gaussian-norm, dropout, mask-half,
occlude, salt-pepper. Log columns: step,energy,error,bound,in_sphere,paper_error,bound_value,exact_guaranteed,
one_hot,target_weight,nearest (row s = x_s; 'bound' bounds row s's error when x_{s-1} was in the sphere).
Matrix files (--w, --query, --out) are CSV, or NumPy when named *.npy; a *.npy log is a structured array.
)";

int cmd_stage1(int argc, char** argv) {
  const Args a = parse_args(argc, argv, 2,
                            {"w0",    "init",        "dim",   "steps",      "lr",          "schedule",    "optimizer",
                             "t",     "loss",        "seed",  "out-w",      "log",         "train-count", "precision",
                             "batch", "stats-every", "probe", "probe-seed", "probe-steps", "probe-beta"},
                            {"normalize-rows", "help"});
  if (a.has("help")) return std::cout << kStage1Help, 0;
  if (a.has("w0") && a.has("init")) throw InputError("give either --w0 or --init, not both");
  if (!a.has("w0") && !a.has("init")) throw InputError("missing --init (identity, gaussian, orthogonal) or --w0");
  const std::string out_w = a.required("out-w"), log_path = a.required("log");
  if (!a.has("steps")) throw InputError("missing required flag --steps");
  const long long steps = a.integer("steps", 0, 0, kMaxStage1Steps);
  Stage1Settings s;
  if (!a.has("lr")) throw InputError("missing required flag --lr");
  s.lr = a.number("lr", 0.1);
  if (a.has("init")) s.init = parse_feature_init(a.str("init"));
  s.dim = a.count("dim", 0, 1, static_cast<int>(kMaxWValues));
  if (a.has("schedule")) s.schedule = parse_schedule(a.str("schedule"));
  if (a.has("optimizer")) s.optimizer = parse_optimizer(a.str("optimizer"));
  s.t = a.number("t", 2.0);
  if (a.has("loss")) s.loss = parse_loss_kind(a.str("loss"));
  s.normalize_rows = a.has("normalize-rows");
  s.seed = a.seed("seed");
  s.train_count = a.count("train-count", 0);
  if (a.has("precision")) s.precision = parse_precision(a.str("precision"));
  s.batch = a.count("batch", 0, 0, 1 << 30);
  if (s.batch == 1) throw InputError("--batch must be 0 (all memories) or >= 2");
  s.stats_every = a.count("stats-every", 1, 1, 1 << 30);
  std::optional<ProbeSettings> probe;
  if (a.has("probe")) {
    ProbeSettings p;
    p.corruption = parse_corruption(a.str("probe"));
    p.seed = a.seed("probe-seed");
    p.steps = static_cast<int>(a.integer("probe-steps", 1, 0, 1000));
    p.beta = a.number("probe-beta", 1.0);
    validate(p);
    probe = p;
  } else {
    for (const char* f : {"probe-seed", "probe-steps", "probe-beta"})
      if (a.has(f)) throw InputError(std::string("--") + f + " needs --probe KIND:STRENGTH");
  }
  // Outputs that could never be written are refused before the work (checked again before the renames).
  check_output_destination(out_w);
  check_output_destination(log_path);

  Matrix w0;
  if (a.has("w0")) w0 = read_matrix_file(a.str("w0"), kMaxWValues);
  MemorySet memories = load(a, s.dim);
  if (s.dim != 0 && s.dim < memories.dim())
    throw InputError("--dim " + std::to_string(s.dim) + " is smaller than the memory dimension d = " +
                     std::to_string(memories.dim()) + " (W needs D >= d)");
  RetrievalSettings unused_stage2;
  unused_stage2.precision = s.precision;  // the statistics of W = I are then the same sweep as row 0's
  Session session(std::move(memories), s, unused_stage2);
  if (a.has("w0")) session.set_initial_w(w0);
  if (probe) session.set_probe(probe);
  for (long long i = 0; i < steps; ++i) session.stage1_step();
  session.ensure_stats();  // the last row always has the statistics
  session.finish_stage1();
  // Both outputs appear together or not at all.
  StagedFiles files;
  files.add(log_path,
            [&](std::ostream& out) { write_stage1_log_for(log_path, out, session.stage1_log(), probe.has_value()); });
  files.add(out_w, [&](std::ostream& out) { write_matrix_file(out, out_w, session.w()); });
  files.commit();
  const auto& last = session.stage1_log().back();
  std::printf("stage1: %lld steps, loss %.6g -> %.6g, min Delta^Phi %.6g -> %.6g, R_Phi %.6g -> %.6g\n", steps,
              session.stage1_log().front().loss, last.loss, session.stage1_log().front().delta_phi_min,
              last.delta_phi_min, session.stage1_log().front().r_phi, last.r_phi);
  if (probe)
    std::printf("probe (%s, T = %d, beta %g): paper error %.6g -> %.6g (MHM %.6g), retrieved %.3g -> %.3g (MHM %.3g)\n",
                to_string(probe->corruption).c_str(), probe->steps, probe->beta,
                session.stage1_log().front().probe_paper_error, last.probe_paper_error, last.mhm_probe_paper_error,
                session.stage1_log().front().probe_retrieved, last.probe_retrieved, last.mhm_probe_retrieved);
  return 0;
}

int cmd_retrieve(int argc, char** argv) {
  const Args a = parse_args(argc, argv, 2,
                            {"w", "query", "target", "corrupt", "seed", "similarity", "alpha", "top-k", "beta", "steps",
                             "out", "log", "precision"},
                            {"beta-after-sep", "help"});
  if (a.has("help")) return std::cout << kRetrieveHelp, 0;
  const std::string out_path = a.required("out"), log_path = a.required("log");
  if (a.has("query") == a.has("corrupt")) throw InputError("give exactly one of --query Q.csv or --corrupt KIND:S");
  if (!a.has("target")) throw InputError("missing required flag --target");
  const long long target = a.count("target", 0);
  const long long steps = a.integer("steps", 1, 0, kMaxStage2Steps);
  RetrievalSettings rs;
  rs.similarity =
      a.has("similarity") ? parse_similarity(a.str("similarity")) : (a.has("w") ? Similarity::kernel : Similarity::dot);
  rs.sep.alpha = a.number("alpha", 1.0);
  rs.sep.top_k = a.count("top-k", 0);
  rs.beta = a.number("beta", 1.0);
  rs.beta_after_sep = a.has("beta-after-sep");
  rs.precision = a.has("precision") ? parse_precision(a.str("precision")) : Precision::double_precision;
  validate(rs);
  Corruption corruption;
  if (a.has("corrupt")) corruption = parse_corruption(a.str("corrupt"));

  check_output_destination(out_path);
  check_output_destination(log_path);
  Matrix w;
  if (a.has("w")) w = read_matrix_file(a.str("w"), kMaxWValues);
  Matrix query_file;
  if (a.has("query")) query_file = read_matrix_file(a.str("query"), kMaxWValues);
  MemorySet memories = load(a, a.has("w") ? w.rows() : 0);
  if (target < 0 || target >= memories.count())
    throw InputError("--target " + std::to_string(target) + " is outside 0.." + std::to_string(memories.count() - 1));
  Vector query;
  if (a.has("query")) {
    if (query_file.rows() != 1 && query_file.cols() != 1)
      throw InputError(a.str("query") + ": expected one row (or one column) of " + std::to_string(memories.dim()) +
                       " values, got " + std::to_string(query_file.rows()) + "x" + std::to_string(query_file.cols()));
    query = Eigen::Map<const Vector>(query_file.data(), query_file.size());
    if (query.size() != memories.dim())
      throw InputError(a.str("query") + ": query has " + std::to_string(query.size()) +
                       " values, memories have d = " + std::to_string(memories.dim()));
  } else {
    query = corrupt(memories.patterns.row(target).transpose(), memories.shape, corruption, a.seed("seed"));
  }
  Stage1Settings s1;
  s1.precision = rs.precision;  // one sweep gives the statistics of W = I for both stages
  Session session(std::move(memories), s1, rs);
  if (a.has("w")) session.set_initial_w(w);
  session.set_query(query, static_cast<int>(target));
  for (long long s = 0; s < steps; ++s) session.stage2_step();
  const RetrievalRun& run = session.retrieval();
  StagedFiles files;
  files.add(log_path, [&](std::ostream& out) { write_retrieval_log_for(log_path, out, run.log); });
  files.add(out_path,
            [&](std::ostream& out) { write_matrix_file(out, out_path, Matrix(run.trajectory.back().transpose())); });
  files.commit();
  const auto& first = run.log.front();
  const auto& last = run.log.back();
  std::printf("retrieve (%s, alpha %g, beta %g): error %.6g -> %.6g after %lld step(s), nearest memory %d (%s)\n",
              to_string(rs.similarity), rs.sep.alpha, rs.beta, first.error, last.error, steps, last.nearest,
              last.nearest == target ? "the target" : "NOT the target");
  return 0;
}

int cmd_demo(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"steps", "lr", "target", "corrupt", "beta", "seed"}, {"help"});
  if (a.has("help")) return std::cout << "uhop demo [--memories builtin:fashion-mnist] [--count 100] [--steps 50]\n", 0;
  if (!a.has("memories")) a.values["memories"] = "builtin:fashion-mnist";
  // Every flag is read before the memories are loaded or anything is printed: a refused demo prints nothing.
  Stage1Settings s1;
  s1.lr = a.number("lr", 0.1);  // 0.5 and up oscillate on Fashion-MNIST (docs/sweep-results.md)
  s1.schedule = Schedule::constant;
  RetrievalSettings rs;
  rs.beta = a.number("beta", 1.0);
  rs.similarity = Similarity::kernel;
  validate(rs);
  const int target = a.count("target", 0);
  const Corruption c = parse_corruption(a.str("corrupt", "gaussian:0.1"));
  const uint64_t seed = a.seed("seed");
  const long long steps = a.integer("steps", 100, 0, kMaxStage1Steps);
  // Without --count the demo takes up to 100 memories: all 36 of builtin:glyphs, say, with a note.
  const bool default_count = !a.has("count");
  if (default_count) a.values["count"] = "100";
  load_options(a);  // the memory flags too (--size, --pick, ...), before the file is read
  MemorySet memories;
  try {
    memories = load(a, 0, default_count);
  } catch (const InputError& e) {
    if (a.str("memories") != "builtin:fashion-mnist") throw;
    std::cerr << "uhop: " << e.what() << "; using builtin:glyphs instead\n";
    a.values["memories"] = "builtin:glyphs";
    memories = load(a, 0, default_count);
  }
  if (target >= memories.count())  // never wrapped: a target past the end is a mistake to name
    throw InputError("--target " + std::to_string(target) + " is outside 0.." + std::to_string(memories.count() - 1) +
                     " (M = " + std::to_string(memories.count()) + ")");
  std::printf("memories: %s, M = %d, d = %d (%s)\n", printable_text(memories.source).c_str(), memories.count(),
              memories.dim(), printable_text(memories.preprocessing).c_str());
  Session session(std::move(memories), s1, rs);
  session.set_query(corrupt(session.memories().patterns.row(target).transpose(), session.memories().shape, c, seed),
                    target);
  std::printf("Stage I (%s loss, lr %g, t %g):\n", to_string(s1.loss), s1.lr, s1.t);
  for (long long i = 0; i <= steps; ++i) {
    if (i > 0) session.stage1_step();
    const auto& r = session.stage1_log().back();
    if (i % std::max(1LL, steps / 10) == 0 || i == steps)
      std::printf("  step %4d  loss %10.5f  min Delta^Phi %10.4f  mean Delta^Phi %10.4f  R_Phi %8.4f\n", r.step, r.loss,
                  r.delta_phi_min, r.delta_phi_mean, r.r_phi);
  }
  std::printf("Stage II (query: memory %d corrupted by %s, beta %g):\n", target, to_string(c).c_str(), rs.beta);
  for (int s = 0; s < 3; ++s) session.stage2_step();
  for (const auto* run : {&session.baseline(), &session.retrieval()}) {
    std::printf("  %-14s", run == &session.baseline() ? "MHM (dot)" : "U-Hop (kernel)");
    for (const auto& r : run->log) std::printf("  x%d: error %.4g", r.step, r.error);
    std::printf("  -> nearest %d (%s)\n", run->log.back().nearest,
                run->log.back().nearest == target ? "retrieved" : "wrong memory");
  }
  return 0;
}

int run_command(const std::string& cmd, int argc, char** argv) {
  if (cmd == "stage1") return cmd_stage1(argc, argv);
  if (cmd == "retrieve") return cmd_retrieve(argc, argv);
  if (cmd == "demo") return cmd_demo(argc, argv);
  if (cmd == "sweep") return cmd_sweep(argc, argv);
  if (cmd == "capacity") return cmd_capacity(argc, argv);
  if (cmd == "replay" || cmd == "--session") return cmd_replay(argc, argv);
  if (cmd == "save-session") return cmd_save_session(argc, argv);
  if (cmd == "project") return cmd_project(argc, argv);
  if (cmd == "landscape") return cmd_landscape(argc, argv);
  if (cmd == "help" || cmd == "--help" || cmd == "-h") return std::cout << kUsage, 0;
  std::cerr << "uhop: error: unknown command '" << text_excerpt(cmd) << "' (try 'uhop help')\n";
  return 2;
}
}  // namespace

int main(int argc, char** argv) {
  // An output whose reader quits (a FIFO, `| head`) must give a message and exit 2, not a silent death by SIGPIPE
  // (exit 141): writes then fail with EPIPE, which the output code reports (core/io/atomic_file.cpp).
  std::signal(SIGPIPE, SIG_IGN);
  follow_free_cores();  // the core's threads follow the cores other processes leave free (docs/speed.md)
  if (argc < 2) {       // no command: a usage error (exit 2, usage on stderr), unlike `uhop help`, which asked for it
    std::cerr << kUsage;
    return 2;
  }
  const std::string cmd = argv[1];
  try {
    const int code = run_command(cmd, argc, argv);
    std::cout.flush();
    // What was printed did not all arrive: the reason is taken at the failing call (core/io/atomic_file.h).
    const std::string stdout_failure = code == 0 ? flushed_stream_failure(stdout, "standard output") : "";
    if (!stdout_failure.empty()) {
      std::cerr << "uhop: error: " << stdout_failure << "\n";
      return 2;
    }
    return code;
  } catch (const InputError& e) {
    std::cerr << "uhop: error: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "uhop: error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "uhop: internal error: " << printable_text(e.what()) << "\n";
    return 1;
  }
}
