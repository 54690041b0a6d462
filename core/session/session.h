// The one stepping API that the GUI, the CLI and the tests share: memories, W, the query and the histories of
// Stage I (training W) and Stage II (retrieval with the current W, plus an MHM baseline for comparison).
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include <memory>

#include "data/memory_sources.h"
#include "numerics/feature_map.h"
#include "numerics/memory_set.h"
#include "numerics/precision.h"
#include "numerics/progress.h"
#include "numerics/retrieval_probe.h"
#include "numerics/retrieval_run.h"
#include "numerics/separation_loss.h"
#include "numerics/separation_stats.h"
#include "numerics/stage1_kernel.h"

namespace uhop {
struct Stage1Settings {
  FeatureInit init = FeatureInit::identity;
  int dim = 0;      // D; 0 = d
  double lr = 0.1;  // gamma
  Schedule schedule = Schedule::constant;
  Optimizer optimizer = Optimizer::sgd;
  double t = 2.0;  // temperature of the separation loss
  LossKind loss = LossKind::avg;
  bool normalize_rows = false;  // Algorithm 1 line 4, applied by finish_stage1(), not logged as a step
  uint64_t seed = 0;            // for gaussian/orthogonal init
  int train_count = 0;          // train W on the first n memories only (reference preset: M/2); 0 = all
  // Products in float or double (docs/decisions.md "Precision"); the log is double either way.
  Precision precision = Precision::single_precision;
  int batch = 0;  // memories per step, drawn from (seed, step) (mini-batch); 0 = all of them (full batch)
  // Statistics over all M (Delta^Phi, R_Phi, m_Phi; and for mini-batch the loss) on rows i % K == 0 and on the
  // last row (ensure_stats); the rows in between leave them empty.
  int stats_every = 1;
};
void validate(const Stage1Settings& s, int d, int m);  // throws InputError naming the bad setting

// Row i describes W_i (i = 0 the initial W).
struct Stage1Record {
  int step = 0;
  double loss = 0;
  double delta_phi_min = 0, delta_phi_mean = 0, delta_phi_max = 0;
  double r_phi = 0;
  double m_phi = 0;
  double lr = 0;         // gamma_i used for the step from W_i to W_{i+1} (NaN on the last row until it is taken)
  double grad_norm = 0;  // ||dL/dW(W_i)||_F
  // The loss on the memories of the step from W_i (the mini-batch; all of them in full batch), NaN on the last row.
  double batch_loss = 0;
  double w_change = 0;  // ||W_i - W_0||_F / ||W_0||_F: how far Stage I moved W (NaN when W_0 = 0)
  // Lemma 1's margin Delta^Phi_mu - 2 m_Phi R_Phi of W_i: min and mean over mu, and of the target when the row was
  // made (the bound 2m(M-1)exp(-beta margin) can only be small when the margin is > 0). NaN on rows without
  // statistics (--batch / --stats-every), like the statistics they come from.
  double bound_margin_min = 0, bound_margin_mean = 0, bound_margin_target = 0;
  // The query's margin (numerics/query_margin.h) at the Stage II query x_0 when the row was made: U-Hop's in feature
  // space with W_i, MHM's in pixel space (W = I). What decides this query's first step, where Lemma 1 is a worst
  // case; NaN in rows read back from a log file.
  double query_margin = std::numeric_limits<double>::quiet_NaN();
  double mhm_query_margin = std::numeric_limits<double>::quiet_NaN();
  // The probe (Session::set_probe): every memory queried under one corruption. U-Hop = kernel with W_i, NaN on rows
  // not probed; MHM = dot (W = I), the same on every row while the probe settings stay.
  double probe_paper_error = std::numeric_limits<double>::quiet_NaN();
  double probe_retrieved = std::numeric_limits<double>::quiet_NaN();
  double mhm_probe_paper_error = std::numeric_limits<double>::quiet_NaN();
  double mhm_probe_retrieved = std::numeric_limits<double>::quiet_NaN();
};

// ---- What a Session can hold (docs/decisions.md "Size limits"), checked before anything large is allocated.
// No M x M matrix is formed by a Session (Stage I and the statistics sweep the pairs in tiles), so M bounds time:
// building a Session sweeps all M^2/2 pairs once for MHM's statistics (W = I) and a full-batch Stage I step sweeps
// them again: ~8 TFLOP, a minute or more on two cores, at 100,000 memories of d = 784. Larger sets are refused up
// front rather than leaving a user waiting for hours (retrieval alone has no such limit: see retrieval.h).
constexpr int kMaxSessionMemories = 100000;
// Xi is M x d doubles, which a Session keeps about three times (its MemorySet, the copy its kernels share, a float
// copy, plus M x D features): 2^27 values (1 GiB per copy) holds 100,000 memories of d = 1342 or all 60,000
// Fashion-MNIST images (d = 784) with room to spare.
constexpr long long kMaxMemoryValues = 1LL << 27;
// Views that do form an M x M matrix (uhop project's PCA, the Studio's feature map: the Gram of the normalized
// features) take at most this many memories: 10000 x 10000 doubles are 0.8 GB.
constexpr int kMaxGramMemories = 10000;
// W is D x d doubles; Stage I keeps about six copies (W, previous W, gradient, Adam's two moments, the Stage II
// operator). 2^25 values (256 MiB per copy) allows d = D = 5792: 76x76 gray or 43x43 RGB images.
constexpr long long kMaxWValues = 1LL << 25;
// Steps a run may take: Stage I's log grows by one row per step (a million steps of M = 1000 take ~15 hours);
// Stage II keeps every state x_0..x_T (10000 states of d = 5792 are 460 MB).
constexpr long long kMaxStage1Steps = 1000000;
constexpr long long kMaxStage2Steps = 10000;

// The one check of the memory-count limit (throws InputError "M = ... memories is more than a session holds").
void check_session_memory_count(long long m);
// Throws InputError when M x d values are more than kMaxMemoryValues (d = values per memory).
void check_session_memory_values(long long m, long long d);
// Throws InputError unless W fits in kMaxWValues: d = C*H*W of shape, D = feature_dim (0: D = d). The message says
// why (W is D x d doubles = N GB) and which --size or --dim would fit.
void check_feature_map_fits(const ImageShape& shape, long long feature_dim = 0);
// options that refuse, before anything is read or allocated, a set a Session could not hold: check_fits runs the
// checks above, max_csv_values is lowered to kMaxMemoryValues.
LoadOptions with_session_limits(LoadOptions options, long long feature_dim = 0);

class Session {
 public:
  // Needs 2 <= M <= kMaxSessionMemories, M x d within kMaxMemoryValues and a W within kMaxWValues. Throws
  // InputError on bad settings and on values too large to square in a double (memories near 1e100, W = 1e300 I):
  // refused up front, never a NaN later. Cancelled when progress asks to stop (the statistics of a large set take a
  // while).
  Session(MemorySet memories, Stage1Settings stage1 = {}, RetrievalSettings stage2 = {},
          const ProgressFn& progress = {});

