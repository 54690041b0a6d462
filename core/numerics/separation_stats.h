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
// 1e4 with a negative margin) saturates at DBL_MAX, never inf: it is vacuous either way (README "Decisions").
double retrieval_error_bound(const SeparationStats& s, int mu, double beta);
// The bound is vacuous when it is >= 2m: any convex combination of memories is that close anyway.
bool bound_is_vacuous(const SeparationStats& s, double bound);

// Theorem 2 (alpha > 1), derived: inside the sphere, beta (Delta^Phi_mu - 2 m_Phi R_Phi) >= 1/(alpha-1)
// guarantees alpha-entmax(beta k(x)) is one-hot at mu, so T(x) = xi_mu exactly.
bool exact_retrieval_guaranteed(const SeparationStats& s, int mu, double beta, double alpha);
// For a given score vector: alpha-entmax(beta k) is one-hot at mu iff beta (k_mu - max_{nu != mu} k_nu) >= 1/(alpha-1).
bool entmax_is_one_hot(const Vector& scores, int mu, double beta, double alpha);

// The paper's error for one query: ||clip(xi_mu, 0, 1) - clip(x, 0, 1)||^2 (sum over pixels).
double paper_error(const Vector& target, const Vector& x);
}  // namespace uhop
