// Stage I in one precision (precision.h): the features Z = Xi_rows W^T of all memories or of a batch of them, one
// pair sweep for the loss, the gradient's weighted sum and the separation statistics (pair_sweep.h), and dL/dW
// (reference math sections 2 and 6). Products run in float or double; what is reported (loss, statistics, the
// gradient handed back) is double. No M x M matrix is formed, so memory grows as M x D.
#pragma once
#include <limits>
#include <memory>
#include <vector>

#include "linalg_types.h"
#include "precision.h"
#include "progress.h"
#include "separation_loss.h"
#include "separation_stats.h"

namespace uhop {
struct Stage1Request {
  double t = 2.0;  // temperature of the loss
  LossKind loss = LossKind::avg;
  bool want_loss = true;  // false: statistics only
  int loss_rows = 0;      // the loss is over the pairs among the first n evaluated rows (0 = all; needs n >= 2)
  bool gradient = false;  // keep what gradient() needs
  bool stats = false;     // separation statistics over all evaluated rows
};

struct Stage1Evaluation {
  double loss = std::numeric_limits<double>::quiet_NaN();
  bool has_stats = false;
  SeparationStats stats;  // of the evaluated rows under W (delta per row; m = max ||xi|| of those rows)
};

class Stage1Kernel {
 public:
  virtual ~Stage1Kernel() = default;
  virtual Precision precision() const = 0;
  // rows: ascending memory indices, or empty for all M. w: W (D x d), or empty (0 x 0) for W = I, whose features
  // are the memories themselves (no product, no copy). Throws InputError (fewer than 2 rows where pairs are
  // needed, bad t) or Cancelled (progress asked to stop).
  virtual Stage1Evaluation evaluate(const Matrix& w, const std::vector<int>& rows, const Stage1Request& request,
                                    const ProgressFn& progress = {}) = 0;
  // dL/dW (D x d) at the last evaluate() that asked for it: avg dL/dz_mu = -2t (a_mu f_mu - (P F)_mu) / ||z_mu||,
  // a_mu = f_mu . (P F)_mu; max: the rank-2 gradient of the closest pair. Once per evaluate (throws otherwise).
  virtual void gradient(Matrix& grad) = 0;
  // Z = Xi W^T of the last evaluate() when it was all M rows in double with a W (else null): Stage II's kernel
  // operator reuses it.
  virtual const Matrix* double_features_of_all() const = 0;
};

// memories: Xi in double (always); memories_single: the same in float, needed for Precision::single_precision
// (made here when null). Both are shared, never copied.
std::unique_ptr<Stage1Kernel> make_stage1_kernel(std::shared_ptr<const Matrix> memories,
                                                 std::shared_ptr<const MatrixF> memories_single, Precision precision);

// Mini-batch rows for step `step`: `batch` distinct indices of [0, n), ascending, drawn from (seed, step) by
// selection sampling (Knuth's algorithm S). batch >= n gives every index.
std::vector<int> sample_batch(uint64_t seed, int step, int n, int batch);
}  // namespace uhop
