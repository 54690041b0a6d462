#include "query_margin.h"

#include <cmath>
#include <limits>

namespace uhop {
double score_margin(const Vector& scores, int target) {
  if (scores.size() < 2 || target < 0 || target >= scores.size()) return std::numeric_limits<double>::quiet_NaN();
  double rival = -std::numeric_limits<double>::infinity();
  for (Eigen::Index nu = 0; nu < scores.size(); ++nu)
    if (nu != target && scores[nu] > rival) rival = scores[nu];
  return scores[target] - rival;
}

double half_weight_margin(long long count, double beta) {
  return count > 2 && beta > 0 ? std::log(static_cast<double>(count - 1)) / beta : 0.0;
}

Vector kernel_scores(const Matrix& memories, const Matrix& w, const Vector& x) {
  if (w.size() == 0) return memories * x;
  const Vector u = w.transpose() * (w * x);  // W^T W x, without forming W^T W
  return memories * u;
}

double query_margin(const Matrix& memories, const Matrix& w, const Vector& x, int target) {
  return score_margin(kernel_scores(memories, w, x), target);
}
}  // namespace uhop
