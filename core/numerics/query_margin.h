// The query's margin (issue 20): what decides *this* query's retrieval, where Lemma 1 is a worst case over a sphere.
// g(x) = s_mu(x) - max_{nu != mu} s_nu(x), the gap between the target's score and the best rival's at a state x, for
// the scores of a similarity: dot <xi_nu, x> (MHM, pixel space) or kernel <W xi_nu, W x> (U-Hop, feature space).
// With softmax the target's weight p_mu = 1 / (1 + sum_{nu != mu} exp(-beta (s_mu - s_nu))) >= 1 / (1 + (M-1)
// exp(-beta g)): it passes 1/2 once g >= ln(M-1)/beta, and a negative g means a rival outweighs the target.
#pragma once
#include "linalg_types.h"

namespace uhop {
// s_mu - max_{nu != mu} s_nu; NaN when there is no rival (one score) or target is outside the scores.
double score_margin(const Vector& scores, int target);
// ln(M-1)/beta: the margin at which the target's softmax weight is sure to pass 1/2 (0 for M <= 2).
double half_weight_margin(long long count, double beta);
// K(xi_nu, x) = <xi_nu, W^T (W x)> for every memory (W empty: the dot <xi_nu, x>), in O(Dd + Md).
Vector kernel_scores(const Matrix& memories, const Matrix& w, const Vector& x);
// score_margin(kernel_scores(memories, w, x), target): the query's margin in feature space (pixel space for W empty).
double query_margin(const Matrix& memories, const Matrix& w, const Vector& x, int target);
}  // namespace uhop