  // ---- Stage I
  void set_stage1_settings(const Stage1Settings& s);  // lr/schedule/t/loss apply from the next step on;
                                                      // init/dim/seed on reset_stage1()
  // W = W_0 from the settings, log = row 0. Stage II keeps its query and number of steps and follows W_0 (replayed
  // lazily, like after a Stage I step): a lecturer resets Stage I and sees MHM's answer again without re-running it.
  // Cancelled (or a refused W) leaves everything as it was.
  void reset_stage1(const ProgressFn& progress = {});
  // W_0 given (e.g. --w0 file): checked (D >= d, finite), log = row 0
  void set_initial_w(const Matrix& w, const ProgressFn& progress = {});
  // W_{i+1} = W_i - gamma_i dL/dW(W_i) on all memories or a mini-batch; appends row i+1. Cancelled leaves W_i.
  void stage1_step(const ProgressFn& progress = {});
  void finish_stage1();     // row normalization when the setting is on (changes W, not logged)
  void normalize_w_rows();  // every row of W scaled to unit length now (not logged as a step)
  // Computes the statistics of the current W when they are not known (a mini-batch row between --stats-every
  // rows, or after finish_stage1) and fills the last row's empty cells when that row describes this W.
  void ensure_stats(const ProgressFn& progress = {});

  // ---- Stage II
  void set_retrieval_settings(const RetrievalSettings& s);  // keeps W; restarts the retrieval from the query
  void set_query(const Vector& query, int target);          // restarts the retrieval
  void reset_stage2();                                      // back to x_0 = query
  void stage2_step();  // one step of the main run and of the MHM baseline (both or neither: see PendingState)

  void reset();  // both stages

  // ---- Probe (optional; issue "see why U-Hop works"): all M memories queried under p.corruption, T = p.steps batched
  // Stage II steps at beta = p.beta with the Stage II alpha/top-k, for U-Hop (kernel, current W) and MHM (dot).
  // set_probe builds the queries and MHM's reference, probes the current W (last row) and clears the U-Hop probe cells
  // of earlier rows (they were made under other settings); so does a Stage II change of alpha/top-k. nullopt = off.
  void set_probe(const std::optional<ProbeSettings>& p);
  void set_probe_every(int k);  // probe a new row when it is >= k rows after the last probed one (k >= 1; default 1)
  void probe_now();             // probe the last row if it is not yet
  const std::optional<ProbeSettings>& probe() const { return probe_; }
  const ProbeResult& mhm_probe() const { return mhm_probe_; }
  double last_probe_seconds() const { return last_probe_seconds_; }  // wall time of the last U-Hop probe

