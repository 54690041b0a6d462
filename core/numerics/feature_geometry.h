// The untiled geometry of (Xi, W): the features, their norms and the whole M x M kernel Gram matrix. Stage I and
// the Session use the tiled pair sweep instead (pair_sweep.h, no M x M matrix); this plain form is the reference
// the tests hold the tiled one to, and what small computations (the sweep's training) use.
#pragma once
#include <vector>

#include "linalg_types.h"

namespace uhop {
struct FeatureGeometry {
  Matrix features;  // Z = Xi W^T (M x D): row mu is Phi(xi_mu)
  Matrix gram;      // K = Z Z^T (M x M): K(xi_mu, xi_nu)
  Vector norms;     // ||z_mu|| = sqrt(K_mu,mu)
};

// W empty (0 x 0) means W = I: the plain dot-product geometry of MHM (features are Xi itself).
FeatureGeometry feature_geometry(const Matrix& memories, const Matrix& w);
// The same into g, reusing its buffers (a training loop then allocates nothing per step).
void update_feature_geometry(FeatureGeometry& g, const Matrix& memories, const Matrix& w);

// Feature cosines C_ab = <W xi_a, W xi_b> / (||W xi_a|| ||W xi_b||) (0 for a zero feature) of all memories when
// M <= max_size, else of max_size evenly spaced ones (index floor(k M / max_size)), listed in *picked when given.
// Costs O(n d D + n^2 D) for n = min(M, max_size), whatever M is. W empty means W = I.
Matrix feature_cosine_sample(const Matrix& memories, const Matrix& w, int max_size, std::vector<int>* picked = nullptr);
}  // namespace uhop
