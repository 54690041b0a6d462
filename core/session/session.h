// The one stepping API that the GUI, the CLI and the tests share: memories, W, the query and the histories of
// Stage I (training W) and Stage II (retrieval with the current W, plus an MHM baseline for comparison).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include <memory>

#include "numerics/feature_map.h"
#include "numerics/memory_set.h"
#include "numerics/precision.h"
#include "numerics/progress.h"
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
  // Products in float or double (README "Decisions: precision"); the log is double either way.
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
};

class Session {
 public:
  // Needs M >= 2; no M x M matrix is ever formed, so M is limited by M x d memory only. Throws InputError on bad
  // settings, Cancelled when progress asks to stop (the statistics of a large set take a while).
  Session(MemorySet memories, Stage1Settings stage1 = {}, RetrievalSettings stage2 = {},
          const ProgressFn& progress = {});

  // ---- Stage I
  void set_stage1_settings(const Stage1Settings& s);   // lr/schedule/t/loss apply from the next step on;
                                                       // init/dim/seed on reset_stage1()
  void reset_stage1(const ProgressFn& progress = {});  // W = W_0 from the settings, log = row 0
  // W_0 given (e.g. --w0 file): checked (D >= d, finite), log = row 0
  void set_initial_w(const Matrix& w, const ProgressFn& progress = {});
  // W_{i+1} = W_i - gamma_i dL/dW(W_i) on all memories or a mini-batch; appends row i+1. Cancelled leaves W_i.
  void stage1_step(const ProgressFn& progress = {});
  void finish_stage1();  // row normalization when set (changes W, not logged)
  // Computes the statistics of the current W when they are not known (a mini-batch row between --stats-every
  // rows, or after finish_stage1) and fills the last row's empty cells when that row describes this W.
  void ensure_stats(const ProgressFn& progress = {});

  // ---- Stage II
  void set_retrieval_settings(const RetrievalSettings& s);  // keeps W; restarts the retrieval from the query
  void set_query(const Vector& query, int target);          // restarts the retrieval
  void reset_stage2();                                      // back to x_0 = query
  void stage2_step();                                       // one step of the main run and of the MHM baseline

  void reset();  // both stages

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
  void ensure_retrieval() const;  // rebuilds the main run after W changed (lazily: Stage I steps stay cheap)

  MemorySet memories_;
  std::shared_ptr<const Matrix> patterns_;          // Xi, shared with the kernels and retrieval operators
  std::shared_ptr<const MatrixF> patterns_single_;  // Xi in float (single precision), or null
  Stage1Settings stage1_;
  RetrievalSettings stage2_;
  Matrix w_;
  std::unique_ptr<Stage1Kernel> kernel_;
  bool gradient_ready_ = false;  // full batch: the kernel holds the sweep of the current W, ready for its gradient
  bool kernel_holds_w_ = false;  // the kernel's last evaluation was all memories under the current W
  double current_loss_ = 0;      // the loss of the current W when gradient_ready_
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
};
}  // namespace uhop
