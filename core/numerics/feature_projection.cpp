#include "feature_projection.h"

#include <algorithm>
#include <cmath>

#include "input_error.h"
#include "rng.h"

namespace uhop {
namespace {
// 1 / ||z_mu||, or 0 for a zero feature (it then has no direction and sits at the origin before centering).
Vector inverse_norms(const Vector& squared_norms) {
  Vector inv(squared_norms.size());
  for (Eigen::Index i = 0; i < inv.size(); ++i) inv[i] = squared_norms[i] > 0 ? 1.0 / std::sqrt(squared_norms[i]) : 0.0;
  return inv;
}

struct TopTwo {
  Eigen::Vector2d values;  // lambda_1 >= lambda_2
  Matrix vectors;          // M x 2
};

TopTwo exact_top_two(const Matrix& c) {
  Eigen::SelfAdjointEigenSolver<Matrix> es(c);
  const Eigen::Index m = c.rows();
  TopTwo t;
  t.values = Eigen::Vector2d(es.eigenvalues()[m - 1], es.eigenvalues()[m - 2]);
  t.vectors.resize(m, 2);
  t.vectors.col(0) = es.eigenvectors().col(m - 1);
  t.vectors.col(1) = es.eigenvectors().col(m - 2);
  return t;
}

// Block subspace iteration with Rayleigh-Ritz (C is symmetric positive semidefinite): a block wider than two so the
// convergence rate is lambda_{b+1}/lambda_2 rather than lambda_3/lambda_2. `start` (M x k, e.g. the previous frame's
// points, which are proportional to its eigenvectors) seeds the block: an animation converges in a few iterations.
// Stops when the top two residuals are <= 1e-10 trace(C), or when their Ritz values no longer change (relative 1e-10:
// the eigengap does not let the vectors settle further, and any vector of that near-degenerate subspace shows as much
// variance), or after 300 iterations.
TopTwo iterative_top_two(const Matrix& c, const Matrix* start) {
  const Eigen::Index m = c.rows();
  const Eigen::Index b = std::min<Eigen::Index>(m, 8);
  Rng rng(20240611);
  Matrix q(m, b);
  for (Eigen::Index j = 0; j < b; ++j)
    for (Eigen::Index i = 0; i < m; ++i) q(i, j) = rng.normal();
  if (start && start->rows() == m && start->allFinite())
    for (Eigen::Index j = 0; j < std::min<Eigen::Index>(start->cols(), b - 1); ++j)
      if (start->col(j).norm() > 0) q.col(j) = start->col(j);
  q = Eigen::HouseholderQR<Matrix>(q).householderQ() * Matrix::Identity(m, b);
  const double scale = std::max(c.trace(), 1e-300);
  Matrix y(m, b);
  TopTwo t;
  Eigen::Vector2d previous(-1, -1);
  for (int iteration = 0; iteration < 300; ++iteration) {
    y.noalias() = c * q;
    const Matrix small = q.transpose() * y;
    Eigen::SelfAdjointEigenSolver<Matrix> es(0.5 * (small + small.transpose()));
    // Ritz pairs, largest first.
    const Matrix v = es.eigenvectors().rowwise().reverse();
    const Vector theta = es.eigenvalues().reverse();
    q = q * v;
    y = y * v;
    t.values = Eigen::Vector2d(theta[0], theta[1]);
    t.vectors = q.leftCols(2);
    const double r0 = (y.col(0) - theta[0] * q.col(0)).norm(), r1 = (y.col(1) - theta[1] * q.col(1)).norm();
    if (std::max(r0, r1) <= 1e-10 * scale) break;
    if ((t.values - previous).cwiseAbs().maxCoeff() <= 1e-10 * t.values.cwiseAbs().maxCoeff()) break;
    previous = t.values;
    q = Eigen::HouseholderQR<Matrix>(y).householderQ() * Matrix::Identity(m, b);
  }
  return t;
}
}  // namespace

namespace {
// More memories than feature dimensions and no Gram at hand (uhop project on 10,000 images): the same components
// from the D x D covariance S = F_c^T F_c of the centred normalized features (its nonzero eigenvalues are the centred
// Gram's), so nothing M x M is formed (10,000 memories kept two 800 MB matrices).
FeatureMap2d covariance_pca(const Matrix& features, int exact_limit) {
  const Eigen::Index m = features.rows(), dd = features.cols();
  const Vector inv = inverse_norms(features.rowwise().squaredNorm());
  const Matrix f = inv.asDiagonal() * features;
  FeatureMap2d map;
  map.mean = f.colwise().mean().transpose();
  const Matrix centered = f.rowwise() - map.mean.transpose();
  Matrix cov = Matrix::Zero(dd, dd);
  cov.selfadjointView<Eigen::Lower>().rankUpdate(centered.transpose());
  cov.triangularView<Eigen::StrictlyUpper>() = cov.transpose();
  TopTwo top;
  if (dd == 1) {  // one feature dimension (1x1 images): one axis, the second has no variance
    top.values = Eigen::Vector2d(cov(0, 0), 0);
    top.vectors = Matrix::Zero(1, 2);
    top.vectors(0, 0) = 1;
  } else {
    top = dd <= exact_limit ? exact_top_two(cov) : iterative_top_two(cov, nullptr);
  }
  map.total_variance = std::max(0.0, cov.trace()) / static_cast<double>(m);
  map.axes.setZero(dd, 2);
  map.variance.setZero(2);
  const double tiny = std::max(1e-14 * cov.trace(), 1e-300);  // no axis from rounding noise
  for (int i = 0; i < 2; ++i) {
    if (!(top.values[i] > tiny)) continue;  // the features span fewer than i+1 dimensions: a zero axis
    map.axes.col(i) = top.vectors.col(i).normalized();
    map.variance[i] = top.values[i] / static_cast<double>(m);
  }
  map.points = centered * map.axes;
  return map;
}

// Deterministic signs: the largest |coordinate| on each axis is positive.
void orient_axes(FeatureMap2d& map) {
  for (int i = 0; i < 2; ++i) {
    Eigen::Index arg = 0;
    map.points.col(i).cwiseAbs().maxCoeff(&arg);
    if (map.points(arg, i) < 0) {
      map.points.col(i) *= -1;
      map.axes.col(i) *= -1;
    }
  }
}
}  // namespace

FeatureMap2d feature_pca(const Matrix& features, const Matrix* gram, int exact_limit, const Matrix* start) {
  const Eigen::Index m = features.rows();
  if (m < 2) throw InputError("the feature map needs at least 2 memories (got " + std::to_string(m) + ")");
  const bool have_gram = gram && gram->rows() == m && gram->cols() == m;
  if (!have_gram) {
    // The map shows f / ||f||, the same for every f divided by s = max |f|: dividing first keeps ||f||^2 finite and
    // nonzero for values of 1e200 or 1e-170 (their squares overflow or vanish, and every point came out 0).
    const double s = features.size() > 0 ? features.cwiseAbs().maxCoeff() : 0;
    if (std::isfinite(s) && s > 0 && (s > 1e100 || s < 1e-100))
      return feature_pca(Matrix(features / s), nullptr, exact_limit, start);
  }
  if (!have_gram && !start && features.cols() >= 1 && features.cols() < m) {
    FeatureMap2d map = covariance_pca(features, exact_limit);
    orient_axes(map);
    return map;
  }
  Matrix k;
  if (have_gram) {
    k = *gram;
  } else {
    k.setZero(m, m);
    k.selfadjointView<Eigen::Lower>().rankUpdate(features);
    k.triangularView<Eigen::StrictlyUpper>() = k.transpose();
  }
  const Vector inv = inverse_norms(k.diagonal());
  // G = D^-1 K D^-1 (cosines), then C = H G H.
  Matrix c = inv.asDiagonal() * k * inv.asDiagonal();
  const Vector row_mean = c.rowwise().mean();
  const double grand_mean = row_mean.mean();
  c.colwise() -= row_mean;
  c.rowwise() -= row_mean.transpose();
  c.array() += grand_mean;
  c = 0.5 * (c + c.transpose());

  const TopTwo top = m <= exact_limit ? exact_top_two(c) : iterative_top_two(c, start);
  const Matrix f = inv.asDiagonal() * features;  // rows f_mu
  FeatureMap2d map;
  map.mean = f.colwise().mean().transpose();
  const Matrix centered = f.rowwise() - map.mean.transpose();
  map.total_variance = std::max(0.0, c.trace()) / static_cast<double>(m);
  map.axes.setZero(features.cols(), 2);
  map.variance.setZero(2);
  const double tiny = std::max(1e-14 * c.trace(), 1e-300);  // no axis from rounding noise
  for (int i = 0; i < 2; ++i) {
    const double lambda = top.values[i];
    if (!(lambda > tiny)) continue;  // the features span fewer than i+1 dimensions: a zero axis
    Vector axis = centered.transpose() * top.vectors.col(i);
    const double len = axis.norm();
    if (!(len > 0)) continue;
    map.axes.col(i) = axis / len;
    map.variance[i] = lambda / static_cast<double>(m);
  }
  map.points = centered * map.axes;
  orient_axes(map);
  return map;
}

Eigen::Matrix2d procrustes_rotation(const Matrix& points, const Matrix& reference) {
  if (points.cols() != 2 || reference.cols() != 2 || points.rows() != reference.rows())
    throw InputError("Procrustes alignment needs two M x 2 point sets of the same M");
  const Eigen::Matrix2d a = points.transpose() * reference;
  Eigen::JacobiSVD<Eigen::Matrix2d> svd(a, Eigen::ComputeFullU | Eigen::ComputeFullV);
  return svd.matrixU() * svd.matrixV().transpose();
}

void align_map(FeatureMap2d& map, const Matrix& reference) {
  const Eigen::Matrix2d r = procrustes_rotation(map.points, reference);
  map.points = map.points * r;
  map.axes = map.axes * r;
}

Matrix project_states(const FeatureMap2d& map, const Matrix& w, const Matrix& xs) {
  Matrix z;
  if (w.size() == 0)
    z = xs;
  else
    z.noalias() = xs * w.transpose();
  if (z.cols() != map.mean.size())
    throw InputError("project: states have feature dimension " + std::to_string(z.cols()) + ", the map " +
                     std::to_string(map.mean.size()));
  const Vector inv = inverse_norms(z.rowwise().squaredNorm());
  const Matrix centered = (inv.asDiagonal() * z).rowwise() - map.mean.transpose();
  return centered * map.axes;
}
}  // namespace uhop
