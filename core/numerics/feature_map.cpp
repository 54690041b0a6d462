#include "feature_map.h"

#include "input_error.h"
#include "rng.h"

namespace uhop {
FeatureInit parse_feature_init(const std::string& s) {
  if (s == "identity") return FeatureInit::identity;
  if (s == "gaussian") return FeatureInit::gaussian;
  if (s == "orthogonal") return FeatureInit::orthogonal;
  throw InputError("unknown init " + quoted_excerpt(s) + " (expected identity, gaussian or orthogonal)");
}

const char* to_string(FeatureInit init) {
  switch (init) {
    case FeatureInit::identity:
      return "identity";
    case FeatureInit::gaussian:
      return "gaussian";
    case FeatureInit::orthogonal:
      return "orthogonal";
  }
  return "?";
}

Matrix init_feature_map(FeatureInit init, int d, int dim, uint64_t seed) {
  if (d < 1) throw InputError("memories have dimension 0");
  const int D = dim == 0 ? d : dim;
  if (D < d)
    throw InputError("feature dimension D = " + std::to_string(D) + " is smaller than the memory dimension d = " +
                     std::to_string(d) + " (W must have full column rank, so D >= d)");
  if (init == FeatureInit::identity) {
    if (D != d) throw InputError("identity init needs D = d (got D = " + std::to_string(D) + ")");
    return Matrix::Identity(d, d);
  }
  Rng rng(seed);
  Matrix w(D, d);
  // Fill row by row so the numbers do not depend on Eigen's storage order.
  for (int i = 0; i < D; ++i)
    for (int j = 0; j < d; ++j) w(i, j) = rng.normal();
  if (init == FeatureInit::orthogonal) {
    // Q of a Gaussian matrix has orthonormal columns; fixing the sign of R's diagonal makes it Haar-distributed.
    Eigen::HouseholderQR<Matrix> qr(w);
    Matrix q = qr.householderQ() * Matrix::Identity(D, d);
    const Matrix r = qr.matrixQR().topRows(d).triangularView<Eigen::Upper>();
    for (int j = 0; j < d; ++j)
      if (r(j, j) < 0) q.col(j) = -q.col(j);
    return q;
  }
  return w;
}

void normalize_rows(Matrix& w) {
  for (Eigen::Index i = 0; i < w.rows(); ++i) {
    const double n = w.row(i).norm();
    if (n > 0) w.row(i) /= n;
  }
}
}  // namespace uhop
