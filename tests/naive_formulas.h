// Independent, deliberately naive implementations of the reference math (loops straight from the formulas in
// shared/reference/uhop-math.md), so the tests compare core/ against something that shares none of its code.
#pragma once
#include <cmath>
#include <vector>

#include "numerics/linalg_types.h"
#include "numerics/rng.h"

namespace naive {
using uhop::Matrix;
using uhop::Vector;

inline Vector feature(const Matrix& w, const Vector& u) {  // Phi(u) = W u, one dot product per row
  Vector z = Vector::Zero(w.rows());
  for (int i = 0; i < w.rows(); ++i)
    for (int j = 0; j < w.cols(); ++j) z[i] += w(i, j) * u[j];
  return z;
}
inline double kernel(const Matrix& w, const Vector& u, const Vector& v) {
  const Vector a = feature(w, u), b = feature(w, v);
  double s = 0;
  for (int i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}
inline Vector row(const Matrix& m, int i) {
  return m.row(i).transpose();
}

// L_avg = log( 2/(M(M-1)) sum_{mu<nu} exp(-t ||f_mu - f_nu||^2) ); L_max = max_{mu<nu} -t ||f_mu - f_nu||^2
inline double separation_loss(const Matrix& w, const Matrix& xi, double t, bool max_loss) {
  const int M = xi.rows();
  std::vector<Vector> f;
  for (int mu = 0; mu < M; ++mu) {
    Vector z = feature(w, row(xi, mu));
    f.push_back(z / std::sqrt(z.dot(z)));
  }
  double sum = 0, best = -1e300;
  for (int mu = 0; mu < M; ++mu)
    for (int nu = mu + 1; nu < M; ++nu) {
      const double d2 = (f[mu] - f[nu]).squaredNorm();
      sum += std::exp(-t * d2);
      best = std::max(best, -t * d2);
    }
  return max_loss ? best : std::log(2.0 / (M * (M - 1.0)) * sum);
}

// Delta^Phi_mu = K(xi_mu, xi_mu) - max_{nu != mu} K(xi_mu, xi_nu)
inline double delta_phi(const Matrix& w, const Matrix& xi, int mu) {
  double best = -1e300;
  for (int nu = 0; nu < xi.rows(); ++nu)
    if (nu != mu) best = std::max(best, kernel(w, row(xi, mu), row(xi, nu)));
  return kernel(w, row(xi, mu), row(xi, mu)) - best;
}
// R_Phi = 1/2 min_{mu != nu} ||W xi_mu - W xi_nu||
inline double r_phi(const Matrix& w, const Matrix& xi) {
  double best = 1e300;
  for (int mu = 0; mu < xi.rows(); ++mu)
    for (int nu = 0; nu < xi.rows(); ++nu)
      if (mu != nu) best = std::min(best, (feature(w, row(xi, mu)) - feature(w, row(xi, nu))).norm());
  return 0.5 * best;
}

// Softmax retrieval x+ = Xi^T softmax(beta k(x)), k_nu = K(xi_nu, x).
inline Vector softmax_step(const Matrix& w, const Matrix& xi, const Vector& x, double beta) {
  const int M = xi.rows();
  std::vector<double> k(M);
  double mx = -1e300;
  for (int nu = 0; nu < M; ++nu) mx = std::max(mx, k[nu] = beta * kernel(w, row(xi, nu), x));
  double z = 0;
  for (int nu = 0; nu < M; ++nu) z += std::exp(k[nu] - mx);
  Vector out = Vector::Zero(xi.cols());
  for (int nu = 0; nu < M; ++nu) out += std::exp(k[nu] - mx) / z * row(xi, nu);
  return out;
}
// E(x) = 1/2 K(x,x) - (1/beta) log sum_nu exp(beta K(xi_nu, x))  (alpha = 1)
inline double softmax_energy(const Matrix& w, const Matrix& xi, const Vector& x, double beta) {
  double mx = -1e300;
  std::vector<double> k(xi.rows());
  for (int nu = 0; nu < xi.rows(); ++nu) mx = std::max(mx, k[nu] = beta * kernel(w, row(xi, nu), x));
  double s = 0;
  for (double v : k) s += std::exp(v - mx);
  return 0.5 * kernel(w, x, x) - (mx + std::log(s)) / beta;
}

inline Matrix random_matrix(uhop::Rng& rng, int rows, int cols, double lo = 0.0, double hi = 1.0) {
  Matrix m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = lo + (hi - lo) * rng.uniform();
  return m;
}
inline Matrix random_gaussian(uhop::Rng& rng, int rows, int cols) {
  Matrix m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = rng.normal();
  return m;
}
inline Vector random_vector(uhop::Rng& rng, int n, double lo, double hi) {
  Vector v(n);
  for (int i = 0; i < n; ++i) v[i] = lo + (hi - lo) * rng.uniform();
  return v;
}
}  // namespace naive
