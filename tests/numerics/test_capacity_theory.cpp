// The formulas of docs/capacity.md (numerics/capacity_theory.h) against direct numerical integration and
// maximisation, and the exponential model's measured crossing of mean_target_weight = 1/2 against the finite-N band.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "numerics/capacity.h"
#include "numerics/capacity_theory.h"

using namespace uhop;

namespace {
const PatternEnsemble kAll[] = {PatternEnsemble::spherical, PatternEnsemble::gaussian, PatternEnsemble::binary};

// max over a fine grid of q with I(q) <= alpha of alpha - I(q) + beta q.
double phi_by_grid(PatternEnsemble e, double alpha, double beta) {
  double best = -INFINITY;
  const double lo = e == PatternEnsemble::gaussian ? -6 : -1, hi = -lo;
  for (int i = 0; i <= 400000; ++i) {
    const double q = lo + (hi - lo) * i / 400000.0, rate = overlap_rate(e, q);
    if (rate <= alpha) best = std::max(best, alpha - rate + beta * q);
  }
  return best;
}

// ln of the exact finite-N density of the overlap q at q (up to its normalisation), by ensemble.
double log_density(PatternEnsemble e, int n, double q) {
  switch (e) {
    case PatternEnsemble::spherical:
      return 0.5 * (n - 3) * std::log1p(-q * q);
    case PatternEnsemble::gaussian:
      return -0.5 * n * q * q;
    case PatternEnsemble::binary: {  // C(N, k) with k = N (1 - q) / 2
      const double k = n * (1 - q) / 2;
      return std::lgamma(n + 1.0) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
    }
  }
  return 0;
}
}  // namespace

TEST_CASE("capacity theory: the rate functions are the exact densities' exponents", "[capacity]") {
  const int n = 200000;
  for (PatternEnsemble e : kAll)
    for (double q : {0.1, 0.35, 0.7, 0.9}) {
      // -(1/N) [ln p(q) - ln p(0)] -> I(q).
      const double rate = -(log_density(e, n, q) - log_density(e, n, 0)) / n;
      CHECK(rate == Approx(overlap_rate(e, q)).epsilon(1e-3).margin(2e-4));  // Stirling: O(ln N / N)
    }
}

TEST_CASE("capacity theory: phi(alpha, beta) against direct maximisation and a large-N Laplace integral",
          "[capacity]") {
  for (PatternEnsemble e : kAll)
    for (double beta : {0.3, 1.0, 2.5})
      for (double alpha : {0.02, 0.2, 0.6}) {
        INFO(to_string(e) << " beta " << beta << " alpha " << alpha);
        const double phi = noise_free_entropy(e, alpha, beta);
        CHECK(phi == Approx(phi_by_grid(e, alpha, beta)).margin(1e-4));  // grid step 3e-5 times beta
        // (1/N) ln sum over the exact density of e^{N (alpha + beta q)} restricted to where patterns exist
        // (at least one expected pattern in a grid cell of width h): the REM's quenched sum, trapezoid over q. The
        // cell's (ln h + ln sqrt(N)) / N moves the condensed edge q_max by ~6 / (N I'(q_max)): N = 200000.
        const int n = 200000;
        const double lo = e == PatternEnsemble::gaussian ? -6 : -1 + 1e-9, hi = -lo;
        const int points = 200001;
        const double h = (hi - lo) / (points - 1);
        // normalise the density numerically
        double top = -INFINITY;
        std::vector<double> ld(points);
        for (int i = 0; i < points; ++i) top = std::max(top, ld[i] = log_density(e, n, lo + i * h));
        double norm = 0;
        for (int i = 0; i < points; ++i) norm += std::exp(ld[i] - top) * h;
        const double log_norm = top + std::log(norm);
        double best = -INFINITY, sum = 0;
        std::vector<double> terms(points, -INFINITY);
        for (int i = 0; i < points; ++i) {
          const double log_count = n * alpha + ld[i] - log_norm + std::log(h);  // expected patterns in the cell
          if (log_count < 0) continue;
          terms[i] = log_count + n * beta * (lo + i * h);
          best = std::max(best, terms[i]);
        }
        for (double t : terms) sum += std::exp(t - best);
        CHECK((best + std::log(sum)) / n == Approx(phi).margin(2e-3));
      }
}

