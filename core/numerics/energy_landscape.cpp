#include "energy_landscape.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "input_error.h"
#include "real_settings.h"
#include "parallel_products.h"

namespace uhop {
LandscapePlane landscape_plane(const Matrix& memories, const Vector& query, int target, int rival) {
  const int m = static_cast<int>(memories.rows());
  auto check = [&](const char* what, int index) {
    if (index < 0 || index >= m)
      throw InputError(std::string(what) + " " + std::to_string(index) + " is outside 0.." + std::to_string(m - 1));
  };
  check("target", target);
  check("rival", rival);
  if (target == rival)
    throw InputError("the rival must differ from the target (both are " + std::to_string(target) + ")");
  if (query.size() != memories.cols())
    throw InputError("query has " + std::to_string(query.size()) +
                     " values, memories have d = " + std::to_string(memories.cols()));
  if (!query.allFinite()) throw InputError("query has a NaN or infinite value");
  LandscapePlane p;
  p.origin = query;
  p.u = memories.row(target).transpose() - query;
  p.v = memories.row(rival).transpose() - query;
  return p;
}

std::vector<double> landscape_axis(int n, double lo, double hi) {
  if (n < 2) throw InputError("the landscape grid needs at least 2 points per side (got " + std::to_string(n) + ")");
  std::vector<double> values(n);
  for (int i = 0; i < n; ++i) values[i] = lo + (hi - lo) * i / (n - 1);
  return values;
}

Matrix landscape_energy(const LandscapePlane& plane, const Matrix& memories, const Matrix& w, const SepSpec& sep,
                        double beta, const std::vector<double>& a, const std::vector<double>& b, const Matrix* features,
                        const ProgressFn& progress) {
  validate(sep);
  if (sep.top_k > 0)
    throw InputError("the energy landscape needs alpha-entmax or softmax: top-k softmax has no energy here");
  checked_real("beta", beta, "beta");  // 1/beta scales Psi*: the shared range keeps it finite
  const Eigen::Index d = memories.cols();
  if (plane.origin.size() != d || plane.u.size() != d || plane.v.size() != d)
    throw InputError("the landscape plane does not match the memories' dimension");
  if (w.size() != 0 && w.cols() != d)
    throw InputError("W has " + std::to_string(w.cols()) + " columns, memories have d = " + std::to_string(d));
  // p_i = W (origin, u, v) as three columns; k_i = Z p_i with Z = Xi W^T (Z = Xi for W = I).
  Matrix basis(d, 3);
  basis << plane.origin, plane.u, plane.v;
  const Matrix p = w.size() == 0 ? basis : Matrix(w * basis);
  Matrix k(memories.rows(), 3);
  if (w.size() == 0)
    k.noalias() = memories * p;
  else if (features && features->rows() == memories.rows() && features->cols() == w.rows())
    k.noalias() = *features * p;
  else
    k.noalias() = (memories * w.transpose()) * p;
  const Eigen::Matrix3d pp = p.transpose() * p;  // ||W x||^2 = c^T pp c with c = (1, a, b)

  const Eigen::Index na = static_cast<Eigen::Index>(a.size()), nb = static_cast<Eigen::Index>(b.size());
  Matrix energy(na, nb);
  const bool softmax = std::abs(sep.alpha - 1.0) < 1e-12;
  const Eigen::Map<const Vector> b_values(b.data(), nb);
  const Vector k2 = beta * k.col(2);
  // Row i of the grid (a = a_i), independent of the others.
  auto grid_row = [&](Eigen::Index i, Matrix& z, Vector& psi) {
    // Column j of z: beta k(x(a_i, b_j)) = beta (k0 + a_i k1) + beta b_j k2.
    const Vector base = beta * (k.col(0) + a[i] * k.col(1));
    z.noalias() = k2 * b_values.transpose();
    z.colwise() += base;
    if (softmax) {
      // Psi*_1 = log-sum-exp, stably: max + log sum exp(z - max), per column (as log_sum_exp does).
      const Eigen::RowVectorXd mx = z.colwise().maxCoeff();
      psi = (mx.array() + ((z.rowwise() - mx).array().exp().colwise().sum()).log()).transpose();
    } else {
      for (Eigen::Index j = 0; j < nb; ++j) psi[j] = psi_star(z.col(j), sep);
    }
    for (Eigen::Index j = 0; j < nb; ++j) {
      const Eigen::Vector3d c(1.0, a[i], b[j]);
      energy(i, j) = 0.5 * c.dot(pp * c) - psi[j] / beta;
    }
  };
  // Rows in about eight chunks; a chunk with enough work (>= 2^21 exponentials or entmax points) is spread over the
  // core's threads in blocks of rows (smaller ones run on one thread: handing work to the threads costs more than it
  // saves, and much more on a loaded machine). Every row is computed alone, so the grid does not depend on the
  // thread count. Progress (which may cancel, by throwing) between chunks, never inside the threads.
  const Eigen::Index chunk = std::max<Eigen::Index>(4, (na + 7) / 8);
  const auto rows = [&](Eigen::Index first, Eigen::Index count) {
    Matrix z(memories.rows(), nb);
    Vector psi(nb);
    for (Eigen::Index i = first; i < first + count; ++i) grid_row(i, z, psi);
  };
  for (Eigen::Index i0 = 0; i0 < na; i0 += chunk) {
    const Eigen::Index i1 = std::min(na, i0 + chunk);
    const bool parallel = static_cast<double>(memories.rows()) * static_cast<double>(nb) *
                              static_cast<double>(i1 - i0) * (softmax ? 1.0 : 8.0) >=
                          2097152.0;
    if (parallel)
      parallel_rows(i1 - i0, std::max<Eigen::Index>(1, (i1 - i0 + 3) / 4),
                    [&](Eigen::Index first, Eigen::Index count) { rows(i0 + first, count); });
    else
      rows(i0, i1 - i0);
    if (progress) report_progress(progress, static_cast<double>(i1) / static_cast<double>(na));
  }
  return energy;
}

PlanePoint plane_coordinates(const LandscapePlane& plane, const Vector& x) {
  // Least squares [u v] (a, b)^T ~ x - q: the 2 x 2 normal equations by Cramer's rule; when u and v are parallel
  // (the query on the line through the two memories) the plane degenerates to that line and b = 0.
  const Vector r = x - plane.origin;
  const double uu = plane.u.dot(plane.u), uv = plane.u.dot(plane.v), vv = plane.v.dot(plane.v);
  const double ur = plane.u.dot(r), vr = plane.v.dot(r);
  const double det = uu * vv - uv * uv;
  PlanePoint pt;
  if (det > 1e-12 * uu * vv) {
    pt.a = (vv * ur - uv * vr) / det;
    pt.b = (uu * vr - uv * ur) / det;
  } else if (uu > 0) {
    pt.a = ur / uu;
  }
  pt.off_plane = (r - pt.a * plane.u - pt.b * plane.v).norm();
  return pt;
}

int default_rival(const Matrix& memories, const Vector& query, int target, int mhm_nearest) {
  const int m = static_cast<int>(memories.rows());
  if (m < 2) throw InputError("a rival needs at least 2 memories");
  if (mhm_nearest >= 0 && mhm_nearest < m && mhm_nearest != target) return mhm_nearest;
  int best = -1;
  double best_d = std::numeric_limits<double>::infinity();
  for (int nu = 0; nu < m; ++nu) {
    if (nu == target) continue;
    const double dist = (memories.row(nu).transpose() - query).squaredNorm();
    if (dist < best_d) best_d = dist, best = nu;
  }
  return best < 0 ? (target == 0 ? 1 : 0) : best;
}
}  // namespace uhop
