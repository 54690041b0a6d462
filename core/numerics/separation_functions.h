// Sep_alpha : R^M -> probability simplex (reference math section 3) and its convex conjugate Psi*_alpha, which the
// energy needs (section 5). alpha = 1 softmax, alpha = 2 sparsemax, 1 < alpha alpha-entmax; top-k softmax is a
// baseline (no energy).
#pragma once
#include "linalg_types.h"

namespace uhop {
struct SepSpec {
  double alpha = 1.0;  // >= 1
  int top_k = 0;       // > 0: top-k softmax (alpha ignored)
};

// Throws InputError for alpha < 1, non-finite alpha, or top_k < 0.
void validate(const SepSpec& spec);

Vector softmax(const Vector& z);                        // p_i = exp(z_i - max z) / sum_j exp(z_j - max z)
Vector sparsemax(const Vector& z);                      // argmin_{p in simplex} ||p - z||^2 (sort-based, exact)
Vector entmax15(const Vector& z);                       // 1.5-entmax, exact sort-based (p_i = [z_i/2 - tau]_+^2)
Vector entmax_bisect(const Vector& z, double alpha);    // p_i = [(alpha-1) z_i - tau]_+^{1/(alpha-1)}, bisection
Vector topk_softmax(const Vector& z, int k);            // softmax over the k largest entries, 0 elsewhere
Vector separate(const Vector& z, const SepSpec& spec);  // dispatch to the exact form where one exists

// In-place row-wise Sep on a Q x M matrix (batched Stage II).
void separate_rows(Matrix& z, const SepSpec& spec);

double log_sum_exp(const Vector& z);                    // max + log sum exp(z - max): stable
double tsallis_entropy(const Vector& p, double alpha);  // H_alpha(p); alpha = 1: Shannon -sum p log p
// Psi*_alpha(z) = <p*, z> + H_alpha(p*), p* = Sep_alpha(z); alpha = 1: log-sum-exp. NaN for top-k softmax.
double psi_star(const Vector& z, const SepSpec& spec);
}  // namespace uhop
