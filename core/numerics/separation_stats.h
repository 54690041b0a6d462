// Separation, radius and the retrieval guarantees (reference math section 6).
#pragma once
#include "feature_geometry.h"
#include "linalg_types.h"

namespace uhop {
struct SeparationStats {
  Vector delta;  // Delta^Phi_mu = K(xi_mu, xi_mu) - max_{nu != mu} K(xi_mu, xi_nu)
  double delta_min = 0, delta_mean = 0, delta_max = 0;
  double r_phi = 0;  // R_Phi = 1/2 min_{mu != nu} ||W xi_mu - W xi_nu||
  double m = 0;      // max_mu ||xi_mu||
  double m_phi = 0;  // max_mu ||W xi_mu||
};

// Needs M >= 2 (throws InputError). With g from feature_geometry(memories, W); W = I gives Delta and R.
SeparationStats separation_stats(const FeatureGeometry& g, const Matrix& memories);

// Lemma 1 (alpha = 1), valid when ||Wx - W xi_mu|| <= R_Phi:
// ||T(x) - xi_mu|| <= 2 m (M-1) exp(-beta (Delta^Phi_mu - 2 m_Phi R_Phi)). A value too large for a double (beta =
// 1e4 with a negative margin) saturates at DBL_MAX, never inf: it is vacuous either way (docs/decisions.md).
double retrieval_error_bound(const SeparationStats& s, int mu, double beta);
// The bound is vacuous when it is >= 2m: any convex combination of memories is that close anyway.
bool bound_is_vacuous(const SeparationStats& s, double bound);

// Theorem 2 (alpha > 1), derived: inside the sphere, beta (Delta^Phi_mu - 2 m_Phi R_Phi) >= 1/(alpha-1)
// guarantees alpha-entmax(beta k(x)) is one-hot at mu, so T(x) = xi_mu exactly.
bool exact_retrieval_guaranteed(const SeparationStats& s, int mu, double beta, double alpha);
// For a given score vector: alpha-entmax(beta k) is one-hot at mu iff beta (k_mu - max_{nu != mu} k_nu) >= 1/(alpha-1).
bool entmax_is_one_hot(const Vector& scores, int mu, double beta, double alpha);

// Lemma 1's margin for memory mu: Delta^Phi_mu - 2 m_Phi R_Phi. The bound is 2m(M-1) exp(-beta * margin), so it
// shrinks with beta only when the margin is > 0 (and says nothing, >= 2m, while beta * margin <= ln(M-1)).
double bound_margin(const SeparationStats& s, int mu);
double bound_margin_min(const SeparationStats& s);   // min_mu Delta^Phi_mu - 2 m_Phi R_Phi
double bound_margin_mean(const SeparationStats& s);  // mean_mu Delta^Phi_mu - 2 m_Phi R_Phi
// The beta above which the Lemma 1 bound is below epsilon: beta* = ln(2m(M-1)/epsilon) / margin for margin > 0
// (0 when that logarithm is <= 0: every beta > 0 will do); +infinity when margin <= 0 (no beta makes it small).
double beta_star(double margin, double m, int count, double epsilon);

// The paper's error for one query: ||clip(xi_mu, 0, 1) - clip(x, 0, 1)||^2 (sum over pixels).
double paper_error(const Vector& target, const Vector& x);
}  // namespace uhop
