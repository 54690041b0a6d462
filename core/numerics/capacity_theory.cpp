#include "capacity_theory.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace uhop {
double overlap_rate(PatternEnsemble e, double q) {
  switch (e) {
    case PatternEnsemble::spherical:
      return q * q >= 1 ? INFINITY : -0.5 * std::log1p(-q * q);
    case PatternEnsemble::gaussian:
      return 0.5 * q * q;
    case PatternEnsemble::binary: {
      const double a = std::fabs(q);
      if (a > 1) return INFINITY;
      return 0.5 * (1 + a) * std::log1p(a) + (a < 1 ? 0.5 * (1 - a) * std::log1p(-a) : 0.0);
    }
  }
  return 0;
}

double saddle_overlap(PatternEnsemble e, double beta) {
  switch (e) {
    case PatternEnsemble::spherical:
      return 2 * beta / (std::sqrt(1 + 4 * beta * beta) + 1);  // stable form
    case PatternEnsemble::gaussian:
      return beta;
    case PatternEnsemble::binary:
      return std::tanh(beta);
  }
  return 0;
}

double max_overlap(PatternEnsemble e, double alpha) {
  switch (e) {
    case PatternEnsemble::spherical:
      return std::sqrt(-std::expm1(-2 * alpha));
    case PatternEnsemble::gaussian:
      return std::sqrt(2 * alpha);
    case PatternEnsemble::binary: {
      if (alpha >= std::log(2.0)) return 1;
      double lo = 0, hi = 1;  // I is increasing on [0, 1]
      for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (overlap_rate(e, mid) < alpha ? lo : hi) = mid;
      }
      return 0.5 * (lo + hi);
    }
  }
  return 0;
}

bool noise_condensed(PatternEnsemble e, double alpha, double beta) {
  return alpha < overlap_rate(e, saddle_overlap(e, beta));
}

double noise_free_entropy(PatternEnsemble e, double alpha, double beta) {
  if (noise_condensed(e, alpha, beta)) return beta * max_overlap(e, alpha);
  const double qs = saddle_overlap(e, beta);
  return alpha + beta * qs - overlap_rate(e, qs);
}

double critical_start_overlap(PatternEnsemble e, double alpha, double beta) {
  return noise_free_entropy(e, alpha, beta) / beta;
}

double exponential_threshold(PatternEnsemble e, double beta, double rho) {
  const double qs = saddle_overlap(e, beta);
  return rho >= qs ? beta * (rho - qs) + overlap_rate(e, qs) : overlap_rate(e, rho);
}

double double_factorial(int k) {
  double r = 1;
  for (; k > 1; k -= 2) r *= k;
  return r;
}

double polynomial_alpha_max(int degree, int n) {
  return 1.0 / (2.0 * double_factorial(2 * degree - 3) * std::log(static_cast<double>(n)));
}

namespace {
// ln of a trapezoid sum of exp(logf[i]) * h, without overflow.
double log_trapezoid(const std::vector<double>& logf, double h) {
  const double top = *std::max_element(logf.begin(), logf.end());
  if (!std::isfinite(top)) return top;
  double sum = 0;
  for (size_t i = 0; i < logf.size(); ++i)
    sum += (i == 0 || i + 1 == logf.size() ? 0.5 : 1.0) * std::exp(logf[i] - top);
  return top + std::log(sum * h);
}

// (ln M1, ln M2 / M1^2) given the target's squared norm r2 (gaussian) or at |xi_t|^2 = N (the others).
struct Moments {
  double log_m1 = 0, log_ratio = 0;
};

Moments moments_at(PatternEnsemble e, int n, double beta, double r2) {
  switch (e) {
    case PatternEnsemble::spherical: {
      const double m1 = spherical_log_moment(n, beta, 1), m2 = spherical_log_moment(n, beta, 2);
      return {m1, m2 - 2 * m1};
    }
    case PatternEnsemble::gaussian:  // xi.xi_t ~ N(0, r2) given xi_t: E e^{beta xi.xi_t} = e^{beta^2 r2 / 2}
      return {(0.5 * beta * beta - beta) * r2, beta * beta * r2};
    case PatternEnsemble::binary: {  // q = 1 - 2k/N, k ~ Bin(N, 1/2)
      const double m1 = n * std::log(0.5 * (1 + std::exp(-2 * beta)));
      const double m2 = n * std::log(0.5 * (1 + std::exp(-4 * beta)));
      return {m1, m2 - 2 * m1};
    }
  }
  return {};
}

double weight_given(const Moments& m, int n, double alpha, double shift_sd) {
  const double log_others = std::log(std::expm1(alpha * n));  // ln(P - 1), P = e^{alpha N}
  const double cv2 = std::exp(m.log_ratio - log_others);
  const double s = std::sqrt(std::log1p(cv2));
  const double log_z = log_others + m.log_m1 + shift_sd * s;
  return log_z > 700 ? 0.0 : 1.0 / (1.0 + std::exp(log_z));
}
}  // namespace

double spherical_log_moment(int n, double beta, int k) {
  // q = cos(theta): density of theta ~ sin^(N-2)(theta) on [0, pi].
  const int points = 20001;
  const double h = M_PI / (points - 1);
  std::vector<double> num(points), den(points);
  for (int i = 0; i < points; ++i) {
    const double theta = i * h, s = std::sin(theta);
    const double log_s = s > 0 ? (n - 2) * std::log(s) : (n == 2 ? 0.0 : -INFINITY);
    den[i] = log_s;
    num[i] = log_s + k * beta * n * (std::cos(theta) - 1);
  }
  return log_trapezoid(num, h) - log_trapezoid(den, h);
}

double finite_n_target_weight(PatternEnsemble e, int n, double alpha, double beta, double shift_sd) {
  if (e != PatternEnsemble::gaussian) return weight_given(moments_at(e, n, beta, n), n, alpha, shift_sd);
  // |xi_t|^2 ~ chi^2_N: average over a grid of +-12 standard deviations.
  const double sd = std::sqrt(2.0 * n), lo = std::max(1e-9, n - 12 * sd), hi = n + 12 * sd;
  const int points = 4001;
  const double h = (hi - lo) / (points - 1);
  double total = 0, mass = 0;
  std::vector<double> logp(points);
  for (int i = 0; i < points; ++i) {
    const double x = lo + i * h;
    logp[i] = (0.5 * n - 1) * std::log(x) - 0.5 * x;
  }
  const double top = *std::max_element(logp.begin(), logp.end());
  for (int i = 0; i < points; ++i) {
    const double p = std::exp(logp[i] - top) * (i == 0 || i + 1 == points ? 0.5 : 1.0);
    total += p * weight_given(moments_at(e, n, beta, lo + i * h), n, alpha, shift_sd);
    mass += p;
  }
  return total / mass;
}

WeightCrossing finite_n_weight_crossing(PatternEnsemble e, int n, double beta) {
  auto crossing = [&](double shift) {
    double lo = 1e-9, hi = 0.05;
    while (finite_n_target_weight(e, n, hi, beta, shift) > 0.5 && hi < 1e3) hi *= 2;
    for (int i = 0; i < 100; ++i) {
      const double mid = 0.5 * (lo + hi);
      (finite_n_target_weight(e, n, mid, beta, shift) > 0.5 ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  };
  return {crossing(2.0), crossing(0.0), crossing(-2.0)};
}
}  // namespace uhop
