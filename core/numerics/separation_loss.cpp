#include "separation_loss.h"

#include <cmath>
#include <limits>

#include "input_error.h"

namespace uhop {
LossKind parse_loss_kind(const std::string& s) {
  if (s == "avg") return LossKind::avg;
  if (s == "max") return LossKind::max;
  throw InputError("unknown loss " + quoted_excerpt(s) + " (expected avg or max)");
}
Schedule parse_schedule(const std::string& s) {
  if (s == "constant") return Schedule::constant;
  if (s == "inv-sqrt") return Schedule::inv_sqrt;
  if (s == "reference") return Schedule::reference;
  throw InputError("unknown schedule " + quoted_excerpt(s) + " (expected constant, inv-sqrt or reference)");
}
Optimizer parse_optimizer(const std::string& s) {
  if (s == "sgd") return Optimizer::sgd;
  if (s == "adam") return Optimizer::adam;
  throw InputError("unknown optimizer " + quoted_excerpt(s) + " (expected sgd or adam)");
}
const char* to_string(LossKind k) {
  return k == LossKind::avg ? "avg" : "max";
}
const char* to_string(Schedule s) {
  return s == Schedule::constant ? "constant" : s == Schedule::inv_sqrt ? "inv-sqrt" : "reference";
}
const char* to_string(Optimizer o) {
  return o == Optimizer::sgd ? "sgd" : "adam";
}

namespace {
// Cosine of features mu, nu: K_mu,nu / (||z_mu|| ||z_nu||); a zero feature has cosine 0 with everything.
double cosine(const FeatureGeometry& g, Eigen::Index a, Eigen::Index b) {
  const double nn = g.norms[a] * g.norms[b];
  return nn > 0 ? g.gram(a, b) / nn : 0.0;
}
}  // namespace

LossValue separation_loss(const FeatureGeometry& g, double t, LossKind kind, int train_count) {
  LossValue out;
  update_separation_loss(out, g, t, kind, train_count);
  return out;
}

void update_separation_loss(LossValue& out, const FeatureGeometry& g, double t, LossKind kind, int train_count) {
  const Eigen::Index n = train_count > 0 ? std::min<Eigen::Index>(train_count, g.gram.rows()) : g.gram.rows();
  if (n < 2) throw InputError("the separation loss needs at least 2 memories (got " + std::to_string(n) + ")");
  if (!(t > 0) || !std::isfinite(t)) throw InputError("temperature t must be a finite number > 0");
  // e_ab = -t ||f_a - f_b||^2 = -t (2 - 2 cos_ab) for unit features (a zero feature has |f|^2 = 0), stored in the
  // strict upper triangle of pair_weights (column b holds the pairs a < b: contiguous reads of K).
  Matrix& p = out.pair_weights;
  p.resize(n, n);
  double emax = -std::numeric_limits<double>::infinity();
  for (Eigen::Index b = 0; b < n; ++b) {
    const double fb = g.norms[b] > 0 ? 1.0 : 0.0;
    for (Eigen::Index a = 0; a < b; ++a) {
      const double fa = g.norms[a] > 0 ? 1.0 : 0.0;
      const double v = -t * std::max(0.0, fa + fb - 2.0 * cosine(g, a, b));
      p(a, b) = v;
      if (v > emax) emax = v, out.max_mu = static_cast<int>(a), out.max_nu = static_cast<int>(b);
    }
  }
  if (kind == LossKind::max) {
    out.loss = emax;
    p.setZero();
    p(out.max_mu, out.max_nu) = p(out.max_nu, out.max_mu) = 1.0;
    return;
  }
  // L = log(2/(n(n-1))) + logsumexp_{a<b} e_ab; pair weight w_ab = exp(e_ab - logsumexp), mirrored.
  double sum = 0;
  for (Eigen::Index b = 0; b < n; ++b) {
    p(b, b) = 0.0;
    for (Eigen::Index a = 0; a < b; ++a) sum += (p(a, b) = std::exp(p(a, b) - emax));
  }
  const double pairs = 0.5 * static_cast<double>(n) * static_cast<double>(n - 1);
  out.loss = emax + std::log(sum) - std::log(pairs);
  p.triangularView<Eigen::Upper>() *= 1.0 / sum;
  p.triangularView<Eigen::StrictlyLower>() = p.transpose();
}

Matrix separation_loss_gradient(const FeatureGeometry& g, const LossValue& value, const Matrix& memories, double t,
                                LossKind kind) {
  Matrix grad;
  GradientWorkspace work;
  separation_loss_gradient(grad, work, g, value, memories, t, kind);
  return grad;
}

void separation_loss_gradient(Matrix& grad, GradientWorkspace& work, const FeatureGeometry& g, const LossValue& value,
                              const Matrix& memories, double t, LossKind kind) {
  const Eigen::Index n = value.pair_weights.rows(), D = g.features.cols();
  work.inv_norm = g.norms.head(n).unaryExpr([](double x) { return x > 0 ? 1.0 / x : 0.0; });
  const Vector& inv_norm = work.inv_norm;
  auto unit = [&](Eigen::Index mu) { return g.features.row(mu) * inv_norm[mu]; };
  if (kind == LossKind::max) {
    // Only the maximizing pair carries gradient: a rank-2 update, no M x M product.
    // dL/dz_mu = (g_mu - f_mu (f_mu . g_mu)) / ||z_mu||, g_a = -2t (f_a - f_b) = -g_b.
    auto project = [&](Eigen::RowVectorXd gm, Eigen::Index mu) -> Eigen::RowVectorXd {
      const Eigen::RowVectorXd f = unit(mu);
      return (gm - f * f.dot(gm)) * inv_norm[mu];
    };
    const Eigen::Index a = value.max_mu, b = value.max_nu;
    const Eigen::RowVectorXd diff = unit(a) - unit(b);
    const Eigen::RowVectorXd dza = project(-2.0 * t * diff, a), dzb = project(2.0 * t * diff, b);
    grad.noalias() = dza.transpose() * memories.row(a);
    grad.noalias() += dzb.transpose() * memories.row(b);
    return;
  }
  // With G = -2t (diag(P 1) F - P F) (rows g_mu) and unit rows f_mu, the tangent projection collapses:
  //   f_mu . g_mu = -2t (s_mu - a_mu),  s = P 1,  a_mu = f_mu . (P F)_mu,
  //   dL/dz_mu = (g_mu - f_mu (f_mu . g_mu)) / ||z_mu|| = -2t (a_mu f_mu - (P F)_mu) / ||z_mu||.
  // So one product P F and two column sweeps replace the diagonal scalings (zero features give 0 throughout).
  Matrix& f = work.unit_features;
  Matrix& dz = work.feature_grad;
  f.noalias() = inv_norm.asDiagonal() * g.features.topRows(n);
  dz.resize(n, D);
  dz.noalias() = value.pair_weights * f;
  Vector& a = work.row_dots;
  a.setZero(n);
  for (Eigen::Index j = 0; j < D; ++j) a += f.col(j).cwiseProduct(dz.col(j));
  const Vector c_f = -2.0 * t * inv_norm.cwiseProduct(a), c_pf = 2.0 * t * inv_norm;
  for (Eigen::Index j = 0; j < D; ++j) dz.col(j) = c_f.cwiseProduct(f.col(j)) + c_pf.cwiseProduct(dz.col(j));
  grad.resize(D, memories.cols());
  grad.noalias() = dz.transpose() * memories.topRows(n);
}

double learning_rate(Schedule schedule, double gamma, int i) {
  switch (schedule) {
    case Schedule::constant:
      return gamma;
    case Schedule::inv_sqrt:
      return gamma / std::sqrt(i + 1.0);
    case Schedule::reference:
      return gamma * std::exp(-0.5 * std::lgamma(i + 1.0));  // gamma / sqrt(i!)
  }
  return gamma;
}

void apply_update(Matrix& w, const Matrix& grad, double gamma_i, Optimizer optimizer, AdamState& adam) {
  if (optimizer == Optimizer::sgd) {
    w.noalias() -= gamma_i * grad;
    return;
  }
  constexpr double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  if (adam.m.rows() != w.rows() || adam.m.cols() != w.cols()) {
    adam.m.setZero(w.rows(), w.cols());
    adam.v.setZero(w.rows(), w.cols());
    adam.steps = 0;
  }
  ++adam.steps;
  adam.m = b1 * adam.m + (1 - b1) * grad;
  adam.v = b2 * adam.v + (1 - b2) * grad.cwiseAbs2();
  const double c1 = 1 - std::pow(b1, adam.steps), c2 = 1 - std::pow(b2, adam.steps);
  w.array() -= gamma_i * (adam.m.array() / c1) / ((adam.v.array() / c2).sqrt() + eps);
}
}  // namespace uhop
