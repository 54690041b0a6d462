// Naive loop implementations of the "why" views' numbers (probe, Lemma 1 margin, PCA of the normalized features,
// energy on a plane), written straight from the formulas and sharing no code with core/ beyond naive_formulas.h.
#pragma once
#include <algorithm>
#include <cmath>
#include <vector>

#include "naive_formulas.h"

namespace naive {
// Index of the memory nearest to x in pixels: argmin_nu sum_p (xi_nu,p - x_p)^2.
inline int nearest_memory(const Matrix& xi, const Vector& x) {
  int best = 0;
  double best_d = 1e300;
  for (int nu = 0; nu < xi.rows(); ++nu) {
    double d = 0;
    for (int p = 0; p < xi.cols(); ++p) d += (xi(nu, p) - x[p]) * (xi(nu, p) - x[p]);
    if (d < best_d) best_d = d, best = nu;
  }
  return best;
}
// ||clip(a) - clip(b)||^2
inline double paper_error(const Vector& a, const Vector& b) {
  double e = 0;
  for (int p = 0; p < a.size(); ++p) {
    const double u = std::min(1.0, std::max(0.0, a[p])), v = std::min(1.0, std::max(0.0, b[p]));
    e += (u - v) * (u - v);
  }
  return e;
}
struct Probe {
  double error = 0, retrieved = 0;
};
// Every row of `queries` (target = its index) through T softmax steps with kernel W, then the means.
inline Probe probe(const Matrix& w, const Matrix& xi, const Matrix& queries, int steps, double beta) {
  Probe r;
  for (int mu = 0; mu < xi.rows(); ++mu) {
    Vector x = row(queries, mu);
    for (int t = 0; t < steps; ++t) x = softmax_step(w, xi, x, beta);
    r.error += paper_error(row(xi, mu), x) / xi.rows();
    r.retrieved += (nearest_memory(xi, x) == mu ? 1.0 : 0.0) / xi.rows();
  }
  return r;
}
// min_mu Delta^Phi_mu - 2 m_Phi R_Phi, with m_Phi = max_mu ||W xi_mu||.
inline double bound_margin_min(const Matrix& w, const Matrix& xi) {
  double m_phi = 0, best = 1e300;
  for (int mu = 0; mu < xi.rows(); ++mu) m_phi = std::max(m_phi, std::sqrt(kernel(w, row(xi, mu), row(xi, mu))));
  const double r = r_phi(w, xi);
  for (int mu = 0; mu < xi.rows(); ++mu) best = std::min(best, delta_phi(w, xi, mu) - 2 * m_phi * r);
  return best;
}
// PCA through the D x D covariance of f_mu = W xi_mu / ||W xi_mu|| (the core goes through the M x M Gram instead):
// coordinates (f_mu - mean) . v_i for the top two eigenvectors v_i.
inline Matrix pca_points(const Matrix& w, const Matrix& xi) {
  const int m = xi.rows();
  std::vector<Vector> f;
  for (int mu = 0; mu < m; ++mu) {
    Vector z = feature(w, row(xi, mu));
    f.push_back(z / std::sqrt(z.dot(z)));
  }
  const int dd = f[0].size();
  Vector mean = Vector::Zero(dd);
  for (const auto& v : f) mean += v / m;
  Matrix cov = Matrix::Zero(dd, dd);
  for (const auto& v : f)
    for (int i = 0; i < dd; ++i)
      for (int j = 0; j < dd; ++j) cov(i, j) += (v[i] - mean[i]) * (v[j] - mean[j]);
  Eigen::SelfAdjointEigenSolver<Matrix> es(cov);
  Matrix pts(m, 2);
  for (int k = 0; k < 2; ++k) {
    const Vector axis = es.eigenvectors().col(dd - 1 - k);
    for (int mu = 0; mu < m; ++mu) {
      double s = 0;
      for (int i = 0; i < dd; ++i) s += (f[mu][i] - mean[i]) * axis[i];
      pts(mu, k) = s;
    }
  }
  return pts;
}
}  // namespace naive
