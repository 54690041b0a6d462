#include "separation_functions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "input_error.h"
#include "real_settings.h"

namespace uhop {
namespace {
bool near(double a, double b) {
  return std::abs(a - b) < 1e-12;
}

std::vector<double> sorted_descending(const Vector& z) {
  std::vector<double> s(z.data(), z.data() + z.size());
  std::sort(s.begin(), s.end(), std::greater<double>());
  return s;
}
}  // namespace

void validate(const SepSpec& spec) {
  checked_real("alpha", spec.alpha, "alpha");
  if (spec.top_k < 0) throw InputError("top-k must be >= 0");
}

Vector softmax(const Vector& z) {
  Vector p = (z.array() - z.maxCoeff()).exp();
  return p / p.sum();
}

Vector sparsemax(const Vector& z) {
  // Support = the k largest with 1 + k z_(k) > sum_{j<=k} z_(j); tau = (sum_{j<=k} z_(j) - 1) / k.
  // Computed on u = z - max z (sparsemax is invariant to a shift): at beta = 1e15 the scores are ~1e17, where
  // "1 + k z_(k)" and "z - tau" would lose the 1 entirely; relative to the max they stay exact near the top.
  const Vector u = z.array() - z.maxCoeff();
  const std::vector<double> s = sorted_descending(u);
  double cumsum = 0, tau = s[0] - 1;
  for (size_t k = 1; k <= s.size(); ++k) {
    cumsum += s[k - 1];
    if (1.0 + k * s[k - 1] > cumsum) tau = (cumsum - 1.0) / k;
  }
  return (u.array() - tau).max(0.0);
}

Vector entmax15(const Vector& z) {
  // With u = z/2 sorted descending and support {1..k}: sum_j (u_j - tau)^2 = 1 gives
  // tau_k = mean_k - sqrt(mean_k^2 - (sumsq_k - 1)/k); the support is the largest k with tau_k <= u_(k).
  const std::vector<double> s = sorted_descending(z);
  // Everything relative to the max (entmax is invariant to adding a constant to z), including tau and the final
  // z/2 - tau: adding the shift back would lose tau entirely once the scores are ~1e17 (beta = 1e15).
  const double shift = s[0] / 2;
  double sum = 0, sumsq = 0, tau = -1;
  for (size_t k = 1; k <= s.size(); ++k) {
    const double u = s[k - 1] / 2 - shift;
    sum += u;
    sumsq += u * u;
    const double mean = sum / k;
    const double disc = mean * mean - (sumsq - 1.0) / k;
    if (disc < 0) break;
    const double tau_k = mean - std::sqrt(disc);
    if (tau_k <= u)
      tau = tau_k;
    else
      break;
  }
  Vector p = ((z.array() / 2 - shift) - tau).max(0.0).square();
  return p / p.sum();  // remove rounding drift: the exact p already sums to 1 up to ~1e-16
}

Vector entmax_bisect(const Vector& z, double alpha) {
  if (near(alpha, 1.0)) return softmax(z);
  const double am1 = alpha - 1;
  // Scaled and shifted so the largest entry is 0 before bisecting: the bracket [-1, -M^{1-alpha}] is then resolved
  // to ~1e-15 at any beta (with the max left in, mx - 1 == mx once the scores are ~1e17 and every weight was 0).
  const Vector az = am1 * (z.array() - z.maxCoeff());
  // f(tau) = sum_i [az_i - tau]_+^{1/(alpha-1)} - 1 is decreasing; f(-1) >= 0 >= f(-M^{1-alpha}).
  double lo = -1.0, hi = -std::pow(static_cast<double>(z.size()), -am1);
  const double inv = 1.0 / am1;
  auto mass = [&](double tau) { return (az.array() - tau).max(0.0).pow(inv).sum(); };
  for (int it = 0; it < 80 && hi - lo > 1e-15; ++it) {
    const double mid = 0.5 * (lo + hi);
    (mass(mid) >= 1.0 ? lo : hi) = mid;
  }
  Vector p = (az.array() - lo).max(0.0).pow(inv);
  return p / p.sum();
}

Vector topk_softmax(const Vector& z, int k) {
  const int m = static_cast<int>(z.size());
  if (k <= 0 || k >= m) return softmax(z);
  std::vector<int> idx(m);
  std::iota(idx.begin(), idx.end(), 0);
  std::nth_element(idx.begin(), idx.begin() + (k - 1), idx.end(), [&](int a, int b) { return z[a] > z[b]; });
  Vector p = Vector::Zero(m);
  const double mx = z.maxCoeff();
  double sum = 0;
  for (int j = 0; j < k; ++j) sum += (p[idx[j]] = std::exp(z[idx[j]] - mx));
  return p / sum;
}

Vector separate(const Vector& z, const SepSpec& spec) {
  if (spec.top_k > 0) return topk_softmax(z, spec.top_k);
  if (near(spec.alpha, 1.0)) return softmax(z);
  if (near(spec.alpha, 1.5)) return entmax15(z);
  if (near(spec.alpha, 2.0)) return sparsemax(z);
  return entmax_bisect(z, spec.alpha);
}

void separate_rows(Matrix& z, const SepSpec& spec) {
  if (spec.top_k == 0 && near(spec.alpha, 1.0)) {
    // Vectorized softmax over each row.
    z.colwise() -= z.rowwise().maxCoeff();
    z = z.array().exp();
    z.array().colwise() /= z.rowwise().sum().array();
    return;
  }
  for (Eigen::Index r = 0; r < z.rows(); ++r) z.row(r) = separate(z.row(r).transpose(), spec).transpose();
}

double log_sum_exp(const Vector& z) {
  const double mx = z.maxCoeff();
  if (!std::isfinite(mx)) return mx;
  return mx + std::log((z.array() - mx).exp().sum());
}

double tsallis_entropy(const Vector& p, double alpha) {
  if (near(alpha, 1.0)) {
    double h = 0;
    for (Eigen::Index i = 0; i < p.size(); ++i)
      if (p[i] > 0) h -= p[i] * std::log(p[i]);
    return h;
  }
  return (p.array() - p.array().pow(alpha)).sum() / (alpha * (alpha - 1));
}

double psi_star(const Vector& z, const SepSpec& spec) {
  if (spec.top_k > 0) return std::numeric_limits<double>::quiet_NaN();
  if (near(spec.alpha, 1.0)) return log_sum_exp(z);
  const Vector p = separate(z, spec);
  return p.dot(z) + tsallis_entropy(p, spec.alpha);
}
}  // namespace uhop
