// What Stage I and the separation statistics need about (Xi, W), computed once per W: the features, their norms
// and the kernel Gram matrix. Loss, gradient, Delta^Phi and R_Phi all read from it (no product is done twice).
#pragma once
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
}  // namespace uhop