TEST_CASE("capacity theory: thresholds are the roots of phi = beta rho, with the closed forms of the docs",
          "[capacity]") {
  for (PatternEnsemble e : kAll)
    for (double beta : {0.2, 0.7, 1.0, 1.6, 4.0})
      for (double rho : {0.5, 0.8, 1.0}) {
        INFO(to_string(e) << " beta " << beta << " rho " << rho);
        const double a = exponential_threshold(e, beta, rho);
        CHECK(noise_free_entropy(e, a, beta) == Approx(beta * rho).margin(1e-9));
        CHECK(critical_start_overlap(e, a * 0.999, beta) < rho);
        CHECK(critical_start_overlap(e, a * 1.001, beta) > rho);
      }
  // Closed forms of alpha_1.
  for (double beta : {0.3, 0.8, 1.0})
    CHECK(exponential_threshold(PatternEnsemble::gaussian, beta) == Approx(beta - beta * beta / 2));
  CHECK(exponential_threshold(PatternEnsemble::gaussian, 3.0) == Approx(0.5));
  const double b = 1.0, qs = (std::sqrt(5.0) - 1) / 2;  // spherical q_s at beta 1: the golden ratio's inverse
  CHECK(saddle_overlap(PatternEnsemble::spherical, b) == Approx(qs));
  CHECK(exponential_threshold(PatternEnsemble::spherical, b) == Approx(b * (1 - qs) - 0.5 * std::log(1 - qs * qs)));
  CHECK(exponential_threshold(PatternEnsemble::binary, 20.0) == Approx(std::log(2.0)).margin(1e-9));
  CHECK(max_overlap(PatternEnsemble::binary, std::log(2.0)) == 1.0);
  // Polynomial: Krotov-Hopfield's 1 / (2 (2n-3)!! ln N).
  CHECK(double_factorial(5) == 15);
  CHECK(polynomial_alpha_max(2, 100) == Approx(1 / (2 * std::log(100.0))));
  CHECK(polynomial_alpha_max(4, 50) == Approx(1 / (2 * 15 * std::log(50.0))));
}

TEST_CASE("capacity theory: the spherical moment's quadrature equals its Bessel closed form", "[capacity]") {
  for (int n : {3, 8, 20, 60})
    for (double beta : {0.25, 1.0, 2.0}) {
      // E e^{beta N q} = Gamma(N/2) (beta N / 2)^{1 - N/2} I_{N/2 - 1}(beta N).
      const double nu = n / 2.0 - 1, z = beta * n;
      const double closed = std::lgamma(n / 2.0) + (1 - n / 2.0) * std::log(z / 2) + std::log(std::cyl_bessel_i(nu, z));
      CHECK(spherical_log_moment(n, beta, 1) == Approx(closed - z).margin(1e-6));
      CHECK(spherical_log_moment(n, beta / 2, 2) == Approx(closed - z).margin(1e-6));
    }
}

namespace {
// alpha where the measured mean target weight crosses 1/2, linear between the grid's rows.
double measured_crossing(const std::vector<CapacityRow>& rows) {
  for (size_t i = 1; i < rows.size(); ++i) {
    const double w0 = rows[i - 1].mean_target_weight, w1 = rows[i].mean_target_weight;
    if (w0 >= 0.5 && w1 < 0.5) {
      const double a0 = rows[i - 1].cell.alpha, a1 = rows[i].cell.alpha;
      return a0 + (a1 - a0) * (w0 - 0.5) / (w0 - w1);
    }
  }
  return NAN;
}
}  // namespace

