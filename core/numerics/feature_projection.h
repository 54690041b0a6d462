// The feature-space map: the normalized features f_mu = W xi_mu / ||W xi_mu|| on their top two principal components,
// so a person can see the memories move apart while Stage I trains. Issue "see why U-Hop works", view 3.
//
// PCA through the M x M Gram matrix (Stage I already holds K = Z Z^T): the centered Gram C = H G H of the normalized
// features (G_mu,nu = K_mu,nu / (||z_mu|| ||z_nu||), H = I - 11^T/M) has the eigenpairs (lambda_i, u_i); the
// coordinates are sqrt(lambda_i) u_i and the axes in feature space F_c^T u_i / sqrt(lambda_i). A memory with
// W xi_mu = 0 has no direction: its f_mu is taken as 0.
#pragma once
#include "linalg_types.h"

namespace uhop {
struct FeatureMap2d {
  Vector mean;      // (1/M) sum_mu f_mu (D)
  Matrix axes;      // D x 2, orthonormal principal directions (a zero column when the features span fewer dimensions)
  Matrix points;    // M x 2: row mu = (f_mu - mean)^T axes
  Vector variance;  // the two eigenvalues / M: variance of the points along each axis
  double total_variance = 0;  // (1/M) sum_mu ||f_mu - mean||^2: how much of it the two axes show
};

// features: Z = Xi W^T (M x D), rows unnormalized; gram: Z Z^T when the caller has it (else computed).
// M >= 2. Exact symmetric eigensolver for M <= exact_limit; above it block subspace iteration on C (until the residual
// is <= 1e-10 trace C or the Ritz values stop changing; at most 300 iterations), seeded by `start` when given (M x 2,
// e.g. the previous frame's points: an animation then needs a few iterations per frame).
// Without a gram or start and with fewer feature dimensions than memories (D < M), the same components come from the
// D x D covariance instead (exact_limit then applies to D): nothing M x M is formed.
// Axis signs: each axis is flipped so that its largest |coordinate| (lowest index on ties) is positive.
FeatureMap2d feature_pca(const Matrix& features, const Matrix* gram = nullptr, int exact_limit = 256,
                         const Matrix* start = nullptr);

// The rotation or reflection R (2 x 2, R^T R = I) minimizing ||points R - reference||_F (orthogonal Procrustes:
// R = U V^T for the SVD points^T reference = U S V^T).
Eigen::Matrix2d procrustes_rotation(const Matrix& points, const Matrix& reference);
// map.points and map.axes times R: the same picture turned to match `reference` (M x 2) as closely as possible, so an
// animation's frames move instead of flipping.
void align_map(FeatureMap2d& map, const Matrix& reference);

// Rows of xs (any states x, e.g. a Stage II trajectory) on the same axes: f = W x / ||W x|| (0 when W x = 0), then
// (f - mean)^T axes. W empty means W = I.
Matrix project_states(const FeatureMap2d& map, const Matrix& w, const Matrix& xs);
}  // namespace uhop
