#include "feature_geometry.h"

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
