#include "separation_stats.h"

#include <cmath>
#include <limits>

#include "input_error.h"

namespace uhop {
SeparationStats separation_stats(const FeatureGeometry& g, const Matrix& memories) {
  const Eigen::Index M = g.gram.rows();
  if (M < 2) throw InputError("separation needs at least 2 memories (got " + std::to_string(M) + ")");
  SeparationStats s;
  s.delta.resize(M);
  double min_dist2 = std::numeric_limits<double>::infinity();
  for (Eigen::Index mu = 0; mu < M; ++mu) {
    double best = -std::numeric_limits<double>::infinity();
    for (Eigen::Index nu = 0; nu < M; ++nu) {
      if (nu == mu) continue;
      best = std::max(best, g.gram(nu, mu));
      // ||z_mu - z_nu||^2 = K_mu,mu + K_nu,nu - 2 K_mu,nu, each pair once.
      if (nu < mu) min_dist2 = std::min(min_dist2, g.gram(mu, mu) + g.gram(nu, nu) - 2 * g.gram(nu, mu));
    }
    s.delta[mu] = g.gram(mu, mu) - best;
  }
  s.delta_min = s.delta.minCoeff();
  s.delta_max = s.delta.maxCoeff();
  s.delta_mean = s.delta.mean();
  s.r_phi = 0.5 * std::sqrt(std::max(0.0, min_dist2));
  s.m = memories.rowwise().norm().maxCoeff();
  s.m_phi = g.norms.maxCoeff();
  return s;
}

double retrieval_error_bound(const SeparationStats& s, int mu, double beta) {
  const double M = static_cast<double>(s.delta.size());
  const double scale = 2 * s.m * (M - 1);
  if (!(scale > 0)) return 0.0;  // all memories zero (m = 0) or a single memory: nothing to confuse
  // In log space, so a large beta with a negative margin (Delta^Phi_mu < 2 m_Phi R_Phi) saturates instead of
  // overflowing to inf: 2m(M-1) exp(-beta (...)) > DBL_MAX is written as DBL_MAX, "at least this" (vacuous).
  const double log_bound = std::log(scale) - beta * (s.delta[mu] - 2 * s.m_phi * s.r_phi);
  if (!(log_bound < std::log(std::numeric_limits<double>::max()))) return std::numeric_limits<double>::max();
  return std::exp(log_bound);
}

bool bound_is_vacuous(const SeparationStats& s, double bound) {
  return !(bound < 2 * s.m);
}

bool exact_retrieval_guaranteed(const SeparationStats& s, int mu, double beta, double alpha) {
  if (!(alpha > 1)) return false;
  return beta * (s.delta[mu] - 2 * s.m_phi * s.r_phi) >= 1.0 / (alpha - 1);
}

bool entmax_is_one_hot(const Vector& scores, int mu, double beta, double alpha) {
  if (!(alpha > 1)) return false;
  double best_other = -std::numeric_limits<double>::infinity();
  for (Eigen::Index nu = 0; nu < scores.size(); ++nu)
    if (nu != mu) best_other = std::max(best_other, scores[nu]);
  return beta * (scores[mu] - best_other) >= 1.0 / (alpha - 1);
}

double bound_margin(const SeparationStats& s, int mu) {
  return s.delta[mu] - 2 * s.m_phi * s.r_phi;
}
double bound_margin_min(const SeparationStats& s) {
  return s.delta_min - 2 * s.m_phi * s.r_phi;
}
double bound_margin_mean(const SeparationStats& s) {
  return s.delta_mean - 2 * s.m_phi * s.r_phi;
}

double beta_star(double margin, double m, int count, double epsilon) {
  if (!(margin > 0)) return std::numeric_limits<double>::infinity();
  const double log_ratio = std::log(2 * m * (count - 1) / epsilon);
  return log_ratio > 0 ? log_ratio / margin : 0.0;
}

double paper_error(const Vector& target, const Vector& x) {
  return (target.cwiseMax(0.0).cwiseMin(1.0) - x.cwiseMax(0.0).cwiseMin(1.0)).squaredNorm();
}
}  // namespace uhop