TEST_CASE("capacity exponential: the measured crossing of mean_target_weight = 1/2 lies in the finite-N band",
          "[capacity]") {
  struct Setting {
    PatternEnsemble e;
    int n;
    double beta;
  };
  for (const Setting& c : {Setting{PatternEnsemble::spherical, 16, 0.5}, Setting{PatternEnsemble::gaussian, 20, 0.4}}) {
    const WeightCrossing band = finite_n_weight_crossing(c.e, c.n, c.beta);
    INFO(to_string(c.e) << " N " << c.n << " beta " << c.beta << ": band " << band.lo << " " << band.mid << " "
                        << band.hi << ", asymptotic " << exponential_threshold(c.e, c.beta));
    CHECK(band.lo < band.mid);
    CHECK(band.mid < band.hi);
    CapacitySettings s;
    s.patterns = c.e;
    s.dim = c.n;
    s.betas = {c.beta};
    s.trials = 300;
    s.seed = 5;
    for (int k = 0; k <= 12; ++k) s.alphas.push_back(band.mid * (0.7 + 0.05 * k));
    const double crossing = measured_crossing(run_capacity(s));
    INFO("measured crossing " << crossing);
    CHECK(crossing >= band.lo);
    CHECK(crossing <= band.hi);
    // The finite-N theory tends to the asymptotic alpha_1 as N grows (its error falls like 1/N: x4 from N = 100
    // to 400); at these small beta alpha_1 even lies inside the N = 16..20 band.
    const double alpha_1 = exponential_threshold(c.e, c.beta);
    const double err_100 = std::fabs(finite_n_weight_crossing(c.e, 100, c.beta).mid - alpha_1);
    const double err_400 = std::fabs(finite_n_weight_crossing(c.e, 400, c.beta).mid - alpha_1);
    CHECK(err_400 < 1e-3);
    CHECK(err_400 < err_100 / 2);
  }
}

TEST_CASE("capacity exponential: the measured basin retrieves well above rho_c(alpha, beta) and fails well below",
          "[capacity]") {
  // Two regimes of docs/capacity.md, spherical patterns (the target's overlap with x_0 is exactly rho N):
  // - condensed, N = 40, beta = 4, alpha = 0.2 (P = 2981): rho_c = q_max = sqrt(1 - e^(-2 alpha)) = 0.574. The
  //   finite-N nearest pattern sits lower by ~ln(q sqrt(2 pi N)) / (N I'(q)) ~ 0.06, its Gumbel spread is
  //   ~1 / (N I'(q)) ~ 0.03, and beating it by a weight of 0.95 takes ~3 / (beta N) ~ 0.02 more: +-0.12 is clear.
  // - non-condensed, N = 30, beta = 1, alpha = 0.35 (P = 36316): rho_c = (alpha + beta q_s - I(q_s)) / beta = 0.727.
  //   ln Z is N phi + O(1) and the weight 1/(1 + Z e^(-beta N rho)) reaches 0.95 about 3 / (beta N) = 0.1 above
  //   rho_c: +-0.12 is clear of both (one run: retrieved 0.52 at rho 0.8, 1 at 0.85, 0 at 0.65).
  // The rows' `theory` column at rho < 1 is the load alpha_rho whose rho_c is rho: above the run's alpha where it
  // retrieves, below it where it fails.
  struct Setting {
    int n;
    double beta, alpha;
    bool condensed;
  };
  for (const Setting& c : {Setting{40, 4.0, 0.2, true}, Setting{30, 1.0, 0.35, false}}) {
    const PatternEnsemble e = PatternEnsemble::spherical;
    const double rho_c = critical_start_overlap(e, c.alpha, c.beta);
    INFO("N " << c.n << " beta " << c.beta << " alpha " << c.alpha << ": rho_c " << rho_c);
    CHECK(noise_condensed(e, c.alpha, c.beta) == c.condensed);
    REQUIRE(rho_c > 0.5);
    REQUIRE(rho_c < 0.85);
    CapacitySettings s;
    s.patterns = e;
    s.dim = c.n;
    s.betas = {c.beta};
    s.alphas = {c.alpha};
    s.trials = 100;
    s.seed = 2;
    for (double rho : {rho_c - 0.12, rho_c + 0.12}) {
      s.start_overlap = rho;
      const CapacityRow row = run_capacity(s).at(0);
      INFO("rho " << rho << ": retrieved " << row.retrieved << ", mean target weight " << row.mean_target_weight
                  << ", theory " << row.theory);
      CHECK(row.theory == exponential_threshold(e, c.beta, rho));
      if (rho > rho_c) {
        CHECK(row.retrieved >= 0.95);
        CHECK(row.theory > c.alpha);
      } else {
        CHECK(row.retrieved <= 0.05);
        CHECK(row.mean_target_weight < 0.1);
        CHECK(row.theory < c.alpha);
      }
    }
  }
}