  // ---- Read access
  const MemorySet& memories() const { return memories_; }
  const Stage1Settings& stage1_settings() const { return stage1_; }
  const RetrievalSettings& retrieval_settings() const { return stage2_; }
  const Matrix& w() const { return w_; }
  int stage1_steps() const { return static_cast<int>(stage1_log_.size()) - 1; }
  const std::vector<Stage1Record>& stage1_log() const { return stage1_log_; }
  const SeparationStats& stats() const {
    return stats_;
  }  // of W at step stats_step() (the current W if stats_current())
  bool stats_current() const { return stats_current_; }
  int stats_step() const { return stats_step_; }                                      // -1 before any
  const SeparationStats& identity_stats() const { return identity_stats_; }           // of W = I (MHM)
  const std::shared_ptr<const Matrix>& shared_patterns() const { return patterns_; }  // memories().patterns, shared
  // Z = Xi W^T of the current W in double when Stage I's kernel holds it (after a full sweep), else null: callers
  // then compute Xi W^T themselves.
  const Matrix* features() const { return kernel_holds_w_ ? kernel_->double_features_of_all() : nullptr; }
  const Vector& query() const { return query_; }
  int target() const { return target_; }
  const RetrievalRun& retrieval() const;                      // with the chosen similarity
  const RetrievalRun& baseline() const { return baseline_; }  // plain MHM (dot), same alpha and beta

 private:
  bool mini_batch() const { return stage1_.batch > 0; }
  Stage1Request loss_request() const;                              // t, loss kind, train count
  void evaluate_current_w(const ProgressFn& progress);             // loss/stats of the current W as a new log row
  void prepare_full_gradient(const ProgressFn& progress);          // full batch: the sweep at W_i if not done yet
  void rebuild_stage1_kernel();                                    // for stage1_.precision
  std::shared_ptr<const MatrixF> single_patterns_if(Precision p);  // Xi in float (made once) when p is single
  void restart_retrieval();                                        // both runs, from the query
  void fill_query_margins(Stage1Record& r) const;                  // query_margin/mhm_query_margin of W, the query
  RetrievalSettings probe_settings(Similarity similarity) const;
  void probe_row(Stage1Record& r);  // U-Hop probe of the current W into r, MHM reference too
  // Throws InputError when the memories, W and query would not fit the products of these settings' precisions.
  void check_scale_fits(const Stage1Settings& s1, const RetrievalSettings& s2) const;
  RetrievalRun start_main_run() const;  // the main run at x_0 = query with the current W
  void ensure_retrieval() const;        // rebuilds the main run after W changed (lazily: Stage I steps stay cheap)

  MemorySet memories_;
  std::shared_ptr<const Matrix> patterns_;          // Xi, shared with the kernels and retrieval operators
  std::shared_ptr<const MatrixF> patterns_single_;  // Xi in float (single precision), or null
  Stage1Settings stage1_;
  RetrievalSettings stage2_;
  double max_memory_norm_ = 0;  // max_mu ||xi_mu|| (for scale_fits)
  Matrix w_;
  std::unique_ptr<Stage1Kernel> kernel_;
  bool gradient_ready_ = false;  // full batch: the kernel holds the sweep of the current W, ready for its gradient
  bool kernel_holds_w_ = false;  // the kernel's last evaluation was all memories under the current W
  double current_loss_ = 0;      // the loss of the current W when gradient_ready_
  Matrix w0_;                    // W_0 of the current log (for w_change)
  double w0_norm_ = 0;           // ||W_0||_F
  SeparationStats stats_, identity_stats_;
  bool stats_current_ = false, w_is_last_row_ = true;
  int stats_step_ = -1;
  std::optional<Stage1Evaluation> identity_evaluation_;  // W = I in Stage I's precision: row 0 reuses it
  AdamState adam_;
  Matrix grad_, previous_w_;  // reused every Stage I step (no per-step allocation)
  std::vector<Stage1Record> stage1_log_;
  Vector query_;
  int target_ = 0;
  mutable RetrievalRun retrieval_;
  mutable bool retrieval_stale_ = true;
  RetrievalRun baseline_;
  std::optional<ProbeSettings> probe_;
  Matrix probe_queries_;  // M x d, row mu = memory mu's corrupted copy
  ProbeResult mhm_probe_;
  int probe_every_ = 1, last_probed_row_ = -1;
  double last_probe_seconds_ = 0;
};
}  // namespace uhop
