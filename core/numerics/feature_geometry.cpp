#include "feature_geometry.h"

#include <algorithm>

namespace uhop {
FeatureGeometry feature_geometry(const Matrix& memories, const Matrix& w) {
  FeatureGeometry g;
  update_feature_geometry(g, memories, w);
  return g;
}

void update_feature_geometry(FeatureGeometry& g, const Matrix& memories, const Matrix& w) {
  if (w.size() == 0)
    g.features = memories;
  else
    g.features.noalias() = memories * w.transpose();
  const Eigen::Index m = memories.rows();
  // K is symmetric: a rank update fills one triangle (half the flops of Z Z^T), then we mirror it.
  g.gram.setZero(m, m);
  g.gram.selfadjointView<Eigen::Lower>().rankUpdate(g.features);
  g.gram.triangularView<Eigen::StrictlyUpper>() = g.gram.transpose();
  g.norms = g.gram.diagonal().cwiseMax(0.0).cwiseSqrt();
}
}  // namespace uhop

namespace uhop {
Matrix feature_cosine_sample(const Matrix& memories, const Matrix& w, int max_size, std::vector<int>* picked) {
  const Eigen::Index m = memories.rows();
  const Eigen::Index n = std::min<Eigen::Index>(m, std::max(max_size, 1));
  Matrix rows(n, memories.cols());
  std::vector<int> index(static_cast<size_t>(n));
  for (Eigen::Index k = 0; k < n; ++k) {
    index[static_cast<size_t>(k)] = static_cast<int>(k * m / n);
    rows.row(k) = memories.row(index[static_cast<size_t>(k)]);
  }
  Matrix f = w.size() == 0 ? rows : Matrix(rows * w.transpose());
  for (Eigen::Index k = 0; k < n; ++k) {
    const double norm = f.row(k).norm();
    f.row(k) *= norm > 0 ? 1.0 / norm : 0.0;
  }
  if (picked) *picked = std::move(index);
  return f * f.transpose();
}
}  // namespace uhop
