// One sweep over all pairs (mu, nu) of feature rows z_mu, tile by tile, without an M x M matrix: everything the
// Stage I loss, its gradient and the separation statistics need (reference math sections 2 and 6).
//
// Tiles of B x B pairs (B = pair_sweep_block(M)): K = Z_A Z_B^T is formed in the features' precision T (float or
// double), used while it is in cache, and dropped. Tiles run in rounds in which no two tiles share a row (a
// round-robin schedule), so every per-row quantity is owned by one thread and accumulated in an order fixed by
// the schedule: the results do not depend on the thread count. Loss sums, statistics and refinements are double.
#pragma once
#include <limits>

#include "linalg_types.h"
#include "progress.h"
#include "separation_loss.h"

namespace uhop {
struct PairSweepRequest {
  double t = 2.0;  // temperature of the loss
  LossKind loss = LossKind::avg;
  Eigen::Index loss_rows = 0;  // the loss is over the pairs among the first n rows (0: no loss)
  bool weighted_sum = false;   // avg loss: also (P F) over the loss rows, which the gradient needs
  bool stats = false;          // Delta^Phi of every row and R_Phi over all pairs
  Eigen::Index block = 0;      // tile edge; 0 = pair_sweep_block(rows)
};

template <typename T>
struct PairSweep {
  // Loss over the pairs mu < nu of the loss rows, e_mu,nu = -t ||f_mu - f_nu||^2 (f = z / ||z||, 0 for z = 0):
  // avg: log( 2/(n(n-1)) sum_{mu<nu} exp(e_mu,nu) ); max: e of the closest pair, recomputed in double from its rows.
  double loss = std::numeric_limits<double>::quiet_NaN();
  int max_mu = 0, max_nu = 1;  // the closest pair (argmax e), mu < nu; ties: smallest (nu, mu)
  // (P F)_mu = sum_{nu != mu} P_mu,nu f_nu over the loss rows, P_mu,nu = exp(e_mu,nu) / sum_{a<b} exp(e_a,b).
  MatrixT<T> weighted_features;
  // Delta^Phi_mu = ||z_mu||^2 - max_{nu != mu} <z_mu, z_nu>, the maximizing inner product recomputed in double.
  Vector delta;
  double r_phi = std::numeric_limits<double>::quiet_NaN();  // 1/2 min ||z_mu - z_nu||, the closest pair in double
};

// 256 for large sets (a K tile and its weights stay in cache); smaller for small sets so a sweep still has
// several tiles to share between threads. Depends on M only, never on the thread count.
Eigen::Index pair_sweep_block(Eigen::Index rows);

// features: Z (M x D) in T; norms: ||z_mu|| in double. Throws InputError when the loss or the statistics need
// 2 rows and there are fewer; Cancelled when progress asks to stop (checked between rounds).
template <typename T>
void pair_sweep(PairSweep<T>& out, const MatrixT<T>& features, const Vector& norms, const PairSweepRequest& request,
                const ProgressFn& progress = {});

// ||z_mu|| for every row, accumulated in double.
template <typename T>
Vector row_norms(const MatrixT<T>& features);
}  // namespace uhop
